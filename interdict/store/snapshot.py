"""The list snapshot: what screening reads while a batch job holds the workspace.

DuckDB lets one process write a database file, and while it writes no other process can open the
file at all, not even to read. A ``customers import`` or a ``rescreen`` holds the workspace for a
minute or more; without a second copy, ``interdict serve`` could not start and ``screen`` or
``lists ls`` were refused for that long.

So every process that opens the workspace for writing first makes sure that
``<home>/snapshot/lists.duckdb`` holds the list tables as last committed (``list_versions`` and
``list_entities``: every version, so that history and diffs read the same). The copy is written
beside the old one and renamed over it, so a reader sees the old copy or the new one, never half.
It is rewritten only when the lists changed since it was taken (a fingerprint of the version
table is kept in ``lists.json``), so a batch job that does not touch lists pays one cheap query.

Readers that only need lists (``Workspace(home, read_only=True, lists_only=True)``) open the
snapshot when the database is held by a writer. They read the list versions that were committed
when that writer started: a list imported by the running writer appears when it ends, as
everything it wrote does. Every result still records the list versions it was screened against.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

__all__ = ["SNAPSHOT_FILE", "SNAPSHOT_FOLDER", "fingerprint", "publish", "snapshot_path"]

SNAPSHOT_FOLDER = "snapshot"
SNAPSHOT_FILE = "lists.duckdb"
_TABLES = ("list_versions", "list_entities")
_STAMP_FILE = "lists.json"


def snapshot_path(home: Path) -> Path:
    """Where the list snapshot of the workspace in ``home`` lives."""
    return home / SNAPSHOT_FOLDER / SNAPSHOT_FILE


def fingerprint(db: duckdb.DuckDBPyConnection) -> str:
    """What the list tables hold, cheaply: every version row (a change to any is a change)."""
    with db.cursor() as cursor:
        rows = cursor.execute(
            "SELECT list_name, version, active, file_sha256, imported_at::VARCHAR, entity_count"
            " FROM list_versions ORDER BY list_name, version"
        ).fetchall()
        withdrawn = cursor.execute(
            "SELECT count(*) FROM information_schema.columns"
            " WHERE table_name = 'list_versions' AND column_name = 'withdrawn_at'"
        ).fetchall()
        if withdrawn[0][0]:
            rows += cursor.execute(
                "SELECT list_name, version, withdrawn_at::VARCHAR FROM list_versions"
                " WHERE withdrawn_at IS NOT NULL ORDER BY list_name, version"
            ).fetchall()
    return json.dumps(rows, default=str)


def publish(db: duckdb.DuckDBPyConnection, home: Path) -> bool:
    """Refresh the snapshot from the writer's connection ``db`` if the lists changed.

    Returns whether a new copy was written. Nothing is written for a workspace without lists
    (there is nothing to screen against, so a reader has nothing to gain from a copy).
    """
    stamp = fingerprint(db)
    target = snapshot_path(home)
    stamp_file = target.parent / _STAMP_FILE
    if stamp == "[]":
        return False
    try:
        if target.exists() and stamp_file.read_text(encoding="utf-8") == stamp:
            return False
    except FileNotFoundError:
        pass
    target.parent.mkdir(mode=0o700, exist_ok=True)
    partial = target.with_name(f".{SNAPSHOT_FILE}.{os.getpid()}.partial")
    for stale in (partial, partial.with_name(partial.name + ".wal")):
        stale.unlink(missing_ok=True)
    with db.cursor() as cursor:
        cursor.execute(f"ATTACH '{_quoted(partial)}' AS interdict_snapshot")
        try:
            for table in _TABLES:
                cursor.execute(
                    f"CREATE TABLE interdict_snapshot.{table} AS SELECT * FROM main.{table}"
                )
        finally:
            cursor.execute("DETACH interdict_snapshot")
    os.chmod(partial, 0o600)
    os.replace(partial, target)
    stamp_partial = stamp_file.with_name(f".{_STAMP_FILE}.{os.getpid()}.partial")
    stamp_partial.write_text(stamp, encoding="utf-8")
    os.replace(stamp_partial, stamp_file)
    return True


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
