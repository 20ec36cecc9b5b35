"""Analysts' decisions on alerts, and the freeze records that true matches become.

A decision is appended, never edited: who decided, when, why, and on exactly which data (the
fingerprints of the customer record and of the listing the alert was raised on). A false
positive therefore clears only that customer–entity pair *as it was*: when either side changes
in a way that matters to the match, the fingerprints differ and the pair can be raised again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from interdict.errors import BadInputError, ConflictError
from interdict.store.alerts import AlertStore
from interdict.store.analysts import AnalystStore
from interdict.store.audit import record_event, utc_now
from interdict.store.workspace import Workspace, transaction

__all__ = ["Decision", "DecisionStore", "Freeze", "Verdict"]


class Verdict(StrEnum):
    """What the analyst concluded."""

    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"


@dataclass(frozen=True)
class Decision:
    """One recorded decision."""

    decision_id: str
    alert_id: str
    customer_id: str
    entity_id: str
    customer_fp: str
    entity_fp: str
    verdict: str
    reason: str
    analyst: str
    decided_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON form for exports."""
        data = dict(self.__dict__)
        data["decided_at"] = self.decided_at.isoformat(timespec="seconds") + "Z"
        return data


@dataclass(frozen=True)
class Freeze:
    """A customer whose funds are frozen because of a confirmed match."""

    freeze_id: str
    customer_id: str
    entity_id: str
    list_name: str
    source_id: str
    alert_id: str
    decision_id: str
    frozen_at: datetime
    analyst: str
    reason: str
    released_at: datetime | None
    release_reason: str | None


class DecisionStore:
    """Decisions and freezes in a workspace."""

    def __init__(self, workspace: Workspace, *, high_score: float = 0.95) -> None:
        self.workspace = workspace
        self.db = workspace.db
        self.alerts = AlertStore(workspace)
        self.high_score = high_score
        """A pair scoring this or more is cleared only through a four-eyes case."""

    def record(
        self, alert_id: str, *, verdict: Verdict, reason: str, analyst: str
    ) -> tuple[Decision, Freeze | None]:
        """Record a decision on an alert; a true match also creates a freeze record.

        The analyst must be registered. Clearing a high-score pair or a frozen customer needs a
        second analyst, so it is refused here and done through a case.
        """
        reason, analyst = reason.strip(), analyst.strip()
        if not reason or not analyst:
            raise BadInputError(
                "a decision needs a reason and the analyst's name",
                hint="pass --reason and --analyst",
            )
        analyst = AnalystStore(self.workspace).deciding(analyst).name
        alert = self.alerts.get(alert_id)
        self._single_analyst_may_decide(alert_id, alert.customer_id, alert.entity_id, verdict)
        if verdict is Verdict.FALSE_POSITIVE and alert.score >= self.high_score:
            raise ConflictError(
                f"alert {alert_id} scores {alert.score:.2f} (≥ {self.high_score:.2f}): clearing it"
                " needs a second analyst",
                hint=f"interdict cases open {alert_id}, then propose and have another approve",
            )
        if alert.kind != "alert":
            raise ConflictError(
                f"{alert_id} is a release (the entity left the list), not an alert",
                hint="releases need no decision; any freeze was lifted by the rescreen",
            )
        if alert.status in ("released", "superseded"):
            raise ConflictError(
                f"alert {alert_id} is {alert.status}",
                hint="decide on the newer alert for this customer and entity",
            )
        now = utc_now()
        number = len(self.decisions()) + 1
        decision_id = f"D-{number:06d}"
        decision = Decision(
            decision_id,
            alert.alert_id,
            alert.customer_id,
            alert.entity_id,
            alert.customer_fp,
            alert.entity_fp,
            verdict.value,
            reason,
            analyst,
            now,
        )
        freeze: Freeze | None = None
        if verdict is Verdict.TRUE_MATCH:
            digest = hashlib.sha256(f"{alert.alert_id}\x1f{decision_id}".encode()).hexdigest()
            freeze = Freeze(
                "F-" + digest[:12],
                alert.customer_id,
                alert.entity_id,
                alert.list_name,
                alert.source_id,
                alert.alert_id,
                decision_id,
                now,
                analyst,
                reason,
                None,
                None,
            )
        self._write(decision, freeze)
        return decision, freeze

    def _single_analyst_may_decide(
        self, alert_id: str, customer_id: str, entity_id: str, verdict: Verdict
    ) -> None:
        with self.db.cursor() as cursor:
            case = cursor.execute(
                "SELECT case_id FROM alerts WHERE alert_id = ?", [alert_id]
            ).fetchall()
            frozen = cursor.execute(
                "SELECT count(*) FROM freezes WHERE released_at IS NULL"
                " AND customer_id = ? AND entity_id = ?",
                [customer_id, entity_id],
            ).fetchall()
        if case and case[0][0]:
            raise ConflictError(
                f"alert {alert_id} is in case {case[0][0]}", hint="decide it in the case"
            )
        if verdict is Verdict.FALSE_POSITIVE and int(frozen[0][0]):
            raise ConflictError(
                f"customer {customer_id} is frozen for {entity_id}: releasing needs a second"
                " analyst",
                hint=f"interdict cases open {alert_id}, then propose false_positive for approval",
            )

    def _write(self, decision: Decision, freeze: Freeze | None) -> None:
        with transaction(self.db) as db:
            db.execute(
                "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                list(decision.__dict__.values()),
            )
            db.execute(
                "UPDATE alerts SET status = ? WHERE alert_id = ?",
                [decision.verdict, decision.alert_id],
            )
            if decision.verdict == Verdict.FALSE_POSITIVE:
                db.execute(
                    "UPDATE freezes SET released_at = ?, release_reason = ?"
                    " WHERE released_at IS NULL AND customer_id = ? AND entity_id = ?",
                    [
                        decision.decided_at,
                        f"decision {decision.decision_id}: false positive",
                        decision.customer_id,
                        decision.entity_id,
                    ],
                )
            if freeze is not None:
                db.execute(
                    "INSERT INTO freezes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    list(freeze.__dict__.values()),
                )
            record_event(
                db,
                "decision.record",
                decision.alert_id,
                {
                    "decision_id": decision.decision_id,
                    "verdict": decision.verdict,
                    "reason": decision.reason,
                    "freeze_id": freeze.freeze_id if freeze else None,
                },
                actor=decision.analyst,
                at=decision.decided_at,
            )

    def decisions(self) -> list[Decision]:
        """Every decision, in the order they were taken."""
        if not self.workspace.has_table("decisions"):
            return []
        with self.db.cursor() as cursor:
            rows = cursor.execute("SELECT * FROM decisions ORDER BY decision_id").fetchall()
        return [Decision(*row) for row in rows]

    def latest_for_pairs(self, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], Decision]:
        """The latest decision on each customer–entity pair (any data version)."""
        latest: dict[tuple[str, str], Decision] = {}
        for decision in self.decisions():
            key = (decision.customer_id, decision.entity_id)
            if key in pairs:
                latest[key] = decision
        return latest

    def freezes(self, *, active_only: bool = False) -> list[Freeze]:
        """Freeze records (only those not released when ``active_only``)."""
        if not self.workspace.has_table("freezes"):
            return []
        where = " WHERE released_at IS NULL" if active_only else ""
        with self.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT * FROM freezes" + where + " ORDER BY frozen_at, freeze_id"
            ).fetchall()
        return [Freeze(*row) for row in rows]
