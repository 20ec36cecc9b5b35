"""The three layers every request passes before a route: measure, admit, limit.

Plain ASGI (no per-request task or body buffering):

* :class:`Instrument` times the request, counts it by route and status, and logs one
  ``key=value`` line at DEBUG level — method, route, status, milliseconds, key id; never a body;
* :class:`Gate` checks the bearer key against :data:`~interdict.service.auth.ACCESS` before any
  body is read; refusals (401, 403) are answered and written to the audit trail;
* :class:`BodyLimit` stops reading a body at the configured size: 413, never a hang on a
  gigabyte upload.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interdict.errors import InterdictError
from interdict.service.auth import ACCESS, KeyStore, Role, access_entry, allows
from interdict.service.errors import (
    Forbidden,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthorized,
    error_response,
)

if TYPE_CHECKING:
    from interdict.service.audit import AuditLog
    from interdict.service.metrics import Metrics

__all__ = ["BodyLimit", "Gate", "Instrument"]

log = logging.getLogger("interdict.service")


def _route(scope: Scope) -> str:
    entry = access_entry(ACCESS, scope.get("method", "GET"), scope.get("path", ""))
    return entry[1] if entry else "other"


class Instrument:
    """Request id, timing, metrics and the access log line."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        self.metrics.in_flight += 1
        try:
            await self.app(scope, receive, send_with_status)
        finally:
            self.metrics.in_flight -= 1
            seconds = time.perf_counter() - started
            route = _route(scope)
            method = scope.get("method", "")
            self.metrics.observe(seconds, route=route, method=method)
            self.metrics.count(
                "interdict_requests_total",
                "Requests answered, by route and status.",
                route=route,
                method=method,
                status=str(status),
            )
            if log.isEnabledFor(logging.DEBUG):
                key = scope.get("state", {}).get("key_id", "-")
                log.debug(
                    "event=request method=%s route=%s status=%d ms=%.2f key=%s id=%s",
                    method,
                    route,
                    status,
                    seconds * 1000,
                    key,
                    request_id,
                )


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = str(value.decode("latin-1"))[:64]
            if text.replace("-", "").isascii() and text.replace("-", "").isalnum():
                return text
    return uuid.uuid4().hex


class Gate:
    """Admit only keys whose role may call the route; audit every refusal."""

    def __init__(
        self,
        app: ASGIApp,
        keys: KeyStore,
        audit: AuditLog,
        metrics: Metrics,
        *,
        public_metrics: bool,
    ) -> None:
        self.app = app
        self.keys = keys
        self.audit = audit
        self.metrics = metrics
        self.access = dict(ACCESS)
        if not public_metrics:
            self.access[("GET", "/metrics")] = Role.ANALYST

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        entry = access_entry(self.access, method, path)
        needed = self.access[entry] if entry else Role.CLIENT
        if entry is None and not any(
            access_entry(self.access, other, path) for other in {m for m, _ in self.access}
        ):
            await self.app(scope, receive, send)  # unknown route: 404 from the router
            return
        if needed is None:
            await self.app(scope, receive, send)
            return
        authorization = next(
            (v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"authorization"),
            None,
        )
        try:
            key, who = self.keys.authenticate(authorization)
        except InterdictError:
            log.error("event=keys_unreadable route=%s", path)
            unavailable = ServiceUnavailable(
                "the service cannot check API keys right now",
                hint="the administrator must repair the keys file",
            )
            await error_response(unavailable)(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["key_id"] = who
        if key is None:
            error: Unauthorized | Forbidden = Unauthorized(
                "a valid API key is required" if authorization else "no API key",
                where=f"{method} {path}",
                hint="send 'Authorization: Bearer <key>'; create one with "
                "'interdict keys create --role client'",
            )
        elif not allows(key.role, needed):
            error = Forbidden(
                f"role {key.role.value} may not call this route (it needs {needed.value})",
                where=f"{method} {path}",
                hint="use a key with the needed role",
            )
        else:
            state["principal"] = key
            await self.app(scope, receive, send)
            return
        status = 401 if key is None else 403
        self.metrics.count(
            "interdict_refusals_total", "Requests refused by the key check.", status=str(status)
        )
        try:
            self.audit.append(
                {
                    "who": who,
                    "role": key.role.value if key else None,
                    "route": f"{method} {path}",
                    "outcome": "refused",
                    "status": status,
                    "request_id": state.get("request_id"),
                }
            )
        except InterdictError as exc:
            await error_response(exc)(scope, receive, send)
            return
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        await error_response(error, headers)(scope, receive, send)


class BodyLimit:
    """Refuse bodies larger than ``limit`` bytes, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit
        declared = next((v for k, v in scope.get("headers", ()) if k == b"content-length"), None)
        received = 0

        def too_large(size: str) -> PayloadTooLarge:
            return PayloadTooLarge(
                f"the body is {size}, more than the {limit:,}-byte limit",
                where="request body",
                hint="split the batch, or raise INTERDICT_MAX_BODY_BYTES",
            )

        async def limited() -> Message:
            nonlocal received
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise too_large(f"{int(declared):,} bytes")
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large("larger")
            return message

        await self.app(scope, limited, send)
