"""What every workbench page shares: templates, the signed-in analyst, forms, CSRF, headers.

A page is signed in when its session cookie names a live session whose key is still valid, is
an analyst's (role ``analyst`` or above, owned by a registered analyst) — checked on every
request, so revoking the key ends the session. The page then acts exactly as the API would
for that key: :func:`~interdict.service.casework.in_cases` with the key as principal, so the
same rules, the same audit trail. Every POST must carry the session's CSRF token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interdict.errors import InterdictError
from interdict.service.auth import ApiKey, Role, allows
from interdict.service.errors import Forbidden, UnsupportedMediaType, public_error
from interdict.service.ui.sessions import COOKIE, Session, SessionStore

__all__ = [
    "CSP",
    "Refused",
    "SecurityHeaders",
    "SignInNeeded",
    "Signed",
    "error_page",
    "form_of",
    "page",
    "posted",
    "sessions_of",
    "signed_in",
]

HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""No inline script or style, nothing from another host, no framing."""
MAX_FORM_FIELDS = 1000

templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


class SignInNeeded(Exception):
    """No live session: the page answers with the way to the sign-in form."""


class Refused(Exception):
    """A form refused before any work (CSRF token, body type): answered as a page, not JSON."""

    def __init__(self, error: InterdictError) -> None:
        super().__init__(error.message)
        self.error = error


class SecurityHeaders:
    """Strict headers on every ``/ui`` answer: CSP, no sniffing, no referrer, no caching."""

    HEADERS = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path == "/ui" or path.startswith("/ui/")):
            await self.app(scope, receive, send)
            return
        static = path.startswith("/ui/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *self.HEADERS]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def sessions_of(request: Request) -> SessionStore:
    """The workbench's sessions (one store per app)."""
    store: SessionStore = request.app.state.ui_sessions
    return store


class Signed:
    """The signed-in analyst of one request: session, key, analyst name."""

    def __init__(self, session: Session, key: ApiKey) -> None:
        self.session = session
        self.key = key
        self.analyst = key.analyst


def signed_in(request: Request) -> Signed:
    """The live session of the request, its key re-checked; else :class:`SignInNeeded`."""
    token = request.cookies.get(COOKIE)
    sessions = sessions_of(request)
    session = sessions.find(token)
    if session is None:
        raise SignInNeeded
    key = request.app.state.service.keys.known(session.key_id)
    if key is None or not key.analyst or not allows(key.role, Role.ANALYST):
        sessions.end(token)
        raise SignInNeeded
    request.state.principal = key  # in_cases acts as this key, as the API does
    request.state.key_id = key.id
    return Signed(session, key)


async def form_of(request: Request) -> dict[str, list[str]]:
    """A url-encoded form body (the size limit is the service's), field → values."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise UnsupportedMediaType(
            f"a form is sent as application/x-www-form-urlencoded, not {kind[:80] or 'nothing'}",
            where=f"{request.method} {request.url.path}",
        )
    body = (await request.body()).decode("utf-8", "replace")
    try:
        return parse_qs(body, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError as exc:
        raise UnsupportedMediaType(
            f"the form has more than {MAX_FORM_FIELDS} fields", where="request body"
        ) from exc


async def posted(request: Request) -> tuple[Signed, dict[str, list[str]]]:
    """A POST from a signed-in page: session and form, its CSRF token checked."""
    signed = signed_in(request)
    try:
        fields = await form_of(request)
    except InterdictError as exc:
        raise Refused(exc) from exc
    if not signed.session.csrf_ok(_first(fields, "csrf")):
        raise Refused(
            Forbidden(
                "the form's security token is missing or stale",
                where=f"POST {request.url.path}",
                hint="reload the page and send the form again",
            )
        )
    return signed, fields


def _first(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name)
    return values[0] if values else None


def page(
    request: Request,
    template: str,
    signed: Signed | None,
    http_status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` with the signed-in analyst, CSRF token and pending messages."""
    flashes = signed.session.take_flashes() if signed is not None else []
    html = templates.get_template(template).render(
        request=request,
        analyst=signed.analyst if signed else None,
        csrf=signed.session.csrf if signed else "",
        flashes=flashes,
        **context,
    )
    return HTMLResponse(html, http_status)


def error_page(request: Request, error: InterdictError, signed: Signed | None) -> HTMLResponse:
    """A page saying what went wrong, where, and what to do (never a server path)."""
    status, code, what, where = public_error(error)
    return page(
        request,
        "error.html",
        signed,
        status,
        code=code,
        what=what,
        where=where,
        hint=error.hint,
    )


def back(url: str) -> Response:
    """Post/redirect/get: the page to show after a form."""
    return RedirectResponse(url, status_code=303)
