"""The three layers every request passes before a route: measure, admit, limit.

Plain ASGI (no per-request task or body buffering):

* :class:`Instrument` times the request, counts it by route and status, and logs one
  ``key=value`` line at DEBUG level — method, route, status, milliseconds, key id; never a body;
* :class:`Gate` checks the bearer key against :data:`~interdict.service.auth.ACCESS` before any
  body is read; a valid key with the wrong role (403) is written to the audit trail; a call
  without a valid key (401) is not — anyone could grow the trail — but logged apart, at most
  so many lines a minute (:class:`UnauthenticatedLog`);
* :class:`BodyLimit` stops reading a body at the configured size: 413, never a hang on a
  gigabyte upload.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interdict.errors import InterdictError
from interdict.service.auth import ACCESS, KeyStore, Role, allows, route_of
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

__all__ = ["BodyLimit", "Gate", "Instrument", "UnauthenticatedLog"]

log = logging.getLogger("interdict.service")
unauthenticated_log = logging.getLogger("interdict.service.unauthenticated")


def _route(scope: Scope) -> str:
    """The route template for metrics (bounded: never a case id), ``other`` when unknown."""
    found = route_of(scope.get("method", "GET"), scope.get("path", ""))
    return found[0] if found is not None and found[1] else "other"


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


class UnauthenticatedLog:
    """One WARNING line per call without a valid key, at most ``per_minute`` a minute; the
    calls beyond are counted and reported in one line when the next minute starts."""

    WINDOW = 60.0

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._window_start = clock()
        self._logged = 0
        self.suppressed = 0

    def record(self, route: str, client: str, reason: str) -> bool:
        """Log one refused call (or count it); returns whether a line was written."""
        now = self.clock()
        if now - self._window_start >= self.WINDOW:
            if self.suppressed:
                unauthenticated_log.warning(
                    "event=unauthenticated_suppressed count=%d seconds=%.0f",
                    self.suppressed,
                    self.WINDOW,
                )
            self._window_start, self._logged, self.suppressed = now, 0, 0
        if self._logged >= self.per_minute:
            self.suppressed += 1
            return False
        self._logged += 1
        unauthenticated_log.warning(
            "event=unauthenticated route=%s client=%s reason=%s", route, client, reason
        )
        return True


class Gate:
    """Admit only keys whose role may call the route; audit refusals of known keys."""

    def __init__(
        self,
        app: ASGIApp,
        keys: KeyStore,
        audit: AuditLog,
        metrics: Metrics,
        *,
        public_metrics: bool,
        unauthenticated: UnauthenticatedLog | None = None,
    ) -> None:
        self.app = app
        self.keys = keys
        self.audit = audit
        self.metrics = metrics
        self.unauthenticated = unauthenticated or UnauthenticatedLog(60)
        self.access = dict(ACCESS)
        if not public_metrics:
            self.access[("GET", "/metrics")] = Role.ANALYST

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        found = route_of(method, path, self.access)
        if found is None:
            await self.app(scope, receive, send)  # unknown route: 404 from the router
            return
        template, listed = found
        needed = self.access[(method, template)] if listed else Role.CLIENT
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
        state["key_id"] = who  # a verified key id, or "anonymous"
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
        if key is None:
            client = scope.get("client") or ("-", 0)
            reason = (
                "no_key"
                if not authorization
                else "invalid_key"
                if who == "anonymous"
                else "revoked"
            )
            self.unauthenticated.record(f"{method} {path}", str(client[0]), reason)
            await error_response(error, {"WWW-Authenticate": "Bearer"})(scope, receive, send)
            return
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
        await error_response(error)(scope, receive, send)


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
