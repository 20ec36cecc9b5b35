"""The audit log: who did what to the workspace, when, and with what detail (append-only).

Every write that an auditor may ask about — list imports and rollbacks, customer imports,
rescreens, analysts' decisions — adds one row inside the same transaction as the change itself,
so the log and the state can never disagree.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

__all__ = ["AuditEvent", "audit_events", "current_actor", "record_event", "utc_now"]


@dataclass(frozen=True)
class AuditEvent:
    """One audited action."""

    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]


def utc_now() -> datetime:
    """Now in UTC, without tzinfo (as the database stores timestamps)."""
    return datetime.now(UTC).replace(tzinfo=None)


def current_actor() -> str:
    """The operating-system user running this process (the actor of automatic actions)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def record_event(
    cursor: duckdb.DuckDBPyConnection,
    action: str,
    subject: str,
    detail: dict[str, Any],
    *,
    actor: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one event; call inside the transaction that makes the change."""
    cursor.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?)",
        [
            at or utc_now(),
            actor or current_actor(),
            action,
            subject,
            json.dumps(detail, ensure_ascii=False, sort_keys=True),
        ],
    )


def audit_events(db: duckdb.DuckDBPyConnection, action: str | None = None) -> list[AuditEvent]:
    """Events in the order they happened (of one action when given)."""
    query = "SELECT happened_at, actor, action, subject, detail FROM audit_log"
    params: list[object] = []
    if action is not None:
        query += " WHERE action = ?"
        params.append(action)
    with db.cursor() as cursor:
        rows = cursor.execute(query + " ORDER BY happened_at, action", params).fetchall()
    return [AuditEvent(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]
