"""The real-time screening service: a thin FastAPI face over the screening library.

Start with :func:`create_app` (``interdict serve`` runs it under uvicorn). Routes screen
parties, payment messages and traveller manifests; keys and roles are in :mod:`.auth`, the
hash-chained audit trail in :mod:`.audit`, the hot-swappable index in :mod:`.state`, and the
mapping from errors to HTTP statuses in :mod:`.errors`. FastAPI is imported only when the app
is built, so the CLI's ``keys`` and ``audit`` commands work without the ``service`` extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interdict.service.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from interdict.service.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
