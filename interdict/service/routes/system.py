"""Liveness, readiness and metrics: public by default, never personal data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from interdict import __version__
from interdict.service.errors import ServiceUnavailable
from interdict.service.metrics import Labels
from interdict.service.schemas import HEALTH, READY, error_example
from interdict.service.state import ServiceState

__all__ = ["router"]

router = APIRouter(tags=["system"])


@router.get("/health", responses={200: HEALTH})
async def health(request: Request) -> dict[str, Any]:
    """Liveness: 200 with `status` `ok` while the process serves, lists loaded or not; `ready`
    says whether they are (a readiness probe asks `GET /ready`)."""
    service: ServiceState = request.app.state.service
    holder = service.holder
    snapshot = holder.current
    watcher = (
        "off"
        if service.settings.reload_seconds <= 0 or holder.home is None
        else ("running" if holder.watching else "stopped")
    )
    return {
        "status": "ok",
        "ready": snapshot.ready,
        "version": __version__,
        "lists": len(snapshot.lists),
        "generation": snapshot.generation,
        "loaded_at": snapshot.loaded_at,
        "watcher": watcher,
    }


@router.get("/ready", responses={200: READY, 503: error_example(503)})
async def ready(request: Request) -> dict[str, Any]:
    """Readiness: 200 once lists are loaded and requests can be screened; 503 until then
    (the screening routes answer 503 too), so a load balancer sends no traffic too early."""
    service: ServiceState = request.app.state.service
    snapshot = service.holder.current
    if not snapshot.ready:
        raise ServiceUnavailable(
            "not ready: no lists are loaded",
            hint="import a list with 'interdict lists import'; the service picks it up",
        )
    return {
        "status": "ready",
        "list_versions": dict(snapshot.versions),
        "generation": snapshot.generation,
    }


@router.get("/metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Prometheus metrics: requests by route and status, latency histogram, parties
    screened, hits, refusals, reloads, served list versions, resident memory."""
    service: ServiceState = request.app.state.service
    snapshot = service.holder.current
    gauges: list[tuple[str, str, Labels, float]] = [
        ("interdict_index_generation", "Index snapshots loaded so far.", (), snapshot.generation),
        ("interdict_index_ready", "1 when lists are loaded.", (), float(snapshot.ready)),
    ]
    for status in snapshot.lists:
        labels: Labels = (("list", status.name),)
        gauges.append(("interdict_list_version", "Served list version.", labels, status.version))
        gauges.append(("interdict_list_entities", "Served entities.", labels, status.entities))
    for outcome, count in service.holder.reloads.items():
        gauges.append(
            ("interdict_reloads", "Reload checks by outcome.", (("outcome", outcome),), count)
        )
    text = service.metrics.render(gauges)
    return Response(text, media_type="text/plain; version=0.0.4; charset=utf-8")
