"""Four-eyes decisions on a case, enforced in the store.

A proposal names its verdict, reason, author and the hash of the case state it rests on (the
head of the case's event chain). It becomes a decision only when a *different* registered
analyst whose role the policy allows approves it while the case is still in exactly that state:
any event after the proposal makes it stale, and a stale approval is refused. Two approvals at
the same moment conflict in the database; exactly one wins.

A true-match proposal freezes the customer at once (FATF R.6 "without delay"): the freeze does
not wait for the second analyst, but releasing it does — only an approved false-positive
proposal lifts it. Approved true matches and false positives are also written as decisions,
so rescreening remembers them as before.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Any

import duckdb

from interdict.cases.store import CaseStore, Change
from interdict.errors import BadInputError, ConflictError
from interdict.store.audit import utc_now

__all__ = ["ProposalVerdict", "approve", "propose", "reject"]


class ProposalVerdict(StrEnum):
    """What a proposal concludes."""

    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"
    SUSPICIOUS = "suspicious"
    NOT_SUSPICIOUS = "not_suspicious"
    RESPOND = "respond"
    """Answer an FIU's information request with the response held in the case."""


_ALLOWED = {
    "sanctions": {"true_match", "false_positive", "suspicious", "not_suspicious"},
    "monitoring": {"suspicious", "not_suspicious"},
    "request": {"respond"},
}
_AFTER = {
    "true_match": ("decided", "true_match"),
    "false_positive": ("closed", "false_positive"),
    "suspicious": ("approved", "suspicious"),
    "not_suspicious": ("closed", "not_suspicious"),
    "respond": ("approved", None),
}
_PROPOSAL_COLUMNS = "proposal_id, verdict, reason, author, state_hash, head_after, status"


def propose(
    store: CaseStore, case_id: str, verdict: ProposalVerdict, reason: str, *, analyst: str
) -> dict[str, Any]:
    """Propose a verdict; a true match freezes the case's customers at once."""
    author = store.analysts.deciding(analyst).name
    if not reason.strip():
        raise BadInputError("a proposal needs a reason", hint="pass --reason")

    def work(change: Change) -> dict[str, Any]:
        case = change.case
        if case["status"] == "proposed":
            raise ConflictError(
                f"case {case_id} already has a proposal waiting for approval",
                hint="approve or reject it first",
            )
        if case["status"] != "open":
            raise ConflictError(f"case {case_id} is {case['status']}: nothing to propose")
        if verdict.value not in _ALLOWED.get(case["kind"], set()):
            allowed = ", ".join(sorted(_ALLOWED.get(case["kind"], set())))
            raise BadInputError(
                f"a {case['kind']} case cannot be proposed as {verdict.value}",
                hint=f"use one of: {allowed}",
            )
        state_hash = str(case["head"])
        proposal_id = "P-" + hashlib.sha256(f"{case_id}\x1f{state_hash}".encode()).hexdigest()[:12]
        detail = {"proposal_id": proposal_id, "verdict": verdict.value, "reason": reason.strip()}
        change.event(author, "propose", {**detail, "state_hash": state_hash})
        if verdict is ProposalVerdict.TRUE_MATCH:
            frozen = _freeze(change, proposal_id, author, reason.strip())
            change.event(author, "freeze", {"proposal_id": proposal_id, "freezes": frozen})
        change.db.execute(
            "INSERT INTO case_proposals VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, NULL, NULL)",
            [
                proposal_id,
                case_id,
                verdict.value,
                reason.strip(),
                author,
                state_hash,
                change.case["head"],
                utc_now(),
            ],
        )
        change.set(status="proposed")
        return {**detail, "author": author, "state_hash": state_hash}

    result: dict[str, Any] = store.change(case_id, work)
    return result


def approve(
    store: CaseStore, case_id: str, *, analyst: str, state_hash: str | None = None
) -> dict[str, Any]:
    """Approve the case's pending proposal as the second analyst."""
    approver = store.analysts.deciding(analyst)
    if approver.role not in store.policy.approver_roles:
        roles = ", ".join(sorted(r.value for r in store.policy.approver_roles))
        raise ConflictError(
            f"analyst {approver.name!r} ({approver.role.value}) may not approve",
            hint=f"the workspace policy lets these roles approve: {roles}",
        )

    def work(change: Change) -> dict[str, Any]:
        proposal = _pending(change.db, case_id)
        if proposal["author"] == approver.name:
            raise ConflictError(
                f"{approver.name} proposed this and cannot approve it (four eyes)",
                hint="another registered analyst must approve",
            )
        stale = state_hash is not None and state_hash != proposal["state_hash"]
        if stale or change.case["head"] != proposal["head_after"]:
            raise ConflictError(
                f"the approval is stale: case {case_id} changed since proposal"
                f" {proposal['proposal_id']} was made",
                hint="look at the case again; the proposal must be made again on its new state",
            )
        updated = change.db.execute(
            "UPDATE case_proposals SET status = 'approved', approver = ?, decided_at = ?"
            " WHERE proposal_id = ? AND status = 'pending'",
            [approver.name, utc_now(), proposal["proposal_id"]],
        ).fetchall()
        if int(updated[0][0]) != 1:
            raise ConflictError(f"proposal {proposal['proposal_id']} was decided meanwhile")
        _apply(change, proposal, approver.name)
        detail = {"proposal_id": proposal["proposal_id"], "verdict": proposal["verdict"]}
        change.event(approver.name, "approve", {**detail, "state_hash": proposal["state_hash"]})
        return {**detail, "author": proposal["author"], "approver": approver.name}

    result: dict[str, Any] = store.change(case_id, work)
    return result


