"""One table from errors to HTTP statuses."""

from __future__ import annotations

import pytest

from interdict.errors import (
    BadInputError,
    ConflictError,
    InterdictError,
    ListNotFoundError,
    WorkspaceError,
)
from interdict.service.errors import (
    Forbidden,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthorized,
    UnsupportedMediaType,
    http_status,
)


class _Subclass(BadInputError):
    pass


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (BadInputError("x"), 422),
        (_Subclass("x"), 422),
        (ListNotFoundError("x"), 404),
        (ConflictError("x"), 409),
        (WorkspaceError("x"), 503),
        (Unauthorized("x"), 401),
        (Forbidden("x"), 403),
        (PayloadTooLarge("x"), 413),
        (UnsupportedMediaType("x"), 415),
        (ServiceUnavailable("x"), 503),
        (InterdictError("x"), 500),
    ],
)
def test_status_table(error: InterdictError, status: int) -> None:
    assert http_status(error)[0] == status
