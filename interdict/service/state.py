"""The screening index the service holds, and how a new list version replaces it.

:class:`IndexHolder` keeps one immutable :class:`Snapshot` (screener, BIC index, list
versions). A request takes the current snapshot once and uses it to the end, so a swap never
changes an answer half-way: in-flight requests finish on the old index, new ones start on the
new one, and nobody waits. Replacing is a single attribute assignment.

A background thread watches the workspace: every few seconds it compares the database files'
size and modification time (no database access); only when they changed does it open the
workspace read-only, read the active versions, and — when they differ from the ones served —
read the entities, close the workspace, and build the new index outside any lock. The DuckDB
file is held only while reading, so ``interdict lists import`` in another process is never
blocked for more than that. While requests are being served, the build is paced to about
:data:`BUILD_SHARE` of a CPU: it takes longer, and the requests keep their latency.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interdict.errors import InterdictError
from interdict.model import Entity
from interdict.screening import Screener
from interdict.screening.messages import BicIndex
from interdict.service.audit import AuditLog
from interdict.service.auth import KeyStore
from interdict.service.config import ServiceSettings
from interdict.service.metrics import Metrics
from interdict.store import Workspace
from interdict.store.workspace import DB_FILE, ListVersion

__all__ = ["BUILD_SHARE", "IndexHolder", "ListStatus", "ServiceState", "Snapshot", "paced"]

log = logging.getLogger("interdict.service")

BUILD_SHARE = 0.5
"""Share of one CPU a background index build may take (it pauses to leave the rest)."""
_SLICE_SECONDS = 0.01


def paced(items: Iterable[Entity], share: float) -> Iterator[Entity]:
    """Yield ``items``, pausing so that their consumer uses about ``share`` of a CPU."""
    if share >= 1:
        yield from items
        return
    started = time.perf_counter()
    for item in items:
        yield item
        worked = time.perf_counter() - started
        if worked >= _SLICE_SECONDS:
            time.sleep(worked * (1 - share) / share)
            started = time.perf_counter()


@dataclass(frozen=True)
class ListStatus:
    """One served list version."""

    name: str
    version: int
    entities: int
    imported_at: str
    published: str | None
    sha256: str

    @classmethod
    def of(cls, version: ListVersion) -> ListStatus:
        """Status of a stored list version."""
        return cls(
            name=version.list_name,
            version=version.version,
            entities=version.entity_count,
            imported_at=version.imported_at.replace(tzinfo=UTC).isoformat(timespec="seconds"),
            published=version.published,
            sha256=version.file_sha256,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name,
            "version": self.version,
            "entities": self.entities,
            "imported_at": self.imported_at,
            "published": self.published,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class Snapshot:
    """Everything a request screens against; never changed once built."""

    screener: Screener
    bics: BicIndex
    lists: tuple[ListStatus, ...]
    generation: int
    loaded_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    entities: Mapping[str, Entity] = field(default_factory=dict)
    """Every served entity by its ``entity_id`` (``GET /entities/{id}``, FtM answers)."""

    @property
    def ready(self) -> bool:
        """Whether any list is loaded (screening against nothing would clear everyone)."""
        return bool(self.lists)

    @property
    def versions(self) -> tuple[tuple[str, int], ...]:
        """``(list, version)`` pairs served."""
        return tuple((s.name, s.version) for s in self.lists)

    @classmethod
    def build(
        cls,
        entities: list[Entity],
        lists: Iterable[ListStatus],
        generation: int,
        share: float = 1.0,
        matcher: str | None = None,
    ) -> Snapshot:
        """Index ``entities``: the expensive step, done outside any lock, at ``share`` of a CPU;
        ``matcher`` names the registered matcher that scores (default: the registry's)."""
        screener = Screener(paced(entities, share), matcher=matcher)
        by_id = {e.entity_id(): e for e in entities}
        return cls(screener, BicIndex(entities), tuple(lists), generation, entities=by_id)


class IndexHolder:
    """Holds the current snapshot and replaces it when the workspace's lists change."""

    def __init__(
        self, home: Path | None, lists: tuple[str, ...] = (), matcher: str | None = None
    ) -> None:
        self.home = home
        self.lists = lists
        self.matcher = matcher
        self._current = Snapshot.build([], (), 0, matcher=matcher)
        self._reload = threading.Lock()
        self.opening = threading.Lock()
        """Held while this process has the workspace database open: DuckDB refuses a read-only
        and a read-write connection to one file in one process, so the list reader and the
        case routes take turns."""
        self._stamp: tuple[object, ...] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reloads = {"swapped": 0, "unchanged": 0, "failed": 0}
        self.last_error: str | None = None

    @classmethod
    def of_entities(
        cls, entities: list[Entity], lists: Iterable[ListStatus], matcher: str | None = None
    ) -> IndexHolder:
        """A holder over given entities, with no workspace behind it (tests, embedding)."""
        holder = cls(None, matcher=matcher)
        holder._current = Snapshot.build(entities, lists, 1, matcher=matcher)
        return holder

    def swap_in(self, entities: list[Entity], lists: Iterable[ListStatus]) -> Snapshot:
        """Index ``entities`` and make them the current snapshot (embedding, tests)."""
        with self._reload:
            snapshot = Snapshot.build(
                entities, lists, self._current.generation + 1, matcher=self.matcher
            )
            self._current = snapshot
            self.reloads["swapped"] += 1
            return snapshot

    @property
    def current(self) -> Snapshot:
        """The snapshot new requests use."""
        return self._current

    @property
    def watching(self) -> bool:
        """Whether the background watcher is alive."""
        return self._thread is not None and self._thread.is_alive()

    def reload(self, *, force: bool = False, share: float = BUILD_SHARE) -> bool:
        """Load the workspace's active versions if they differ from the ones served.

        Returns whether a new snapshot was swapped in. ``force`` skips the cheap file check;
        ``share`` is the CPU share the index build may take (1: full speed, at start-up).
        Only one reload runs at a time; a second caller waits for it and then re-checks.
        """
        if self.home is None:
            return False
        with self._reload:
            stamp = _stamp(self.home)
            if not force and stamp == self._stamp:
                return False
            started = time.perf_counter()
            loaded = self._read_if_changed()
            self._stamp = stamp
            if loaded is None:
                self.reloads["unchanged"] += 1
                return False
            entities, lists = loaded
            snapshot = Snapshot.build(
                entities, lists, self._current.generation + 1, share, self.matcher
            )
            self._current = snapshot
            self.reloads["swapped"] += 1
            shown = ",".join(f"{s.name}:{s.version}" for s in lists)
            log.info(
                "event=index_swapped generation=%d lists=%s entities=%d seconds=%.1f",
                snapshot.generation,
                shown,
                len(entities),
                time.perf_counter() - started,
            )
            return True

    def _read_if_changed(self) -> tuple[list[Entity], list[ListStatus]] | None:
        assert self.home is not None
        with (
            self.opening,
            Workspace(self.home, read_only=True, create=True, lists_only=True) as workspace,
        ):
            active = [
                ListStatus.of(v)
                for v in workspace.active_versions()
                if not self.lists or v.list_name in self.lists
            ]
            if tuple((s.name, s.version) for s in active) == self._current.versions:
                return None
            names = list(self.lists) if self.lists else [s.name for s in active]
            entities = list(workspace.entities(names))
        return entities, active

    def watch(self, interval: float) -> None:
        """Start the background watcher (a daemon thread) checking every ``interval`` seconds."""
        if interval <= 0 or self.home is None or self.watching:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._watch, args=(interval,), name="interdict-index-watcher", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop the watcher (waits for a reload in progress to finish)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
            self._thread = None

    def _watch(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.reload()
                self.last_error = None
            except (InterdictError, OSError, ValueError) as exc:
                # Keep serving the old snapshot; try again at the next tick.
                self.reloads["failed"] += 1
                self.last_error = type(exc).__name__
                log.warning("event=reload_failed error=%s", type(exc).__name__)


def _stamp(home: Path) -> tuple[object, ...]:
    """Size and modification time of the database and its write-ahead log."""
    parts: list[object] = []
    for path in (home / DB_FILE, home / (DB_FILE + ".wal")):
        try:
            stat = path.stat()
            parts.append((stat.st_size, stat.st_mtime_ns, stat.st_ino))
        except FileNotFoundError:
            parts.append(None)
    return tuple(parts)


@dataclass
class ServiceState:
    """What the routes share: settings, the index holder, keys, audit trail and metrics."""

    settings: ServiceSettings
    holder: IndexHolder
    keys: KeyStore
    audit: AuditLog
    metrics: Metrics
