"""The workspace: one folder holding an embedded DuckDB file with every list version.

An import is one transaction: the file is read and validated completely first, then the new
version and all its entities are written and made active together. A failure (bad file, crash,
``kill -9``) leaves the previous version active and untouched. DuckDB allows one writing process
at a time; a second one gets a clear :class:`~interdict.errors.ConflictError` after waiting.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

import duckdb
import pyarrow as pa

from interdict.errors import (
    BadInputError,
    ConflictError,
    ListNotFoundError,
    WorkspaceError,
    WorkspaceNotFoundError,
)
from interdict.model import Entity, Provenance
from interdict.readers.base import ListFile, file_sha256
from interdict.store.audit import record_event, utc_now
from interdict.store.schema import LIFECYCLE_SCHEMA
from interdict.store.snapshot import publish as publish_snapshot
from interdict.store.snapshot import snapshot_path

__all__ = [
    "ListVersion",
    "Workspace",
    "abort",
    "content_digest",
    "storage_failure",
    "transaction",
]

DB_FILE = "interdict.duckdb"
LOCK_WAIT_SECONDS = 10.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS list_versions (
    list_name VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    source_format VARCHAR NOT NULL,
    source_path VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    published VARCHAR,
    imported_at TIMESTAMP NOT NULL,
    entity_count INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    PRIMARY KEY (list_name, version)
);
CREATE TABLE IF NOT EXISTS list_entities (
    list_name VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    source_id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    payload VARCHAR NOT NULL,
    PRIMARY KEY (list_name, version, source_id)
);
"""


@dataclass(frozen=True)
class ListVersion:
    """One imported version of a list."""

    list_name: str
    version: int
    source_format: str
    source_path: str
    file_sha256: str
    published: str | None
    imported_at: datetime
    entity_count: int
    active: bool
    content_sha256: str | None = None
    """Digest of the entities themselves (not the file): equal digests mean equal content."""
    withdrawn: bool = False
    """Rolled back: an update bringing the same content again does not re-activate it."""


_VERSION_COLUMNS = (
    "list_name, version, source_format, source_path, file_sha256, published, imported_at,"
    " entity_count, active"
)


def content_digest(entities: Iterable[Entity]) -> str:
    """SHA-256 over the entities' content, in source-id order, ignoring provenance."""
    digest = hashlib.sha256()
    for entity in sorted(entities, key=lambda e: e.source_id):
        digest.update(
            entity.model_dump_json(
                by_alias=True, exclude_none=True, exclude={"provenance"}
            ).encode()
        )
        digest.update(b"\n")
    return digest.hexdigest()


@contextlib.contextmanager
def transaction(connection: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of ``connection`` in one transaction: committed when the block ends, rolled
    back (:func:`abort`) when it raises, closed either way."""
    db = connection.cursor()
    db.execute("BEGIN TRANSACTION")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        abort(db)
        raise
    finally:
        db.close()


def abort(db: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction; a failed COMMIT (a full disk) has already ended it,
    and the error that says why must not be hidden by "no transaction is active"."""
    with contextlib.suppress(duckdb.TransactionException):
        db.execute("ROLLBACK")


_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG}
_STORAGE_WORDS = ("no space left on device", "disk quota exceeded", "read-only file system")


def storage_failure(error: BaseException) -> WorkspaceError | None:
    """Our error for a failed write of the workspace's files (a full disk, a read-only
    folder), or ``None`` when ``error`` is something else (a bug keeps its traceback)."""
    text = str(error)
    if isinstance(error, OSError) and error.errno in _STORAGE_ERRNOS:
        problem, where = error.strerror or text, error.filename
    elif isinstance(error, duckdb.IOException) or (
        isinstance(error, duckdb.Error) and any(w in text.lower() for w in _STORAGE_WORDS)
    ):
        problem, where = text.split("\n", 1)[0], None
    else:
        return None
    return WorkspaceError(
        f"cannot write to storage: {problem}",
        where=str(where) if where else None,
        hint="free disk space (or fix the folder) and run the command again;"
        " the unfinished change was not committed",
    )


def _connect(
    path: Path, read_only: bool, wait: float = LOCK_WAIT_SECONDS
) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise WorkspaceError(
                    f"cannot open the workspace database: {exc}", where=str(path)
                ) from exc
            if time.monotonic() >= deadline:
                raise ConflictError(
                    "the workspace is in use by another Interdict process",
                    where=str(path),
                    hint="wait for it to finish, or use another --home",
                ) from exc
            time.sleep(0.2)


def _unique_entities(list_file: ListFile, source: Path) -> dict[str, Entity]:
    if not list_file.entities:
        raise BadInputError(
            "the list holds no entities", where=str(source), hint="nothing imported"
        )
    seen: dict[str, Entity] = {}
    for entity in list_file.entities:
        if entity.source_id in seen:
            raise BadInputError(
                f"two records share the id {entity.source_id!r}",
                where=str(source),
                hint="the reader should merge them; nothing imported",
            )
        seen[entity.source_id] = entity
    return seen


