"""The analyst workbench: server-rendered pages under ``/ui`` of ``interdict serve``.

Same process, workspace and rules as the API: a page signs in with an analyst's API key
(exchanged for a session cookie, :mod:`.sessions`), then calls the library as that analyst
(:mod:`.pages`). Strict headers (:class:`.web.SecurityHeaders`), a CSRF token on every form,
and only our own script and style, served from ``/ui/static``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from interdict.service.ui.pages import router
from interdict.service.ui.sessions import SessionStore
from interdict.service.ui.web import (
    HERE,
    Refused,
    SecurityHeaders,
    SignInNeeded,
    error_page,
    templates,
)

__all__ = ["install_ui"]


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_shown(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value)
    return "" if value is None else str(value)


def install_ui(app: FastAPI) -> None:
    """Add the workbench: its pages, its static files, its sessions and its headers."""
    templates.globals["shown"] = _shown
    app.state.ui_sessions = SessionStore(app.state.service.settings.home / "service" / "sessions")
    app.include_router(router)
    app.mount("/ui/static", StaticFiles(directory=HERE / "static"), name="ui-static")

    async def sign_in(request: Request, exc: Exception) -> RedirectResponse:
        return RedirectResponse("/ui/login", status_code=303)

    async def refused(request: Request, exc: Exception) -> HTMLResponse:
        assert isinstance(exc, Refused)
        return error_page(request, exc.error, None)

    app.add_exception_handler(SignInNeeded, sign_in)
    app.add_exception_handler(Refused, refused)
    app.add_middleware(SecurityHeaders)
