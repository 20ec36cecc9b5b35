"""Cases in the workspace: opened from alerts, worked on, closed — every change one event.

Each change is one database transaction that updates the case, appends its event to the case's
own hash chain (each event's hash covers the previous one, so the head names the whole state)
and queues the event for the audit trail; the trail is appended right after the commit
(:class:`~interdict.store.trail.Trail`). A crash at any point leaves either the whole change or
none of it, and the next command chains whatever was committed. Two changes of one case at the
same time conflict in the database: one wins, the other is refused with a clear message.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb

from interdict.cases.policy import CasePolicy, load_policy
from interdict.errors import BadInputError, ConflictError, ListNotFoundError
from interdict.store.alert_sources import AlertFilter, list_alerts
from interdict.store.analysts import AnalystStore
from interdict.store.audit import chain_event, new_event_id, utc_now
from interdict.store.trail import Trail, case_event_hash
from interdict.store.workspace import Workspace, transaction

__all__ = ["CaseStore", "Change"]

GENESIS = "0" * 64
MAX_EVIDENCE_BYTES = 256 * 1024 * 1024
_COLUMNS = (
    "case_id, kind, title, status, verdict, assignee, opened_by, opened_at, due_at,"
    " closed_reason, head, events, data"
)
_OPEN = ("open", "proposed", "approved")


@dataclass
class Change:
    """A case inside a transaction: its row as read, and the events appended so far."""

    db: duckdb.DuckDBPyConnection
    case: dict[str, Any]

    def event(self, actor: str, action: str, detail: dict[str, Any]) -> str:
        """Append one event to the case's chain and queue it for the audit trail."""
        event_id = new_event_id("E")
        number, prev = int(self.case["events"]) + 1, str(self.case["head"])
        digest = case_event_hash(prev, event_id, actor, action, detail)
        now = utc_now()
        self.db.execute(
            "INSERT INTO case_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                event_id,
                self.case["case_id"],
                number,
                now,
                actor,
                action,
                json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
                prev,
                digest,
            ],
        )
        self.db.execute(
            "UPDATE cases SET head = ?, events = ? WHERE case_id = ?",
            [digest, number, self.case["case_id"]],
        )
        chain_event(
            self.db,
            who=actor,
            event=f"case.{action}",
            subject=str(self.case["case_id"]),
            detail=json.loads(json.dumps(detail, default=str)),
            at=now,
            event_id=event_id,
        )
        self.case.update(head=digest, events=number)
        return digest

    def set(self, **fields: Any) -> None:
        """Update columns of the case row."""
        names = sorted(fields)
        self.db.execute(
            "UPDATE cases SET " + ", ".join(f"{n} = ?" for n in names) + " WHERE case_id = ?",
            [*(fields[n] for n in names), self.case["case_id"]],
        )
        self.case.update(fields)

    def set_data(self, **fields: Any) -> None:
        """Update keys of the case's JSON data."""
        data = {**self.case["data"], **fields}
        self.db.execute(
            "UPDATE cases SET data = ? WHERE case_id = ?",
            [json.dumps(data, ensure_ascii=False, default=str), self.case["case_id"]],
        )
        self.case["data"] = data


