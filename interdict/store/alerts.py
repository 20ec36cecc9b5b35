"""Alerts raised by rescreening, the change that caused each, and what has been rescreened so far.

An alert's id is derived from the customer, the entity and the fingerprints of both sides'
match-relevant data, so the same finding always gets the same id: a rescreen that is rerun
(after a crash, or by mistake) cannot store an alert twice, and a pair an analyst has decided
on is not raised again until one side changes in a way that matters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa

from interdict.errors import ListNotFoundError
from interdict.store.audit import record_event, utc_now
from interdict.store.workspace import Workspace, transaction

__all__ = ["Alert", "AlertStore", "Cause", "RunRecord", "alert_id_for", "release_id_for"]

_COLUMNS = (
    "alert_id, run_id, kind, status, customer_id, customer_name, customer_fp, list_name,"
    " list_version, source_id, entity_id, entity_fp, score, matched_name, explanation, cause,"
    " matcher, created_at, delivered"
)


def alert_id_for(customer_id: str, entity_id: str, customer_fp: str, entity_fp: str) -> str:
    """Stable id of a finding: same customer data + same listing → same id."""
    text = "\x1f".join((customer_id, entity_id, customer_fp, entity_fp))
    return "A-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def release_id_for(customer_id: str, entity_id: str, list_version: int) -> str:
    """Stable id of a release (the entity left the list in ``list_version``)."""
    text = "\x1f".join((customer_id, entity_id, str(list_version)))
    return "R-" + hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Cause:
    """The change that made a rescreen raise an alert or a release."""

    type: str
    """``list_update`` or ``customer_update``."""
    summary: str
    list: str | None = None
    from_version: int | None = None
    to_version: int | None = None
    change: str | None = None
    """``added``, ``changed`` or ``removed`` (an entity); ``new`` or ``changed`` (a customer)."""
    fields: tuple[str, ...] = ()
    customer_version: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (empty parts left out)."""
        data = asdict(self)
        data["fields"] = list(self.fields)
        return {k: v for k, v in data.items() if v is not None and v != []}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cause:
        """Inverse of :meth:`to_dict`."""
        return cls(**{**data, "fields": tuple(data.get("fields", ()))})


