"""What the alert, case and report routes share: who acts, and the workspace for one request.

A case route acts as the registered analyst who owns the API key (``interdict keys create
--analyst NAME``); a key without an analyst (a machine client's) is refused. The workspace is
opened read-write for the one request and released after it (an analyst deactivated since the
key was made is refused), so the CLI can use it between
requests; every rule (four eyes, roles, stale approvals, freezes) is the library's
(:mod:`interdict.cases`), never the route's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from interdict.cases import CaseStore
from interdict.errors import InterdictError
from interdict.service.auth import ApiKey
from interdict.service.errors import Forbidden, http_status
from interdict.service.state import ServiceState
from interdict.store import Workspace
from interdict.store.trail import Trail

__all__ = ["acting_analyst", "case_store", "in_cases", "service_of"]

T = TypeVar("T")


def service_of(request: Request) -> tuple[ServiceState, ApiKey]:
    """The service state and the key the gate admitted."""
    return request.app.state.service, request.state.principal


def acting_analyst(key: ApiKey, route: str) -> str:
    """The registered analyst a key acts as; a key that belongs to nobody may not act."""
    if not key.analyst:
        raise Forbidden(
            f"key {key.id} belongs to no registered analyst, and cases are worked by people",
            where=route,
            hint="use a key made with 'interdict keys create --analyst NAME'",
        )
    return key.analyst


@contextmanager
def case_store(service: ServiceState) -> Iterator[CaseStore]:
    """The workspace's cases for one request; events left unchained earlier are chained first."""
    with service.holder.opening, Workspace(service.settings.home) as workspace:
        trail = Trail(workspace, service.settings.audit_log)
        trail.flush()
        yield CaseStore(workspace, trail)


async def in_cases(
    request: Request, route: str, work: Callable[[CaseStore, str], T], **audited: Any
) -> T:
    """Run ``work(store, analyst)`` in a worker thread as the key's analyst.

    Changes (``audited`` given: what to record beside who and the route) are also written to
    the service's trail with the key id and the outcome, refused ones included.
    """
    service, key = service_of(request)

    def run() -> T:
        analyst = acting_analyst(key, route)
        with case_store(service) as store:
            person = store.analysts.find(analyst)
            if person is None or not person.active:
                raise Forbidden(
                    f"key {key.id} belongs to {analyst!r}, who is not a registered, active analyst",
                    where=route,
                    hint="see 'interdict analysts ls'; revoke the key with 'interdict keys revoke'",
                )
            return work(store, analyst)

    if not audited:
        return await run_in_threadpool(run)
    entry = {
        "who": key.id,
        "analyst": key.analyst or None,
        "role": key.role.value,
        "route": route,
        **audited,
        "request_id": getattr(request.state, "request_id", None),
    }
    try:
        result = await run_in_threadpool(run)
    except InterdictError as exc:
        status, code = http_status(exc)
        entry |= {"outcome": code, "status": status}
        await run_in_threadpool(service.audit.append, entry)
        raise
    await run_in_threadpool(service.audit.append, {**entry, "outcome": "done", "status": 200})
    return result