class CaseStore:
    """Cases of one workspace, with the trail their events go to."""

    def __init__(
        self, workspace: Workspace, trail: Trail, policy: CasePolicy | None = None
    ) -> None:
        self.workspace = workspace
        self.trail = trail
        self.analysts = AnalystStore(workspace)
        self.policy = policy or load_policy(workspace.home)

    # -- the one way to change a case ------------------------------------------------------------

    def change(self, case_id: str, work: Callable[[Change], Any]) -> Any:
        """Run ``work`` on the case in one transaction; commit, then chain its events."""
        try:
            with transaction(self.workspace.db) as db:
                result = work(Change(db, self._read(db, case_id)))
        except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
            raise ConflictError(
                f"case {case_id} was changed by someone else at the same moment",
                hint="look at the case again ('interdict cases show') and retry",
            ) from exc
        self.trail.flush()
        return result

    @staticmethod
    def _read(db: duckdb.DuckDBPyConnection, case_id: str) -> dict[str, Any]:
        rows = db.execute("SELECT " + _COLUMNS + " FROM cases WHERE case_id = ?", [case_id])
        found = rows.fetchall()
        if not found:
            raise ListNotFoundError(f"no case {case_id!r}", hint="see 'interdict cases ls'")
        case = dict(zip([c.strip() for c in _COLUMNS.split(",")], found[0], strict=True))
        case["data"] = json.loads(case["data"])
        return case

    # -- opening ---------------------------------------------------------------------------------

    def open(
        self,
        alert_ids: Iterable[str],
        *,
        analyst: str,
        title: str = "",
        kind: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> str:
        """Open a case from alerts (or, with ``kind='request'``, from an FIU's request)."""
        actor = self.analysts.deciding(analyst).name
        wanted = sorted(set(alert_ids))
        alerts = list_alerts(self.workspace, AlertFilter(alert_ids=tuple(wanted))) if wanted else []
        self._check_attachable(wanted, alerts)
        if not wanted and kind != "request":
            raise BadInputError("a case starts from at least one alert", hint="pass ALERT_ID…")
        kind = kind or (
            "monitoring" if all(a["source"] == "monitoring" for a in alerts) else "sanctions"
        )
        now = utc_now()
        due = now + timedelta(hours=self.policy.due_in(kind))
        try:
            with transaction(self.workspace.db) as db:
                number = int(db.execute("SELECT count(*) FROM cases").fetchall()[0][0]) + 1
                case_id = f"CASE-{number:06d}"
                title = title or _title(alerts, kind)
                db.execute(
                    "INSERT INTO cases VALUES (?, ?, ?, 'open', NULL, ?, ?, ?, ?, NULL, ?, 0, ?)",
                    [case_id, kind, title, actor, actor, now, due, GENESIS, json.dumps(data or {})],
                )
                change = Change(db, self._read(db, case_id))
                change.event(
                    actor, "open", {"kind": kind, "title": title, "due_at": due.isoformat()}
                )
                if wanted:
                    self._attach(change, actor, wanted)
        except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
            raise ConflictError(
                "another case was opened at the same moment, or an alert was taken", hint="retry"
            ) from exc
        self.trail.flush()
        return case_id

    @staticmethod
    def _check_attachable(wanted: list[str], alerts: list[dict[str, Any]]) -> None:
        found = {a["alert_id"]: a for a in alerts}
        for alert_id in wanted:
            alert = found.get(alert_id)
            if alert is None:
                raise ListNotFoundError(
                    f"no alert {alert_id!r}", hint="see 'interdict alerts ls --status open'"
                )
            if alert["case_id"]:
                raise ConflictError(
                    f"alert {alert_id} is already in case {alert['case_id']}",
                    hint="work on it there, or link the cases",
                )
            if alert["kind"] != "alert" or alert["status"] in ("superseded", "released"):
                raise ConflictError(f"alert {alert_id} is {alert['status']}: nothing to decide")

    @staticmethod
    def _attach(change: Change, actor: str, alert_ids: list[str]) -> None:
        placeholders = ", ".join("?" * len(alert_ids))
        updated = change.db.execute(
            "UPDATE alerts SET case_id = ? WHERE case_id IS NULL AND alert_id IN ("
            + placeholders
            + ")",
            [change.case["case_id"], *alert_ids],
        ).fetchall()
        if int(updated[0][0]) != len(alert_ids):
            raise ConflictError("an alert was put in another case at the same moment", hint="retry")
        change.event(actor, "attach", {"alerts": alert_ids})

    # -- working on a case -----------------------------------------------------------------------

    def attach(self, case_id: str, alert_ids: Iterable[str], *, analyst: str) -> None:
        """Put more alerts in an open case."""
        actor = self.analysts.deciding(analyst).name
        wanted = sorted(set(alert_ids))
        self._check_attachable(
            wanted, list_alerts(self.workspace, AlertFilter(alert_ids=tuple(wanted)))
        )

        def work(change: Change) -> None:
            _must_be_open(change.case)
            self._attach(change, actor, wanted)

        self.change(case_id, work)

    def assign(self, case_id: str, assignee: str, *, analyst: str) -> None:
        """Give the case to a registered analyst (reassigning is the same)."""
        actor = self.analysts.deciding(analyst).name
        to = self.analysts.deciding(assignee).name

        def work(change: Change) -> None:
            _must_be_open(change.case)
            previous = change.case["assignee"]
            change.set(assignee=to)
            change.event(actor, "assign", {"from": previous, "to": to})

        self.change(case_id, work)

    def comment(self, case_id: str, text: str, *, analyst: str) -> None:
        """Add a comment (auditors may comment too)."""
        actor = self.analysts.get(analyst).name
        if not text.strip():
            raise BadInputError("the comment is empty")
        self.change(case_id, lambda c: c.event(actor, "comment", {"text": text.strip()}))

    def add_evidence(self, case_id: str, path: Path, *, analyst: str, note: str = "") -> str:
        """Store a file by its SHA-256 under ``<home>/evidence`` and attach it; returns the hash."""
        actor = self.analysts.get(analyst).name
        digest, size = _store_evidence(self.workspace.home / "evidence", path)

        def work(change: Change) -> None:
            evidence = [*change.case["data"].get("evidence", [])]
            item = {"sha256": digest, "name": path.name, "size": size, "note": note}
            evidence.append(item)
            change.set_data(evidence=evidence)
            change.event(actor, "evidence", item)

        self.change(case_id, work)
        return digest

    def link(self, case_id: str, other: str, *, analyst: str) -> None:
        """Link two related cases (both record the link)."""
        actor = self.analysts.get(analyst).name
        if other == case_id:
            raise BadInputError("a case cannot be linked to itself")

        def add(to: str) -> Callable[[Change], None]:
            def work(change: Change) -> None:
                links = sorted({*change.case["data"].get("links", []), to})
                change.set_data(links=links)
                change.event(actor, "link", {"case": to})

            return work

        self.change(other, lambda c: None)  # the other case must exist
        self.change(case_id, add(other))
        self.change(other, add(case_id))

    def close(self, case_id: str, reason: str, *, analyst: str) -> None:
        """Close a case with a reason; one whose customer is frozen needs a decided release."""
        actor = self.analysts.deciding(analyst).name
        if not reason.strip():
            raise BadInputError("closing a case needs a reason", hint="pass --reason")

        def work(change: Change) -> None:
            _must_be_open(change.case)
            if change.case["status"] == "proposed":
                raise ConflictError(
                    f"case {case_id} has a proposal waiting for approval", hint="decide it first"
                )
            if _active_freezes(change.db, case_id):
                raise ConflictError(
                    f"case {case_id} holds an active freeze",
                    hint="a freeze is released only by an approved false-positive proposal",
                )
            change.set(status="closed", closed_reason=reason.strip())
            change.event(actor, "close", {"reason": reason.strip()})

        self.change(case_id, work)

    # -- reading ---------------------------------------------------------------------------------

    def get(self, case_id: str) -> dict[str, Any]:
        """The case row."""
        with self.workspace.db.cursor() as cursor:
            return self._read(cursor, case_id)

    def show(self, case_id: str) -> dict[str, Any]:
        """Everything about a case: row, alerts, proposals, freezes, events."""
        case = self.get(case_id)
        with self.workspace.db.cursor() as cursor:
            events = cursor.execute(
                "SELECT number, happened_at, actor, action, detail, hash FROM case_events"
                " WHERE case_id = ? ORDER BY number",
                [case_id],
            ).fetchall()
            proposals = cursor.execute(
                "SELECT proposal_id, verdict, reason, author, state_hash, status, proposed_at,"
                " approver, decided_at FROM case_proposals WHERE case_id = ?"
                " ORDER BY proposed_at",
                [case_id],
            ).fetchall()
        keys = ("proposal_id", "verdict", "reason", "author", "state_hash", "status")
        return {
            **{k: _json_value(v) for k, v in case.items()},
            "state_hash": case["head"],
            "frozen": bool(self.freezes(case_id)),
            "alerts": list_alerts(self.workspace, AlertFilter(case_id=case_id)),
            "proposals": [
                {
                    **dict(zip(keys, p[:6], strict=True)),
                    "proposed_at": _json_value(p[6]),
                    "approver": p[7],
                    "decided_at": _json_value(p[8]),
                }
                for p in proposals
            ],
            "freezes": self.freezes(case_id, active_only=False),
            "events": [
                {
                    "number": n,
                    "at": _json_value(at),
                    "actor": actor,
                    "action": action,
                    "detail": json.loads(detail),
                    "hash": digest,
                }
                for n, at, actor, action, detail, digest in events
            ],
        }

    def freezes(self, case_id: str, *, active_only: bool = True) -> list[dict[str, Any]]:
        """Freeze records raised from this case's alerts."""
        with self.workspace.db.cursor() as cursor:
            rows = _freeze_rows(cursor, case_id, active_only)
        keys = ("freeze_id", "customer_id", "entity_id", "frozen_at", "analyst", "released_at")
        return [{k: _json_value(v) for k, v in zip(keys, row, strict=True)} for row in rows]

    def all(self, status: str | None = None) -> list[dict[str, Any]]:
        """Every case (of one status), oldest first."""
        sql = "SELECT " + _COLUMNS + " FROM cases"
        params: list[object] = []
        if status is not None:
            sql, params = sql + " WHERE status = ?", [status]
        with self.workspace.db.cursor() as cursor:
            rows = cursor.execute(sql + " ORDER BY case_id", params).fetchall()
        names = [c.strip() for c in _COLUMNS.split(",")]
        return [
            {k: _json_value(v) for k, v in zip(names, row, strict=True) if k != "data"}
            for row in rows
        ]


def _must_be_open(case: dict[str, Any]) -> None:
    if case["status"] not in _OPEN:
        raise ConflictError(
            f"case {case['case_id']} is {case['status']}", hint="open a new case for new work"
        )


def _freeze_rows(
    db: duckdb.DuckDBPyConnection, case_id: str, active_only: bool
) -> list[tuple[Any, ...]]:
    where = " AND f.released_at IS NULL" if active_only else ""
    return db.execute(
        "SELECT f.freeze_id, f.customer_id, f.entity_id, f.frozen_at, f.analyst, f.released_at"
        " FROM freezes f JOIN alerts a ON a.customer_id = f.customer_id"
        " AND a.entity_id = f.entity_id WHERE a.case_id = ?" + where + " ORDER BY f.freeze_id",
        [case_id],
    ).fetchall()


def _active_freezes(db: duckdb.DuckDBPyConnection, case_id: str) -> list[tuple[Any, ...]]:
    return _freeze_rows(db, case_id, True)


def _title(alerts: list[dict[str, Any]], kind: str) -> str:
    first = alerts[0] if alerts else {}
    who = first.get("customer_name") or first.get("customer_id") or "request"
    what = first.get("matched_name") or kind
    more = f" (+{len(alerts) - 1} alerts)" if len(alerts) > 1 else ""
    return f"{who} — {what}{more}"


def _json_value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="seconds") + "Z"
    return value


def _store_evidence(folder: Path, path: Path) -> tuple[str, int]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInputError(
            f"cannot read the evidence file: {exc.strerror}", where=str(path)
        ) from exc
    if size > MAX_EVIDENCE_BYTES:
        raise BadInputError(
            f"the evidence file is {size:,} bytes; at most {MAX_EVIDENCE_BYTES:,}",
            where=str(path),
        )
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    name = digest.hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if not target.exists():
        partial = folder / (name + ".partial")
        shutil.copyfile(path, partial)
        partial.replace(target)
    return name, size
