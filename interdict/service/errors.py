"""Errors → HTTP, in one table; every error body has the same shape.

``{"error": {"code": …, "message": …, "where": …, "hint": …}}``: what went wrong, where in the
message (line, segment, field) and what to do. Library errors keep their meaning (bad input is
422, an unknown list 404…); the service adds its own (no key 401, wrong role 403, body too large
413, wrong content type 415, no lists loaded 503, a peer beyond its rate 429). Unexpected
failures are 500 and are logged by type and traceback only: messages may quote the input, and
logs never carry personal data.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from interdict.errors import (
    BadInputError,
    ConflictError,
    InterdictError,
    ListNotFoundError,
    WorkspaceError,
)
from interdict.exchange.answering import TooManyRequests

__all__ = [
    "HTTP_STATUS",
    "Forbidden",
    "PayloadTooLarge",
    "ServiceUnavailable",
    "Unauthorized",
    "UnsupportedMediaType",
    "error_response",
    "http_status",
    "install_error_handlers",
    "public_error",
]

log = logging.getLogger("interdict.service")


class Unauthorized(InterdictError):
    """No API key, or one the service does not know."""

    status = 401


class Forbidden(InterdictError):
    """A valid key whose role may not call this route."""

    status = 403


class PayloadTooLarge(InterdictError):
    """The request body is larger than the configured limit."""

    status = 413


class UnsupportedMediaType(InterdictError):
    """The body's content type is not one the route reads."""

    status = 415


class ServiceUnavailable(InterdictError):
    """The service cannot screen right now (no lists loaded, audit log unwritable)."""

    status = 503


HTTP_STATUS: dict[type[InterdictError], tuple[int, str]] = {
    BadInputError: (422, "bad_input"),
    ListNotFoundError: (404, "list_not_found"),
    ConflictError: (409, "conflict"),
    WorkspaceError: (503, "workspace_unavailable"),
    Unauthorized: (401, "unauthorized"),
    Forbidden: (403, "forbidden"),
    PayloadTooLarge: (413, "payload_too_large"),
    UnsupportedMediaType: (415, "unsupported_media_type"),
    ServiceUnavailable: (503, "unavailable"),
    TooManyRequests: (429, "too_many_requests"),
    InterdictError: (500, "internal"),
}
"""The one mapping from our errors to HTTP status and a stable error code."""


def http_status(error: InterdictError) -> tuple[int, str]:
    """HTTP status and code for ``error`` (nearest class in :data:`HTTP_STATUS`)."""
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return HTTP_STATUS[InterdictError]


def public_error(error: InterdictError) -> tuple[int, str, str, str | None]:
    """Status, code, message and where of ``error`` as a caller may see them: the server's own
    files are never named (a storage failure is logged with them instead)."""
    status, code = http_status(error)
    what, where = error.what, error.where
    if isinstance(error, WorkspaceError):
        log.error("event=storage_unavailable where=%s problem=%s", where, what)
        what, where = _SERVER_PATH.sub("<server file>", what), "server storage"
    return status, code, what, where


def error_response(error: InterdictError, headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON response for ``error``; the server's own files are never named to a caller."""
    status, code, what, where = public_error(error)
    return JSONResponse(_body(code, what, where, error.hint), status, headers=headers)


_SERVER_PATH = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?[/\\][^\s'\"]+")
"""An absolute path in a message (the workspace's, the audit log's): shown only in the log."""


def _body(code: str, message: str, where: str | None, hint: str | None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "where": where, "hint": hint}}


async def _interdict_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InterdictError)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    return error_response(exc, headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors()[:20]:
        location = ".".join(str(p) for p in error.get("loc", ()))
        problems.append(f"{location}: {error.get('msg', 'invalid')}")
    return JSONResponse(
        _body("bad_input", "; ".join(problems) or "invalid request", "request", None), 422
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    hint = "see GET /openapi.json for the routes" if exc.status_code in (404, 405) else None
    return JSONResponse(
        _body(code, str(exc.detail), f"{request.method} {request.url.path}", hint),
        exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The message may quote the input: log the type and the frames only.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error(
        "event=unexpected_error type=%s route=%s\n%s", type(exc).__name__, request.url.path, frames
    )
    return JSONResponse(
        _body("internal", "internal error", None, "the error was logged; please report it"), 500
    )


def install_error_handlers(app: FastAPI) -> None:
    """Route every failure through the table above."""
    app.add_exception_handler(InterdictError, _interdict_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
