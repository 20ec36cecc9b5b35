"""An FIU's information request as a case: search, propose the answer, answer once approved.

The request (auth.001) names a party or an account and a period; the workspace's customer
base, alerts and the transactions kept with them are searched, a ``request`` case holds the
request and the findings, and the answer (auth.002) is written only after a second analyst
approved the proposal to respond. Reading an auth.003 status update adds an event to the case.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from interdict.cases.foureyes import ProposalVerdict, approve, propose
from interdict.cases.store import CaseStore, Change
from interdict.errors import ListNotFoundError
from interdict.reports.iso20022.auth001 import InformationRequest, StatusUpdate
from interdict.reports.iso20022.auth002 import build_response, write_response
from interdict.store.alert_sources import list_alerts
from interdict.store.customers import CustomerStore

__all__ = ["Answer", "answer_request", "record_status", "search_request"]


def _words(name: str) -> tuple[str, ...]:
    return tuple(sorted(re.findall(r"\w+", name.casefold())))


def search_request(store: CaseStore, request: InformationRequest) -> dict[str, Any]:
    """Customers, alerts and transactions the request's criteria point at."""
    ids = {identifier for identifier, _scheme in request.identifiers}
    names = {_words(n) for n in request.names}
    customers = []
    if store.workspace.has_table("customers"):
        for record in CustomerStore(store.workspace).current():
            party = record.party()
            born = str(party.birth_date) if party.birth_date else None
            if request.birth_date and born and not request.birth_date.startswith(born):
                continue
            if record.customer_id in ids or party.id_number in ids or _words(party.name) in names:
                customers.append({"customer_id": record.customer_id, "name": party.name})
    subjects = ids | {c["customer_id"] for c in customers}
    alerts, transactions = [], []
    start, end = request.period
    for alert in list_alerts(store.workspace):
        if alert["customer_id"] in subjects:
            alerts.append(alert["alert_id"])
        for row in alert["data"].get("transactions", []):
            day = str(row.get("timestamp", ""))[:10]
            inside = (not start or day >= start) and (not end or day <= end)
            parties = {str(row.get("from_account")), str(row.get("to_account"))}
            if inside and parties & subjects:
                transactions.append(str(row["txn_id"]))
    return {
        "customers": customers,
        "alerts": sorted(set(alerts)),
        "transactions": sorted(set(transactions)),
    }


def _find_case(store: CaseStore, request: InformationRequest) -> str | None:
    for case in store.all():
        if case["kind"] == "request":
            data = store.get(case["case_id"])["data"]
            if data.get("request", {}).get("fingerprint") == request.fingerprint:
                return str(case["case_id"])
    return None


class Answer:
    """What ``requests answer`` did."""

    def __init__(self, case_id: str, written: bool, validated: bool, findings: dict[str, Any]):
        self.case_id = case_id
        self.written = written
        self.validated = validated
        self.findings = findings


def answer_request(
    store: CaseStore,
    request: InformationRequest,
    *,
    analyst: str,
    out: Path,
    approve_as: str | None = None,
    xsd_folder: Path | None = None,
) -> Answer:
    """Open (or find) the request's case, propose the answer, and write it once approved."""
    case_id = _find_case(store, request)
    if case_id is None:
        findings = search_request(store, request)
        case_id = store.open(
            [],
            analyst=analyst,
            kind="request",
            title=f"FIU request {request.investigation_id}",
            data={"request": request.summary(), "findings": findings},
        )
    case = store.get(case_id)
    findings = case["data"]["findings"]
    if case["status"] == "open":
        counts = ", ".join(f"{len(v)} {k}" for k, v in findings.items())
        propose(store, case_id, ProposalVerdict.RESPOND, f"answer with {counts}", analyst=analyst)
    if store.get(case_id)["status"] == "proposed" and approve_as:
        approve(store, case_id, analyst=approve_as)
    if store.get(case_id)["status"] not in ("approved", "answered"):
        return Answer(case_id, False, False, findings)
    response_id = "R" + hashlib.sha256(case_id.encode()).hexdigest()[:20]
    document = build_response(request, response_id, findings)
    validated = write_response(document, out, xsd_folder)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    actor = store.analysts.deciding(analyst).name

    def record(change: Change) -> None:
        change.set(status="answered")
        change.event(actor, "respond", {"format": "auth.002", "sha256": digest, "file": out.name})

    store.change(case_id, record)
    return Answer(case_id, True, validated, findings)


def record_status(store: CaseStore, update: StatusUpdate, *, analyst: str) -> str:
    """Add an auth.003 status update to the case of the request it refers to."""
    actor = store.analysts.get(analyst).name
    for case in store.all():
        data = store.get(case["case_id"])["data"] if case["kind"] == "request" else {}
        request = data.get("request", {})
        if update.original_query in (request.get("business_id"), request.get("investigation_id")):
            case_id = str(case["case_id"])
            store.change(
                case_id,
                lambda c: c.event(
                    actor,
                    "fiu_status",
                    {"original_query": update.original_query, "confidential": update.confidential},
                ),
            )
            return case_id
    raise ListNotFoundError(
        f"no request case for {update.original_query!r}",
        hint="answer the auth.001 first ('interdict requests answer')",
    )
