"""Deliveries of alerts to an output file, recorded so that a crash never delivers one twice.

A delivery goes: the file is written under a hidden staging name; then *one transaction* marks
its alerts delivered and records the delivery ``staged`` with that name; then the staging file
is renamed into place and the delivery marked ``done``. A crash after the rename leaves no
staging file: the next run (:meth:`Deliveries.recover`) marks the delivery done and does not
write its alerts again. A crash before the rename leaves the staging file: the next run deletes
it and makes the alerts undelivered again, so they go out with that run. Each alert is
delivered once either way.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Sequence

import duckdb
import pyarrow as pa

from interdict.store.audit import utc_now
from interdict.store.workspace import Workspace, transaction

__all__ = ["Deliveries"]


class Deliveries:
    """The ``alert_deliveries`` table of a workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.db = workspace.db

    def begin(self, alert_ids: Sequence[str], target: str, staging: str) -> str:
        """Mark ``alert_ids`` delivered and record the staged file, in one transaction."""
        delivery_id = "D-" + secrets.token_hex(8)
        with transaction(self.db) as db:
            db.execute(
                "INSERT INTO alert_deliveries VALUES (?, ?, ?, ?, 'staged', ?)",
                [delivery_id, target, staging, json.dumps(list(alert_ids)), utc_now()],
            )
            _set_delivered(db, alert_ids, delivered=True)
        return delivery_id

    def finish(self, delivery_id: str) -> None:
        """The file is in place."""
        with self.db.cursor() as cursor:
            cursor.execute(
                "UPDATE alert_deliveries SET state = 'done' WHERE delivery_id = ?", [delivery_id]
            )

    def undo(self, delivery_id: str) -> None:
        """The file never got into place: its alerts are undelivered again."""
        with transaction(self.db) as db:
            rows = db.execute(
                "SELECT alert_ids FROM alert_deliveries WHERE delivery_id = ?", [delivery_id]
            ).fetchall()
            _set_delivered(db, json.loads(rows[0][0]) if rows else [], delivered=False)
            db.execute(
                "UPDATE alert_deliveries SET state = 'undone' WHERE delivery_id = ?",
                [delivery_id],
            )

    def recover(self) -> int:
        """Settle the deliveries a crash left ``staged``; returns how many were undone."""
        with self.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT delivery_id, staging FROM alert_deliveries WHERE state = 'staged'"
                " ORDER BY staged_at"
            ).fetchall()
        undone = 0
        for delivery_id, staging in rows:
            if os.path.lexists(staging):  # the rename never happened
                os.remove(staging)
                self.undo(delivery_id)
                undone += 1
            else:
                self.finish(delivery_id)
        return undone


def _set_delivered(
    db: duckdb.DuckDBPyConnection, alert_ids: Sequence[str], *, delivered: bool
) -> None:
    db.register("delivery_alerts", pa.table({"alert_id": pa.array(list(alert_ids), pa.string())}))
    db.execute(
        "UPDATE alerts SET delivered = ? WHERE alert_id IN (SELECT alert_id FROM delivery_alerts)",
        [delivered],
    )
    db.unregister("delivery_alerts")
