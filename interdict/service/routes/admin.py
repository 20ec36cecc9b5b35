"""List status, reload and audit-trail routes (client, admin and analyst roles)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from interdict.service.audit import verify_audit
from interdict.service.auth import ApiKey
from interdict.service.schemas import LISTED, RELOADED, VERIFIED, error_example
from interdict.service.state import ServiceState

__all__ = ["router"]

router = APIRouter(tags=["lists and audit"])

SECURED: dict[int | str, dict[str, Any]] = {s: error_example(s) for s in (401, 403, 503)}


def _service(request: Request) -> tuple[ServiceState, ApiKey]:
    return request.app.state.service, request.state.principal


@router.get("/lists", responses={200: LISTED, **SECURED})
async def list_status(request: Request) -> dict[str, Any]:
    """The lists being screened against: name, version, entity count, import time and
    file digest, with the matcher version and when this index was loaded."""
    service, _ = _service(request)
    snapshot = service.holder.current
    return {
        "lists": [s.to_dict() for s in snapshot.lists],
        "matcher": snapshot.screener.matcher,
        "generation": snapshot.generation,
        "loaded_at": snapshot.loaded_at,
    }


@router.post("/admin/reload", responses={200: RELOADED, **SECURED})
async def reload_lists(request: Request) -> dict[str, Any]:
    """Load the workspace's active list versions now (the watcher does it every few
    seconds anyway). Requests in flight finish on the old index; none waits. Answers
    whether a new index was swapped in, and the lists now served."""
    service, key = _service(request)
    swapped = await run_in_threadpool(service.holder.reload, force=True)
    snapshot = service.holder.current
    await run_in_threadpool(
        service.audit.append,
        {
            "who": key.id,
            "role": key.role.value,
            "route": "POST /admin/reload",
            "outcome": "reloaded" if swapped else "unchanged",
            "status": 200,
            "lists": dict(snapshot.versions),
            "request_id": getattr(request.state, "request_id", None),
        },
    )
    return {
        "reloaded": swapped,
        "generation": snapshot.generation,
        "lists": [s.to_dict() for s in snapshot.lists],
    }


@router.get("/audit/verify", responses={200: VERIFIED, **SECURED})
async def verify_trail(request: Request) -> dict[str, Any]:
    """Re-hash the whole audit trail and follow its chain: `ok`, the number of entries,
    the head hash (publish it elsewhere to detect truncation) and the first break found."""
    service, key = _service(request)
    check = await run_in_threadpool(verify_audit, service.audit.path)
    await run_in_threadpool(
        service.audit.append,
        {
            "who": key.id,
            "role": key.role.value,
            "route": "GET /audit/verify",
            "outcome": "verified" if check.ok else "broken",
            "status": 200,
            "request_id": getattr(request.state, "request_id", None),
        },
    )
    return check.to_dict()
