"""The audit log: who did what to the workspace, when, and with what detail (append-only).

Every write that an auditor may ask about — list imports and rollbacks, customer imports,
rescreens, analysts' decisions — adds one row inside the same transaction as the change itself,
so the log and the state can never disagree. The same transaction queues the event for the
one hash-chained trail (:func:`chain_event`; :mod:`interdict.store.trail` appends it).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from interdict.service.audit import canonical

__all__ = [
    "AuditEvent",
    "audit_events",
    "chain_event",
    "current_actor",
    "detail_digest",
    "new_event_id",
    "record_event",
    "utc_now",
]


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
    """Append one event (and queue it for the chain); call inside the transaction that makes
    the change."""
    at, actor = at or utc_now(), actor or current_actor()
    cursor.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?)",
        [at, actor, action, subject, json.dumps(detail, ensure_ascii=False, sort_keys=True)],
    )
    chain_event(cursor, who=actor, event=action, subject=subject, detail=detail, at=at)


def new_event_id(prefix: str = "W") -> str:
    """A fresh, unguessable event id."""
    return f"{prefix}-{secrets.token_hex(10)}"


def detail_digest(detail: dict[str, Any]) -> str:
    """SHA-256 of an event's detail in canonical JSON (what the chain entry carries)."""
    return hashlib.sha256(canonical(detail)).hexdigest()


def chain_event(
    cursor: duckdb.DuckDBPyConnection,
    *,
    who: str,
    event: str,
    subject: str,
    detail: dict[str, Any],
    at: datetime,
    event_id: str | None = None,
) -> str:
    """Queue one entry of the hash-chained trail; call inside the transaction of the change.

    The entry carries ids and the detail's SHA-256, never the detail itself.
    """
    event_id = event_id or new_event_id()
    fields = {
        "who": who,
        "event": event,
        "subject": subject,
        "event_id": event_id,
        "digest": detail_digest(detail),
    }
    cursor.execute(
        "INSERT INTO audit_outbox VALUES (?, ?, ?, 'pending', NULL, NULL)",
        [event_id, at, json.dumps(fields, sort_keys=True, ensure_ascii=False)],
    )
    return event_id


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
