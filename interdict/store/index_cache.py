"""The screening index kept in the workspace, so that a one-name check need not rebuild it.

Building the index over UN + OFAC + UK takes seconds; every CLI run used to pay it. The built
:class:`~interdict.screening.Screener` is saved under ``<home>/index/`` beside a key made of
what it was built from: the active version and content digest of each list, the matcher, the
package version and a digest of the reference data and matching code. A key that differs (a list
imported or rolled back, a new matcher or release, edited tables) means a rebuild; the stale file
is removed once the folder holds more than a few.

The file is a pickle written by this process into the workspace, which only its owner can
write (as the DuckDB file beside it); it is never read from anywhere else.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any, SupportsIndex

from interdict import __version__
from interdict.errors import BadInputError
from interdict.names.tables import NameTables, adopt_name_tables, name_tables
from interdict.screening import Screener
from interdict.screening.matchers import matcher_named
from interdict.store.workspace import ListVersion, Workspace

__all__ = ["INDEX_FOLDER", "cached_screener", "index_key"]

INDEX_FOLDER = "index"
KEEP_FILES = 4
_PACKAGE = Path(__file__).resolve().parents[1]
_MATCHING_CODE = ("names", "screening")


@cache
def _reference_digest() -> str:
    """SHA-256 over the package's reference data and the matching code that reads it."""
    digest = hashlib.sha256()
    files = [p for p in _PACKAGE.rglob("*") if p.suffix in (".yaml", ".yml", ".csv")]
    files += [p for part in _MATCHING_CODE for p in (_PACKAGE / part).rglob("*.py")]
    for path in sorted(files):
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def index_key(versions: list[ListVersion], matcher: str) -> dict[str, object]:
    """What an index was built from; equal keys mean an equal index."""
    return {
        "lists": {
            v.list_name: [v.version, v.content_sha256 or v.file_sha256]
            for v in sorted(versions, key=lambda v: v.list_name)
        },
        "matcher": matcher,
        "package": __version__,
        "reference_data": _reference_digest(),
    }


class _SavedNames(list[Any]):
    """The index's listed names, each unpickled when first used.

    Unpickling all names is most of the cost of loading an index; one query scores a few dozen.
    """

    @classmethod
    def from_blobs(cls, blobs: list[bytes]) -> _SavedNames:
        return cls(blobs)

    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        value = super().__getitem__(index)
        if isinstance(value, bytes):
            value = pickle.loads(value)
            super().__setitem__(index, value)
        return value

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))


class _NamesToSave:
    """Stands in for the names list while the index is pickled: one small pickle per name."""

    def __init__(self, names: list[Any]) -> None:
        self.names = names

    def __reduce__(self) -> tuple[Any, tuple[list[bytes]]]:
        blobs = [pickle.dumps(n, protocol=pickle.HIGHEST_PROTOCOL) for n in self.names]
        return _SavedNames.from_blobs, (blobs,)


def _chosen(workspace: Workspace, lists: list[str] | None) -> list[ListVersion]:
    if lists is None:
        return workspace.active_versions()
    return [workspace.version(name) for name in dict.fromkeys(lists)]


def cached_screener(
    workspace: Workspace, lists: list[str] | None = None, *, matcher: str | None = None
) -> Screener:
    """A screener over the active versions of ``lists`` (default: all) scoring with ``matcher``
    (default: the registry's), loaded or built."""
    versions = _chosen(workspace, lists)
    if not versions:
        raise BadInputError("no lists are loaded", hint="import one with 'interdict lists import'")
    matcher_name = matcher_named(matcher).name
    key = index_key(versions, matcher_name)
    text = json.dumps(key, sort_keys=True)
    folder = workspace.home / INDEX_FOLDER
    path = folder / f"screener-{hashlib.sha256(text.encode()).hexdigest()[:32]}.pickle"
    loaded = _load(path, text)
    if loaded is not None:
        return loaded
    screener = Screener(workspace.entities([v.list_name for v in versions]), matcher=matcher_name)
    _save(folder, path, text, screener)
    return screener


def _load(path: Path, key: str) -> Screener | None:
    """The saved screener at ``path`` if it was built from ``key``; None if absent or stale."""
    try:
        with path.open("rb") as handle:
            gc.disable()  # millions of small objects: the collector would only slow loading
            try:
                stored_key, screener, tables = pickle.load(handle)
            finally:
                gc.enable()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None  # absent, cut short or from other code: rebuild
    if stored_key != key or not isinstance(screener, Screener):
        return None
    if isinstance(tables, NameTables):
        adopt_name_tables(tables)  # parsing the YAML costs more than the whole index load
    return screener


def _dump(handle: IO[bytes], key: str, screener: Screener) -> None:
    index = screener.index
    names = index.names
    index.names = _NamesToSave(names)  # type: ignore[assignment]  # only while pickling
    try:
        pickle.dump((key, screener, name_tables()), handle, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        index.names = names


def _save(folder: Path, path: Path, key: str, screener: Screener) -> None:
    """Write atomically (a reader never sees half a file); keep the newest few files."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        with partial.open("wb") as handle:
            _dump(handle, key, screener)
        partial.replace(path)
        files = sorted(folder.glob("screener-*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in files[:-KEEP_FILES]:
            stale.unlink(missing_ok=True)
    except OSError:
        return  # a read-only or full disk only costs the next run a rebuild