class Workspace:
    """All state of one installation, in ``home``."""

    def __init__(
        self,
        home: Path,
        *,
        read_only: bool = False,
        create: bool = False,
        lists_only: bool = False,
    ) -> None:
        """Open the workspace in ``home``, creating it unless ``read_only``.

        Read-only opening of a workspace that does not exist is refused (a mistyped folder
        would otherwise screen everything as "no match"); ``create=True`` creates the empty
        workspace instead, for faces that start before the first import.

        ``lists_only`` (with ``read_only``) is for readers of list versions and entities only:
        while another process writes the workspace they read the list snapshot
        (:mod:`interdict.store.snapshot`) instead of waiting; ``from_snapshot`` tells which.
        """
        self.home = home
        self.path = home / DB_FILE
        if read_only and not self.path.exists():
            if not create:
                raise WorkspaceNotFoundError(
                    "no Interdict workspace here (no interdict.duckdb)",
                    where=str(home),
                    hint="check the path (or INTERDICT_HOME / --home); a workspace is created"
                    " by 'interdict lists import'",
                )
            read_only = False  # nothing to protect yet; create the empty schema
        try:
            home.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(
                f"cannot create the workspace folder: {exc.strerror}", where=str(home)
            ) from exc
        self.read_only = read_only
        self.from_snapshot = False
        created = not self.path.exists()
        self.db = self._open(lists_only)
        if created:
            # Customer data and decisions live here: readable by the owner only, like the
            # keys file (DuckDB creates its files with the process umask).
            os.chmod(self.path, 0o600)
        if not read_only:
            with self.db.cursor() as cursor:
                cursor.execute(_SCHEMA)
                cursor.execute(LIFECYCLE_SCHEMA)
            publish_snapshot(self.db, home)
        # A workspace whose creation was killed before its schema was committed has no tables:
        # read-only it reads as empty (the next writer creates the schema).
        self._has_versions = self.has_table("list_versions")
        self._lifecycle_columns = self._has_column("list_versions", "content_sha256")

    def _open(self, lists_only: bool) -> duckdb.DuckDBPyConnection:
        snapshot = snapshot_path(self.home)
        if not (self.read_only and lists_only):
            return _connect(self.path, self.read_only)
        try:
            return _connect(self.path, True, wait=0.0 if snapshot.exists() else LOCK_WAIT_SECONDS)
        except ConflictError:
            if not snapshot.exists():
                raise
        self.from_snapshot = True
        return _connect(snapshot, True)

    def _has_column(self, table: str, column: str) -> bool:
        with self.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT count(*) FROM information_schema.columns"
                " WHERE table_name = ? AND column_name = ?",
                [table, column],
            ).fetchall()
        return bool(rows[0][0])

    def has_table(self, table: str) -> bool:
        """Whether the database holds ``table`` (a read-only older workspace may not)."""
        with self.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
            ).fetchall()
        return bool(rows[0][0])

    def close(self) -> None:
        """Release the database (and its lock)."""
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- list versions -------------------------------------------------------------------------

    def import_list(self, list_file: ListFile, *, name: str, source: Path) -> ListVersion:
        """Store a read list as the new active version of ``name``, all or nothing."""
        seen = _unique_entities(list_file, source)
        digest = file_sha256(source)
        content = content_digest(seen.values())
        with transaction(self.db) as db:
            rows = db.execute(
                "SELECT coalesce(max(version), 0) FROM list_versions WHERE list_name = ?", [name]
            ).fetchall()
            version = int(rows[0][0]) + 1
            provenance = Provenance(
                list_name=name,
                list_version=version,
                file_sha256=digest,
                source_format=list_file.source_format,
            )
            self._insert_entities(db, name, version, provenance, seen)
            self._activate_new_version(db, name, version, list_file, source, digest, content)
        return self.version(name, version)

    def _insert_entities(
        self,
        db: duckdb.DuckDBPyConnection,
        name: str,
        version: int,
        provenance: Provenance,
        entities: dict[str, Entity],
    ) -> None:
        table = pa.table(
            {
                "list_name": [name] * len(entities),
                "version": [version] * len(entities),
                "source_id": list(entities),
                "schema": [e.schema.value for e in entities.values()],
                "payload": [
                    e.with_provenance(provenance).model_dump_json(by_alias=True, exclude_none=True)
                    for e in entities.values()
                ],
            }
        )
        db.register("incoming_entities", table)
        db.execute("INSERT INTO list_entities SELECT * FROM incoming_entities")
        db.unregister("incoming_entities")

    def _activate_new_version(
        self,
        db: duckdb.DuckDBPyConnection,
        name: str,
        version: int,
        list_file: ListFile,
        source: Path,
        digest: str,
        content: str,
    ) -> None:
        count = len(list_file.entities)
        db.execute("UPDATE list_versions SET active = false WHERE list_name = ?", [name])
        db.execute(
            "INSERT INTO list_versions (" + _VERSION_COLUMNS + ", content_sha256)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, true, ?)",
            [
                name,
                version,
                list_file.source_format,
                str(source),
                digest,
                list_file.published,
                utc_now(),
                count,
                content,
            ],
        )
        record_event(
            db,
            "list.import",
            f"{name}:{version}",
            {"source": str(source), "sha256": digest, "entities": count},
        )

    def rollback(self, name: str, *, to: int | None = None) -> ListVersion:
        """Make the version before the active one of ``name`` (or version ``to``) active again.

        The version rolled away from is marked withdrawn, so that a later update bringing the
        same content does not silently re-activate it.
        """
        current = self.version(name)
        candidates = [
            v for v in self.versions(name) if v.version < current.version and not v.withdrawn
        ]
        if to is not None:
            candidates = [v for v in self.versions(name) if v.version == to]
        if not candidates or candidates[0].version == current.version:
            raise ConflictError(
                f"list {name!r} has no earlier version to return to",
                hint=f"version {current.version} is the only usable one; import another",
            )
        target = candidates[0]
        with transaction(self.db) as db:
            db.execute(
                "UPDATE list_versions SET active = false, withdrawn_at = ?"
                " WHERE list_name = ? AND version = ?",
                [utc_now(), name, current.version],
            )
            db.execute(
                "UPDATE list_versions SET active = true, withdrawn_at = NULL"
                " WHERE list_name = ? AND version = ?",
                [name, target.version],
            )
            record_event(db, "list.rollback", name, {"from": current.version, "to": target.version})
        return self.version(name, target.version)

    def versions(self, name: str | None = None) -> list[ListVersion]:
        """All versions, newest first per list (of one list when ``name`` is given)."""
        extra = (
            ", content_sha256, withdrawn_at IS NOT NULL"
            if self._lifecycle_columns
            else ", NULL, false"
        )
        if not self._has_versions:
            return []
        query = "SELECT " + _VERSION_COLUMNS + extra + " FROM list_versions"
        params: list[object] = []
        if name is not None:
            query += " WHERE list_name = ?"
            params.append(name)
        with self.db.cursor() as cursor:
            rows = cursor.execute(query + " ORDER BY list_name, version DESC", params).fetchall()
        return [ListVersion(*row) for row in rows]

    def active_versions(self) -> list[ListVersion]:
        """The active version of every list."""
        return [v for v in self.versions() if v.active]

    def version(self, name: str, version: int | None = None) -> ListVersion:
        """One version of a list (the active one when ``version`` is None)."""
        for item in self.versions(name):
            if (version is None and item.active) or item.version == version:
                return item
        known = ", ".join(sorted({v.list_name for v in self.versions()})) or "none"
        raise ListNotFoundError(
            f"no list {name!r}" + (f" version {version}" if version else ""),
            hint=f"lists in this workspace: {known}; import one with 'interdict lists import'",
        )

    def entities(self, lists: list[str] | None = None) -> Iterator[Entity]:
        """Entities of the active version of each list (or of the named lists)."""
        active = {v.list_name: v.version for v in self.active_versions()}
        names = lists if lists is not None else sorted(active)
        for name in names:
            if name not in active:
                self.version(name)  # raises ListNotFoundError with the known names
            yield from self.version_entities(name, active[name])

    def entity(self, entity_id: str) -> Entity:
        """One entity of an active version by its namespaced id (``un:QDi.123``)."""
        name, _, source_id = entity_id.partition(":")
        if not source_id:
            raise BadInputError(
                f"entity id {entity_id!r} has no list name",
                hint="write LIST:SOURCE_ID, e.g. un:QDi.123 (as 'entity_id' in results)",
            )
        active = self.version(name)
        with self.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT payload FROM list_entities"
                " WHERE list_name = ? AND version = ? AND source_id = ?",
                [name, active.version, source_id],
            ).fetchall()
        if not rows:
            raise ListNotFoundError(
                f"no entity {source_id!r} in {name} version {active.version}",
                hint="find it with 'interdict lists search NAME'",
            )
        return Entity.model_validate_json(rows[0][0])

    def entity_versions(self, entity_id: str) -> list[tuple[int, Entity]]:
        """Every stored version of one entity (``un:QDi.123``), oldest first: its history
        across the list's versions (a version it is missing from was not listing it)."""
        name, _, source_id = entity_id.partition(":")
        with self.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT version, payload FROM list_entities WHERE list_name = ? AND source_id = ?"
                " ORDER BY version",
                [name, source_id],
            ).fetchall()
        return [(int(v), Entity.model_validate_json(p)) for v, p in rows]

    def version_entities(self, name: str, version: int) -> Iterator[Entity]:
        """Entities of one stored version, in source-id order."""
        with self.db.cursor() as cursor:
            cursor.execute(
                "SELECT payload FROM list_entities WHERE list_name = ? AND version = ?"
                " ORDER BY source_id",
                [name, version],
            )
            while batch := cursor.fetchmany(5000):
                for (payload,) in batch:
                    yield Entity.model_validate_json(payload)
