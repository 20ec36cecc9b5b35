"""Alert and case routes: the same operations as ``interdict alerts`` and ``interdict cases``,
acting as the analyst who owns the key. Every rule is the library's; a route only calls it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from interdict.cases import CaseStore, approve, propose
from interdict.errors import ListNotFoundError
from interdict.service.case_schemas import (
    AlertList,
    AlertOut,
    Approved,
    ApproveIn,
    AssignIn,
    CaseList,
    CaseOut,
    CommentIn,
    OpenCaseIn,
    Proposed,
    ProposeIn,
)
from interdict.service.casework import in_cases
from interdict.service.schemas import ERRORS, error_example
from interdict.store.alert_sources import AlertFilter, list_alerts, parse_age

__all__ = ["alerts_router", "cases_router"]

alerts_router = APIRouter(tags=["alerts"], responses={**ERRORS, 404: error_example(404)})
cases_router = APIRouter(
    tags=["cases"], responses={**ERRORS, 404: error_example(404), 409: error_example(409)}
)

CaseId = Annotated[str, Path(description="A case id (CASE-000001).", max_length=64)]


@alerts_router.get("/alerts", response_model=AlertList)
async def list_alerts_route(
    request: Request,
    source: Annotated[str | None, Query(description="screening, rescreen or monitoring.")] = None,
    status: Annotated[str | None, Query(description="open, true_match, …")] = None,
    min_score: Annotated[float | None, Query(ge=0, le=1, description="Score at least.")] = None,
    list_name: Annotated[
        str | None, Query(alias="list", description="Raised on this list.")
    ] = None,
    max_age: Annotated[
        str | None, Query(description="Raised within this age: 90m, 12h, 7d.")
    ] = None,
    case: Annotated[str | None, Query(description="Alerts in this case.")] = None,
) -> dict[str, Any]:
    """Stored alerts of every source, oldest first, filtered like `interdict alerts ls`."""
    wanted = AlertFilter(
        source=source,
        status=status,
        min_score=min_score,
        list_name=list_name,
        max_age=parse_age(max_age) if max_age else None,
        case_id=case,
    )
    found = await in_cases(request, "GET /alerts", lambda s, _: list_alerts(s.workspace, wanted))
    return {"alerts": found}


@alerts_router.get("/alerts/{alert_id}", response_model=AlertOut)
async def get_alert(
    request: Request, alert_id: Annotated[str, Path(max_length=64)]
) -> dict[str, Any]:
    """One stored alert, with its explanation and the data it was raised on."""

    def one(store: CaseStore, _: str) -> dict[str, Any]:
        found = list_alerts(store.workspace, AlertFilter(alert_ids=(alert_id,)))
        if not found:
            raise ListNotFoundError(f"no alert {alert_id!r}", hint="see GET /alerts")
        return found[0]

    return await in_cases(request, "GET /alerts/{alert_id}", one)


@cases_router.get("/cases", response_model=CaseList)
async def list_cases(
    request: Request,
    status: Annotated[str | None, Query(description="open, proposed, approved, …")] = None,
) -> dict[str, Any]:
    """Cases, by id (`interdict cases ls`)."""
    return {"cases": await in_cases(request, "GET /cases", lambda s, _: s.all(status))}


@cases_router.post("/cases", response_model=CaseOut, status_code=201)
async def open_case(request: Request, body: OpenCaseIn) -> dict[str, Any]:
    """Open a case from alerts in no case yet, as the key's analyst; answers the new case
    (its due date from the workspace's policy)."""

    def work(store: CaseStore, analyst: str) -> dict[str, Any]:
        return store.show(store.open(body.alert_ids, analyst=analyst, title=body.title))

    return await in_cases(request, "POST /cases", work, alerts=sorted(set(body.alert_ids)))


@cases_router.get("/cases/{case_id}", response_model=CaseOut)
async def show_case(request: Request, case_id: CaseId) -> dict[str, Any]:
    """Everything about a case: state and state hash, alerts, proposals, freezes, events."""
    return await in_cases(request, "GET /cases/{case_id}", lambda s, _: s.show(case_id))


@cases_router.post("/cases/{case_id}/comments", response_model=CaseOut)
async def comment_case(request: Request, case_id: CaseId, body: CommentIn) -> dict[str, Any]:
    """Add a comment (an event: a pending proposal made before it becomes stale)."""

    def work(store: CaseStore, analyst: str) -> dict[str, Any]:
        store.comment(case_id, body.text, analyst=analyst)
        return store.show(case_id)

    return await in_cases(request, "POST /cases/{case_id}/comments", work, case_id=case_id)


@cases_router.post("/cases/{case_id}/assign", response_model=CaseOut)
async def assign_case(request: Request, case_id: CaseId, body: AssignIn) -> dict[str, Any]:
    """Assign (or reassign) the case to a registered analyst."""

    def work(store: CaseStore, analyst: str) -> dict[str, Any]:
        store.assign(case_id, body.to, analyst=analyst)
        return store.show(case_id)

    return await in_cases(request, "POST /cases/{case_id}/assign", work, case_id=case_id)


@cases_router.post("/cases/{case_id}/propose", response_model=Proposed)
async def propose_verdict(request: Request, case_id: CaseId, body: ProposeIn) -> dict[str, Any]:
    """Propose a verdict on the case's current state, for a different analyst to approve.
    A true match freezes the customer at once (FATF R.6, without delay)."""

    def work(store: CaseStore, analyst: str) -> dict[str, Any]:
        made = propose(store, case_id, body.verdict, body.reason, analyst=analyst)
        return {**made, "freezes": store.freezes(case_id)}

    return await in_cases(
        request,
        "POST /cases/{case_id}/propose",
        work,
        case_id=case_id,
        verdict=body.verdict.value,
    )


@cases_router.post("/cases/{case_id}/approve", response_model=Approved)
async def approve_proposal(
    request: Request, case_id: CaseId, body: ApproveIn | None = None
) -> dict[str, Any]:
    """Approve the pending proposal as the second analyst. Refused (409) when the key's
    analyst made the proposal, may not approve, or the case changed since (stale)."""
    state_hash = body.state_hash if body is not None else None

    def work(store: CaseStore, analyst: str) -> dict[str, Any]:
        done = approve(store, case_id, analyst=analyst, state_hash=state_hash)
        status = store.get(case_id)["status"]
        return {**done, "case_status": status, "freezes": store.freezes(case_id)}

    return await in_cases(request, "POST /cases/{case_id}/approve", work, case_id=case_id)
