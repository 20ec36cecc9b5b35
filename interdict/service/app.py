"""Build the FastAPI application: routes, the three request layers, error table, lifespan.

:func:`create_app` is cheap — nothing is loaded until the server starts. At start-up the
lifespan loads the active list versions (unless a holder was passed in) and starts the
watcher that swaps in new versions; at shutdown it stops the watcher and closes the audit log.
The OpenAPI description is written from the route docstrings and the
:data:`~interdict.service.auth.ACCESS` table (which role each route needs).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.concurrency import run_in_threadpool

from interdict import __version__
from interdict.exchange.answering import ExchangeBook, ExchangeLimits
from interdict.exchange.features import workspace_customers
from interdict.service.audit import AuditLog
from interdict.service.auth import ACCESS, KeyStore
from interdict.service.config import ServiceSettings, load_service_settings
from interdict.service.docs import install_docs
from interdict.service.errors import install_error_handlers
from interdict.service.metrics import Metrics
from interdict.service.middleware import BodyLimit, Gate, Instrument, UnauthenticatedLog
from interdict.service.routes import (
    admin_router,
    alerts_router,
    cases_router,
    exchange_router,
    reports_router,
    screen_router,
    system_router,
    yente_router,
)
from interdict.service.schemas import ScreenRequest, error_example
from interdict.service.state import IndexHolder, ServiceState
from interdict.service.ui import install_ui

__all__ = ["create_app"]

log = logging.getLogger("interdict.service")

DESCRIPTION = """Screen parties, payment messages (ISO 20022 pacs.008/pain.001, SWIFT MT103)
and traveller manifests (UN/EDIFACT PAXLST, PNRGOV) against the sanctions and terrorist lists
loaded in an Interdict workspace. Every answer records the matcher and list versions; every
screening request is written to a hash-chained audit trail (digests, never the data).

Authenticate with `Authorization: Bearer <key>` (`interdict keys create --role client`).
Roles: `client` screens and reads list status; `analyst` also verifies the audit trail and
reads `/metrics` (public only when `INTERDICT_PUBLIC_METRICS` is on); it also
works `/alerts`, `/cases` and `/reports` as the registered analyst who owns the key
(`interdict keys create --analyst NAME`), under the same four-eyes rules as the CLI;
`admin` also reloads lists; `peer` (another institution's Interdict) may only call
`/exchange` (private matching: only hits are revealed). Analysts also work in the browser:
the workbench under `/ui` (sign in with an analyst's key).
Errors are `{"error": {"code", "message", "where", "hint"}}`."""


def create_app(
    settings: ServiceSettings | None = None, *, holder: IndexHolder | None = None
) -> FastAPI:
    """The screening service. ``holder`` serves given entities instead of the workspace."""
    settings = settings or load_service_settings()
    holder = holder or IndexHolder(settings.home, settings.serve_lists, settings.matcher or None)
    metrics = Metrics()
    keys = KeyStore(settings.keys_file)
    audit = AuditLog(settings.audit_log)
    state = ServiceState(settings, holder, keys, audit, metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if holder.home is not None and not holder.current.ready:
            await run_in_threadpool(lambda: holder.reload(force=True, share=1.0))
        snapshot = holder.current
        log.info(
            "event=service_ready lists=%s generation=%d",
            ",".join(f"{n}:{v}" for n, v in snapshot.versions) or "none",
            snapshot.generation,
        )
        holder.watch(settings.reload_seconds)
        try:
            yield
        finally:
            holder.stop()
            audit.close()

    app = FastAPI(
        title="Interdict screening service",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # install_docs serves them, with their assets
        redoc_url=None,
    )
    app.state.service = state
    app.state.exchanges = ExchangeBook(
        settings.home / "service" / "exchanges",
        ExchangeLimits(
            max_evaluations=settings.exchange_max_evaluations,
            per_hour=settings.exchange_per_hour,
            fake_share=settings.exchange_fake_share,
            hardening=settings.exchange_hardening,
            fields=settings.exchange_fields,
        ),
        lambda: workspace_customers(settings.home),
    )
    app.include_router(screen_router)
    app.include_router(admin_router)
    app.include_router(alerts_router)
    app.include_router(cases_router)
    app.include_router(exchange_router)
    app.include_router(reports_router)
    app.include_router(system_router)
    app.include_router(yente_router)
    install_docs(app)
    install_error_handlers(app)
    install_ui(app)  # the analyst workbench under /ui, with its own header layer
    # Added innermost first: a request meets Instrument, then Gate, then BodyLimit.
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(
        Gate,
        keys=keys,
        audit=audit,
        metrics=metrics,
        public_metrics=settings.public_metrics,
        unauthenticated=UnauthenticatedLog(settings.unauthenticated_log_per_minute),
    )
    app.add_middleware(Instrument, metrics=metrics)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _openapi(app, settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI, settings: ServiceSettings) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {})["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "An Interdict API key: `interdict keys create --role ROLE`.",
    }
    request_schema = ScreenRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = components.setdefault("schemas", {})
    definitions.update(request_schema.pop("$defs", {}))
    definitions["ScreenRequest"] = request_schema
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            role = ACCESS.get((method.upper(), path))
            if path == "/metrics" and not settings.public_metrics:
                role = role or ACCESS[("GET", "/audit/verify")]
            if role is not None:
                operation["security"] = [{"bearer": []}]
                responses = operation.setdefault("responses", {})
                for status in (401, 403):
                    responses.setdefault(str(status), error_example(status))
                operation["description"] = (
                    operation.get("description", "") + f"\n\nNeeds role: `{role.value}` or above."
                )
    return schema
