"""The institution's customer base, versioned: each import is a version, each record keeps history.

A customer record is stored once per change (``valid_from`` … ``valid_to`` versions), so the
rows that a version added or changed are exactly those with ``valid_from`` = that version. The
blocking keys of each current record's name (the same keys the screening index uses) are kept
in ``customer_keys``, so that rescreening after a list update is a join, not a scan.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
from duckdb import DuckDBPyConnection

from interdict.errors import ConflictError
from interdict.model import Party
from interdict.store.audit import record_event, utc_now
from interdict.store.workspace import Workspace, transaction

__all__ = [
    "CustomerChanges",
    "CustomerRecord",
    "CustomerStore",
    "CustomerVersion",
    "customer_fingerprint",
    "require_customers",
]

_FIELDS = "row_id, customer_id, valid_from, fingerprint, name, payload"


def customer_fingerprint(party: Party) -> str:
    """Digest of everything about a customer that matters to a match (all screened fields)."""
    data = [
        party.name,
        str(party.birth_date) if party.birth_date else None,
        sorted(c.code for c in party.countries),
        party.gender,
        party.id_number,
        party.schema_.value if party.schema_ else None,
    ]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class CustomerRecord:
    """One stored customer record (a current one, or a past one)."""

    row_id: int
    customer_id: str
    valid_from: int
    fingerprint: str
    name: str
    payload: str

    def party(self) -> Party:
        """The record as a party to screen."""
        return Party.model_validate_json(self.payload)


@dataclass(frozen=True)
class CustomerVersion:
    """One import of the customer base."""

    version: int
    source_path: str
    file_sha256: str
    imported_at: datetime
    partial: bool
    matcher: str
    customers: int
    added: int
    changed: int
    removed: int
    unchanged: int
    errors: int


@dataclass
class CustomerChanges:
    """What an import writes: new and changed records (as columns) with their name keys,
    the stored rows they replace, and the rows of customers no longer in the base."""

    customer_ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    payloads: list[str] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    keys: list[list[str]] = field(default_factory=list)
    replaced_rows: list[int] = field(default_factory=list)
    removed_rows: list[int] = field(default_factory=list)
    unchanged: int = 0
    errors: int = 0

    def add(self, party: Party, fingerprint: str) -> None:
        """Queue a new or changed record (its keys are added later, in bulk)."""
        self.customer_ids.append(party.id)
        self.names.append(party.name)
        self.payloads.append(party.model_dump_json(by_alias=True, exclude_none=True))
        self.fingerprints.append(fingerprint)

    @property
    def empty(self) -> bool:
        """Nothing to write: no record added, changed or removed."""
        return not self.customer_ids and not self.removed_rows


class CustomerStore:
    """Customer versions in a workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.db = workspace.db

    def versions(self) -> list[CustomerVersion]:
        """All customer imports, newest first."""
        if not self.workspace.has_table("customer_versions"):
            return []
        with self.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT * FROM customer_versions ORDER BY version DESC"
            ).fetchall()
        return [CustomerVersion(*row) for row in rows]

    def active_version(self) -> int:
        """The latest customer version (0 when none was imported)."""
        found = self.versions()
        return found[0].version if found else 0

    def current_fingerprints(self) -> dict[str, tuple[int, str]]:
        """customer id → (row id, fingerprint) of every current record."""
        with self.db.cursor() as cursor:
            cursor.execute(
                "SELECT customer_id, row_id, fingerprint FROM customers WHERE valid_to IS NULL"
            )
            result: dict[str, tuple[int, str]] = {}
            while batch := cursor.fetchmany(100_000):
                for customer_id, row_id, fingerprint in batch:
                    result[customer_id] = (row_id, fingerprint)
        return result

    def write_version(
        self, changes: CustomerChanges, *, source: Path, digest: str, partial: bool, matcher: str
    ) -> CustomerVersion:
        """Store one import as the next version, all or nothing."""
        with transaction(self.db) as db:
            version = int(
                db.execute("SELECT coalesce(max(version), 0) FROM customer_versions").fetchall()[0][
                    0
                ]
            )
            version += 1
            first_row = int(
                db.execute("SELECT coalesce(max(row_id), 0) FROM customers").fetchall()[0][0]
            )
            self._close_rows(db, version, changes.replaced_rows + changes.removed_rows)
            self._insert_rows(db, version, first_row + 1, changes)
            total = int(
                db.execute("SELECT count(*) FROM customers WHERE valid_to IS NULL").fetchall()[0][0]
            )
            added = len(changes.customer_ids) - len(changes.replaced_rows)
            row = [
                version,
                str(source),
                digest,
                utc_now(),
                partial,
                matcher,
                total,
                added,
                len(changes.replaced_rows),
                len(changes.removed_rows),
                changes.unchanged,
                changes.errors,
            ]
            db.execute(
                "INSERT INTO customer_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row
            )
            record_event(
                db,
                "customers.import",
                f"customers:{version}",
                {"source": str(source), "sha256": digest, "added": added, "total": total},
            )
        return self.versions()[0]

    def _close_rows(self, db: DuckDBPyConnection, version: int, row_ids: list[int]) -> None:
        if not row_ids:
            return
        table = pa.table({"row_id": pa.array(row_ids, pa.int64())})
        db.register("closing_rows", table)
        db.execute(
            "UPDATE customers SET valid_to = ? WHERE row_id IN (SELECT row_id FROM closing_rows)",
            [version],
        )
        db.execute("DELETE FROM customer_keys WHERE row_id IN (SELECT row_id FROM closing_rows)")
        db.unregister("closing_rows")

    def _insert_rows(
        self, db: DuckDBPyConnection, version: int, first_row: int, changes: CustomerChanges
    ) -> None:
        count = len(changes.customer_ids)
        if not count:
            return
        row_ids = list(range(first_row, first_row + count))
        rows = pa.table(
            {
                "row_id": pa.array(row_ids, pa.int64()),
                "customer_id": changes.customer_ids,
                "valid_from": pa.array([version] * count, pa.int32()),
                "valid_to": pa.array([None] * count, pa.int32()),
                "fingerprint": changes.fingerprints,
                "name": changes.names,
                "payload": changes.payloads,
            }
        )
        key_rows = [row_ids[i] for i, keys in enumerate(changes.keys) for _ in keys]
        keys = pa.table(
            {
                "row_id": pa.array(key_rows, pa.int64()),
                "key": [key for keys in changes.keys for key in keys],
            }
        )
        db.register("incoming_customers", rows)
        db.execute("INSERT INTO customers SELECT * FROM incoming_customers")
        db.unregister("incoming_customers")
        db.register("incoming_keys", keys)
        db.execute("INSERT INTO customer_keys SELECT * FROM incoming_keys")
        db.unregister("incoming_keys")

    def changed_since(self, version: int) -> Iterator[CustomerRecord]:
        """Current records added or changed after customer version ``version``."""
        yield from self._select("WHERE valid_to IS NULL AND valid_from > ?", [version])

    def current(self) -> Iterator[CustomerRecord]:
        """Every current record."""
        yield from self._select("WHERE valid_to IS NULL", [])

    def previous_record(self, customer_id: str, before_version: int) -> CustomerRecord | None:
        """The record a customer had just before ``before_version`` (None if it was new)."""
        found = list(
            self._select(
                "WHERE customer_id = ? AND valid_to = ? ORDER BY row_id DESC LIMIT 1",
                [customer_id, before_version],
            )
        )
        return found[0] if found else None

    def hit_by_keys(
        self,
        keys: Sequence[str],
        *,
        screened_version: int,
        common_above: int | None = None,
        always: Sequence[str] = (),
    ) -> list[tuple[CustomerRecord, list[str]]]:
        """Current records, unchanged since ``screened_version``, sharing a key with ``keys``,
        each with the keys it shares.

        A key held by more than ``common_above`` customers is too common to make a customer a
        candidate on its own (unless it is one of ``always``): the customer needs a rarer one.
        """
        table = pa.table({"key": pa.array(sorted(set(keys)), pa.string())})
        exempt = pa.table({"key": pa.array(sorted(set(always)), pa.string())})
        cap = common_above if common_above is not None else 2**62
        with self.db.cursor() as cursor:
            cursor.register("probe_keys", table)
            cursor.register("exempt_keys", exempt)
            rows = cursor.execute(
                "WITH hits AS (SELECT row_id, key FROM customer_keys SEMI JOIN probe_keys"
                " USING (key)), common AS (SELECT key FROM hits GROUP BY key"
                " HAVING count(*) > ? AND key NOT IN (SELECT key FROM exempt_keys)),"
                " kept AS (SELECT row_id, list(key) AS shared FROM hits"
                " WHERE key NOT IN (SELECT key FROM common) GROUP BY row_id)"
                " SELECT " + _FIELDS.replace("row_id", "c.row_id") + ", kept.shared"
                " FROM customers c JOIN kept ON c.row_id = kept.row_id"
                " WHERE c.valid_to IS NULL AND c.valid_from <= ? ORDER BY c.row_id",
                [cap, screened_version],
            ).fetchall()
            cursor.unregister("probe_keys")
            cursor.unregister("exempt_keys")
        return [(CustomerRecord(*row[:-1]), list(row[-1])) for row in rows]

    def count_current(self) -> int:
        """How many customers the base holds now."""
        with self.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT count(*) FROM customers WHERE valid_to IS NULL"
            ).fetchall()
        return int(rows[0][0])

    def key_matcher(self) -> str | None:
        """The key scheme (``KEY_SCHEME``) under which the stored name keys were computed."""
        versions = self.versions()
        return versions[0].matcher if versions else None

    def _select(self, where: str, params: list[object]) -> Iterator[CustomerRecord]:
        with self.db.cursor() as cursor:
            cursor.execute("SELECT " + _FIELDS + " FROM customers " + where, params)
            while batch := cursor.fetchmany(50_000):
                for row in batch:
                    yield CustomerRecord(*row)


def require_customers(store: CustomerStore) -> int:
    """The active customer version, or a clear error when none was imported."""
    version = store.active_version()
    if not version:
        raise ConflictError(
            "no customers in this workspace",
            hint="import the customer base with 'interdict customers import FILE'",
        )
    return version
