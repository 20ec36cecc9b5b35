"""Health and metrics: public by default, never personal data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from interdict import __version__
from interdict.service.metrics import Labels
from interdict.service.state import ServiceState

__all__ = ["router"]

router = APIRouter(tags=["system"])


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Liveness and readiness: `status` is `ok` while the process serves; `ready` says
    whether lists are loaded (screening routes answer 503 until they are)."""
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