def reject(store: CaseStore, case_id: str, reason: str, *, analyst: str) -> None:
    """Send the pending proposal back (a freeze stays until a false positive is approved)."""
    actor = store.analysts.deciding(analyst).name

    def work(change: Change) -> None:
        proposal = _pending(change.db, case_id)
        change.db.execute(
            "UPDATE case_proposals SET status = 'rejected', approver = ?, decided_at = ?"
            " WHERE proposal_id = ?",
            [actor, utc_now(), proposal["proposal_id"]],
        )
        change.set(status="open")
        change.event(actor, "reject", {"proposal_id": proposal["proposal_id"], "reason": reason})

    store.change(case_id, work)


def _pending(db: duckdb.DuckDBPyConnection, case_id: str) -> dict[str, Any]:
    rows = db.execute(
        "SELECT " + _PROPOSAL_COLUMNS + " FROM case_proposals"
        " WHERE case_id = ? AND status = 'pending'",
        [case_id],
    ).fetchall()
    if not rows:
        raise ConflictError(
            f"case {case_id} has no proposal waiting for approval",
            hint="propose first: 'interdict cases propose'",
        )
    names = [c.strip() for c in _PROPOSAL_COLUMNS.split(",")]
    return dict(zip(names, rows[0], strict=True))


def _case_alerts(db: duckdb.DuckDBPyConnection, case_id: str) -> list[tuple[Any, ...]]:
    return db.execute(
        "SELECT alert_id, customer_id, entity_id, customer_fp, entity_fp, list_name, source_id"
        " FROM alerts WHERE case_id = ? ORDER BY alert_id",
        [case_id],
    ).fetchall()


def _freeze(change: Change, proposal_id: str, author: str, reason: str) -> list[str]:
    now, frozen = utc_now(), []
    for alert_id, customer_id, entity_id, _cfp, _efp, list_name, source_id in _case_alerts(
        change.db, str(change.case["case_id"])
    ):
        active = change.db.execute(
            "SELECT count(*) FROM freezes WHERE released_at IS NULL"
            " AND customer_id = ? AND entity_id = ?",
            [customer_id, entity_id],
        ).fetchall()
        if int(active[0][0]):
            continue
        freeze_id = "F-" + hashlib.sha256(f"{alert_id}\x1f{proposal_id}".encode()).hexdigest()[:12]
        change.db.execute(
            "INSERT INTO freezes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            [freeze_id, customer_id, entity_id, list_name, source_id, alert_id, proposal_id,
             now, author, reason],
        )  # fmt: skip
        frozen.append(freeze_id)
    return frozen


def _apply(change: Change, proposal: dict[str, Any], approver: str) -> None:
    verdict, case_id = str(proposal["verdict"]), str(change.case["case_id"])
    status, alert_status = _AFTER[verdict]
    now = utc_now()
    if alert_status is not None:
        change.db.execute("UPDATE alerts SET status = ? WHERE case_id = ?", [alert_status, case_id])
    if verdict in ("true_match", "false_positive"):
        _record_decisions(change, proposal, approver)
    if verdict == "false_positive":
        for _alert_id, customer_id, entity_id, *_ in _case_alerts(change.db, case_id):
            change.db.execute(
                "UPDATE freezes SET released_at = ?, release_reason = ?"
                " WHERE released_at IS NULL AND customer_id = ? AND entity_id = ?",
                [now, f"case {case_id}: false positive approved by {approver}", customer_id,
                 entity_id],
            )  # fmt: skip
    closed = proposal["reason"] if status == "closed" else None
    change.set(status=status, verdict=verdict, closed_reason=closed)


def _record_decisions(change: Change, proposal: dict[str, Any], approver: str) -> None:
    """Write the approved verdict as decisions, so rescreening remembers the pairs."""
    count = int(change.db.execute("SELECT count(*) FROM decisions").fetchall()[0][0])
    reason = (
        f"{proposal['reason']} (case {change.case['case_id']}, proposed by {proposal['author']},"
        f" approved by {approver})"
    )
    for offset, (alert_id, customer_id, entity_id, cfp, efp, *_rest) in enumerate(
        _case_alerts(change.db, str(change.case["case_id"])), start=1
    ):
        change.db.execute(
            "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [f"D-{count + offset:06d}", alert_id, customer_id, entity_id, cfp, efp,
             proposal["verdict"], reason, proposal["author"], utc_now()],
        )  # fmt: skip