@dataclass(frozen=True)
class Alert:
    """A possible match of a customer with a listed entity (or a release of one)."""

    alert_id: str
    kind: str
    """``alert`` or ``release`` (a hit on an entity that left the list)."""
    customer_id: str
    customer_name: str
    customer_fp: str
    list_name: str
    list_version: int
    source_id: str
    entity_id: str
    entity_fp: str
    score: float
    matched_name: str
    explanation: tuple[str, ...]
    cause: Cause
    matcher: str
    status: str = "open"
    run_id: str = ""
    created_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON line written by ``interdict rescreen --out``."""
        return {
            "alert_id": self.alert_id,
            "kind": self.kind,
            "customer_id": self.customer_id,
            "customer_name": self.customer_name,
            "list": self.list_name,
            "list_version": self.list_version,
            "source_id": self.source_id,
            "entity_id": self.entity_id,
            "score": round(self.score, 6),
            "matched_name": self.matched_name,
            "explanation": list(self.explanation),
            "cause": self.cause.to_dict(),
            "status": self.status,
            "matcher": self.matcher,
        }


@dataclass
class RunRecord:
    """One rescreen to be stored at once: its findings and the versions it covered."""

    run_id: str
    started_at: datetime
    alerts: list[Alert]
    releases: list[Alert]
    screened: dict[str, int]
    """Subject (``list:NAME`` or ``customers``) → version now screened."""
    summary: dict[str, Any] = field(default_factory=dict)


def _row_to_alert(row: Sequence[Any]) -> Alert:
    return Alert(
        alert_id=row[0],
        run_id=row[1],
        kind=row[2],
        status=row[3],
        customer_id=row[4],
        customer_name=row[5],
        customer_fp=row[6],
        list_name=row[7],
        list_version=row[8],
        source_id=row[9],
        entity_id=row[10],
        entity_fp=row[11],
        score=row[12],
        matched_name=row[13],
        explanation=tuple(json.loads(row[14])),
        cause=Cause.from_dict(json.loads(row[15])),
        matcher=row[16],
        created_at=row[17],
    )


class AlertStore:
    """Alerts and rescreen bookkeeping in a workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.db = workspace.db

    def screened_versions(self) -> dict[str, int]:
        """What the customer base was last rescreened against: subject → version."""
        if not self.workspace.has_table("rescreen_state"):
            return {}
        with self.db.cursor() as cursor:
            rows = cursor.execute("SELECT subject, version FROM rescreen_state").fetchall()
        return {subject: int(version) for subject, version in rows}

    def statuses(self, alert_ids: Iterable[str]) -> dict[str, str]:
        """Status of those of ``alert_ids`` already stored."""
        table = pa.table({"alert_id": pa.array(sorted(set(alert_ids)), pa.string())})
        with self.db.cursor() as cursor:
            cursor.register("wanted_alerts", table)
            rows = cursor.execute(
                "SELECT alert_id, status FROM alerts SEMI JOIN wanted_alerts USING (alert_id)"
            ).fetchall()
            cursor.unregister("wanted_alerts")
        return dict(rows)

    def holding(self, entity_ids: Iterable[str]) -> list[Alert]:
        """Open or confirmed alerts on these entities (the customers a removal releases)."""
        table = pa.table({"entity_id": pa.array(sorted(set(entity_ids)), pa.string())})
        with self.db.cursor() as cursor:
            cursor.register("removed_entities", table)
            rows = cursor.execute(
                "SELECT " + _COLUMNS + " FROM alerts SEMI JOIN removed_entities USING (entity_id)"
                " WHERE kind = 'alert' AND status IN ('open', 'true_match') ORDER BY alert_id"
            ).fetchall()
            cursor.unregister("removed_entities")
        return [_row_to_alert(row) for row in rows]

    def get(self, alert_id: str) -> Alert:
        """One alert by id."""
        with self.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT " + _COLUMNS + " FROM alerts WHERE alert_id = ?", [alert_id]
            ).fetchall()
        if not rows:
            raise ListNotFoundError(
                f"no alert {alert_id!r}", hint="alert ids are in the output of 'interdict rescreen'"
            )
        return _row_to_alert(rows[0])

    def all(self, *, undelivered_only: bool = False) -> list[Alert]:
        """Stored alerts and releases, oldest first."""
        where = " WHERE NOT delivered" if undelivered_only else ""
        with self.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT " + _COLUMNS + " FROM alerts" + where + " ORDER BY created_at, alert_id"
            ).fetchall()
        return [_row_to_alert(row) for row in rows]

    def mark_delivered(self, alert_ids: Sequence[str]) -> None:
        """Remember that these alerts were written out."""
        table = pa.table({"alert_id": pa.array(list(alert_ids), pa.string())})
        with self.db.cursor() as cursor:
            cursor.register("delivered_alerts", table)
            cursor.execute(
                "UPDATE alerts SET delivered = true"
                " WHERE alert_id IN (SELECT alert_id FROM delivered_alerts)"
            )
            cursor.unregister("delivered_alerts")

    def commit_run(self, run: RunRecord) -> None:
        """Store a rescreen's findings and advance what has been screened, all or nothing."""
        now = utc_now()
        with transaction(self.db) as db:
            self._supersede(db, run.alerts)
            self._insert(db, run, run.alerts, now)
            self._insert(db, run, run.releases, now)
            self._release(db, run.releases, now)
            for subject, version in sorted(run.screened.items()):
                db.execute(
                    "INSERT OR REPLACE INTO rescreen_state VALUES (?, ?, ?)",
                    [subject, version, run.run_id],
                )
            summary = json.dumps(run.summary, sort_keys=True)
            db.execute(
                "INSERT INTO rescreen_runs VALUES (?, ?, ?, ?, ?)",
                [run.run_id, run.started_at, now, "rescreen", summary],
            )
            record_event(db, "rescreen", run.run_id, run.summary, at=now)

    @staticmethod
    def _insert(db: Any, run: RunRecord, alerts: list[Alert], now: datetime) -> None:
        if not alerts:
            return
        table = pa.table(
            {
                "alert_id": [a.alert_id for a in alerts],
                "run_id": [run.run_id] * len(alerts),
                "kind": [a.kind for a in alerts],
                "status": ["release" if a.kind == "release" else "open" for a in alerts],
                "customer_id": [a.customer_id for a in alerts],
                "customer_name": [a.customer_name for a in alerts],
                "customer_fp": [a.customer_fp for a in alerts],
                "list_name": [a.list_name for a in alerts],
                "list_version": pa.array([a.list_version for a in alerts], pa.int32()),
                "source_id": [a.source_id for a in alerts],
                "entity_id": [a.entity_id for a in alerts],
                "entity_fp": [a.entity_fp for a in alerts],
                "score": pa.array([a.score for a in alerts], pa.float64()),
                "matched_name": [a.matched_name for a in alerts],
                "explanation": [
                    json.dumps(list(a.explanation), ensure_ascii=False) for a in alerts
                ],
                "cause": [json.dumps(a.cause.to_dict(), ensure_ascii=False) for a in alerts],
                "matcher": [a.matcher for a in alerts],
                "created_at": pa.array([now] * len(alerts), pa.timestamp("us")),
                "delivered": [False] * len(alerts),
            }
        )
        db.register("incoming_alerts", table)
        db.execute(
            "INSERT INTO alerts (" + _COLUMNS + ") SELECT * FROM incoming_alerts"
            " ON CONFLICT DO NOTHING"
        )
        db.unregister("incoming_alerts")

    @staticmethod
    def _pairs(db: Any, alerts: list[Alert]) -> None:
        table = pa.table(
            {
                "customer_id": [a.customer_id for a in alerts],
                "entity_id": [a.entity_id for a in alerts],
                "alert_id": [a.alert_id for a in alerts],
                "summary": [a.cause.summary for a in alerts],
            }
        )
        db.register("pairs", table)

    @classmethod
    def _supersede(cls, db: Any, alerts: list[Alert]) -> None:
        if not alerts:
            return
        cls._pairs(db, alerts)
        db.execute(
            "UPDATE alerts SET status = 'superseded' FROM pairs"
            " WHERE alerts.kind = 'alert' AND alerts.status = 'open'"
            " AND alerts.customer_id = pairs.customer_id AND alerts.entity_id = pairs.entity_id"
            " AND alerts.alert_id <> pairs.alert_id"
        )
        db.unregister("pairs")

    @classmethod
    def _release(cls, db: Any, releases: list[Alert], now: datetime) -> None:
        if not releases:
            return
        cls._pairs(db, releases)
        db.execute(
            "UPDATE alerts SET status = 'released' FROM pairs WHERE alerts.kind = 'alert'"
            " AND alerts.status IN ('open', 'true_match')"
            " AND alerts.customer_id = pairs.customer_id AND alerts.entity_id = pairs.entity_id"
        )
        db.execute(
            "UPDATE freezes SET released_at = ?, release_reason = pairs.summary FROM pairs"
            " WHERE freezes.released_at IS NULL AND freezes.customer_id = pairs.customer_id"
            " AND freezes.entity_id = pairs.entity_id",
            [now],
        )
        db.unregister("pairs")
