"""Keep lists current: fetch from publishers (or read a folder), refuse bad files, import changes.

For each list: the file is downloaded whole to the workspace's ``downloads/`` folder (or found
in ``--from DIR``), read and validated completely by its reader, and compared with the active
version. It is imported as a new version only when its content changed; the switch is the
workspace's atomic import. It is **refused** — and the last good version stays active — when:

- the download fails, is cut short (fewer bytes than ``Content-Length``) or exceeds the size
  limit;
- the reader cannot read it (truncated or corrupted XML/CSV, an HTML error page …);
- it holds fewer than ``min_ratio`` (default 50 %) of the active version's entities;
- it says it was published before the active version.

Content already rolled back (``interdict lists rollback``) is not re-activated by an update.
Two updates at once are serialised by the workspace lock: the second waits, then finds the
content unchanged (or fails clearly if the first holds the lock too long).
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from interdict.errors import BadInputError, InterdictError
from interdict.lifecycle.keys import ensure_key_stats
from interdict.lifecycle.sources import ListSource
from interdict.readers import read_list
from interdict.readers.base import MAX_FILE_BYTES, ListFile, file_sha256
from interdict.store import ListVersion, Workspace
from interdict.store.audit import utc_now
from interdict.store.workspace import content_digest

__all__ = [
    "MIN_ENTITY_RATIO",
    "UpdateOutcome",
    "fetch",
    "older_than_active",
    "same_as_active",
    "update_lists",
]

MIN_ENTITY_RATIO = 0.5
TIMEOUT_SECONDS = 120
USER_AGENT = "interdict/0.1 (sanctions list update)"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class UpdateOutcome:
    """What happened to one list (or one file of a folder) in an update."""

    list_name: str
    status: str
    """``imported``, ``unchanged``, ``refused``, ``skipped`` or ``failed``."""
    message: str
    version: int | None = None
    entities: int | None = None
    source: str | None = None


def fetch(url: str, target: Path, *, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Download ``url`` to ``target`` whole, or raise; a partial file never takes its name."""
    partial = target.with_name(target.name + ".partial")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            expected = response.headers.get("Content-Length")
            received = 0
            with partial.open("wb") as handle:
                while chunk := response.read(1 << 20):
                    received += len(chunk)
                    if received > max_bytes:
                        raise BadInputError(
                            f"download exceeds {max_bytes:,} bytes", where=url, hint="refused"
                        )
                    handle.write(chunk)
    except urllib.error.HTTPError as exc:
        raise InterdictError(f"HTTP {exc.code} {exc.reason}", where=url) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InterdictError(
            f"download failed: {reason}", where=url, hint="check the network or use --from DIR"
        ) from exc
    if expected is not None and expected.isdigit() and int(expected) != received:
        raise BadInputError(
            f"download truncated: {received:,} of {int(expected):,} bytes",
            where=url,
            hint="refused; the last good version stays active",
        )
    if received == 0:
        raise BadInputError("download is empty", where=url, hint="refused")
    partial.replace(target)


def _downloads(home: Path, name: str) -> Path:
    folder = home / "downloads" / name / f"{utc_now():%Y%m%dT%H%M%S%f}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _download(home: Path, source: ListSource) -> Path:
    folder = _downloads(home, source.name)
    for item in source.files:
        if item.url is None:
            continue
        try:
            fetch(item.url, folder / item.save_as)
        except InterdictError:
            if not item.optional:
                raise
    return folder if len(source.files) > 1 else folder / source.files[0].save_as


def _matches(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and any(fnmatch.fnmatch(p.name.lower(), pat) for pat in patterns)
    )


def _from_folder(home: Path, source: ListSource, folder: Path) -> list[Path]:
    """Files (or, for multi-file lists, one staged folder) of ``source`` found in ``folder``."""
    if len(source.files) == 1:
        return _matches(folder, source.files[0].match)
    staged: Path | None = None
    for item in source.files:
        found = _matches(folder, item.match)
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise BadInputError(
                f"several {item.save_as} files: {names}",
                where=str(folder),
                hint="keep one download per folder",
            )
        if not found:
            if item.optional:
                continue
            return []
        staged = staged or _downloads(home, source.name)
        shutil.copyfile(found[0], staged / item.save_as)
    return [staged] if staged else []


def _published_before(new: str | None, active: str | None) -> bool:
    if not new or not active or not _ISO_DAY.match(new) or not _ISO_DAY.match(active):
        return False
    return new < active


def _judge(
    ws: Workspace,
    name: str,
    list_file: ListFile,
    path: Path,
    min_ratio: float,
    allow_older: bool,
) -> str:
    """Why the file must not be imported ('' when it should be), or 'unchanged: …'."""
    versions = ws.versions(name)
    active: ListVersion | None = next((v for v in versions if v.active), None)
    if active is None:
        return ""
    digest = content_digest(list_file.entities)
    same = same_as_active(active, path, digest)
    if same:
        return f"unchanged: {same}"
    earlier = next((v for v in versions if not v.withdrawn and v.content_sha256 == digest), None)
    if earlier is not None:
        return (
            f"unchanged: an older snapshot, imported before as version {earlier.version};"
            f" version {active.version} stays active"
        )
    withdrawn = next((v for v in versions if v.withdrawn and v.content_sha256 == digest), None)
    if withdrawn is not None:
        return (
            f"skipped: same content as version {withdrawn.version}, which was rolled back"
            " (import it with 'interdict lists import' to use it again)"
        )
    count = len(list_file.entities)
    if count < min_ratio * active.entity_count:
        return (
            f"refused: {count:,} entities against {active.entity_count:,} in version"
            f" {active.version} (less than {min_ratio:.0%}); truncated or partial file?"
        )
    older = older_than_active(active, list_file)
    return f"refused: {older}" if older and not allow_older else ""


def same_as_active(active: ListVersion | None, path: Path, digest: str) -> str:
    """``same content as version N`` when the file at ``path`` (whose entities have the
    :func:`~interdict.store.workspace.content_digest` ``digest``) brings nothing the
    ``active`` version does not already hold; '' otherwise.

    The one rule of ``lists update`` and ``lists import``: unchanged content adds no version,
    so that one rollback always undoes one real change.
    """
    if active is None:
        return ""
    if file_sha256(path) == active.file_sha256 or digest == active.content_sha256:
        return f"same content as version {active.version}"
    return ""


def older_than_active(active: ListVersion | None, list_file: ListFile) -> str:
    """Why ``list_file`` is an older snapshot than the ``active`` version ('' when it is not).

    The one rule of ``lists update`` and ``lists import``: a file that says it was published
    before the active version is refused unless the user allows it (``--allow-older``).
    """
    if active is None or not _published_before(list_file.published, active.published):
        return ""
    return (
        f"published {list_file.published}, before the active version"
        f" {active.version} ({active.published})"
    )


def _import_one(
    home: Path, source: ListSource, path: Path, min_ratio: float, allow_older: bool
) -> UpdateOutcome:
    try:
        list_file = read_list(path, source.format)
    except BadInputError as exc:
        return UpdateOutcome(source.name, "refused", exc.message, source=str(path))
    with Workspace(home) as ws:
        verdict = _judge(ws, source.name, list_file, path, min_ratio, allow_older)
        if verdict:
            status, _, message = verdict.partition(": ")
            active = ws.version(source.name)
            return UpdateOutcome(
                source.name, status, message, active.version, active.entity_count, str(path)
            )
        version = ws.import_list(list_file, name=source.name, source=path)
        ensure_key_stats(ws, source.name, version.version)
    return UpdateOutcome(
        source.name,
        "imported",
        f"version {version.version}: {version.entity_count:,} entities",
        version.version,
        version.entity_count,
        str(path),
    )


def update_lists(
    home: Path,
    sources: dict[str, ListSource],
    *,
    names: list[str] | None = None,
    from_dir: Path | None = None,
    min_ratio: float = MIN_ENTITY_RATIO,
    allow_older: bool = False,
) -> list[UpdateOutcome]:
    """Update the named lists (default: every enabled one; with ``from_dir``, every one found).

    ``allow_older`` imports a snapshot published before the active version instead of refusing it.
    """
    if names:
        unknown = sorted(set(names) - set(sources))
        if unknown:
            raise BadInputError(
                f"no configured list {', '.join(unknown)}",
                hint=f"configured: {', '.join(sorted(sources))}",
            )
    if from_dir is not None and not from_dir.is_dir():
        raise BadInputError("not a folder", where=str(from_dir), hint="pass --from DIR")
    outcomes: list[UpdateOutcome] = []
    for source in sources.values():
        if names and source.name not in names:
            continue
        if from_dir is not None:
            outcomes.extend(
                _update_from_folder(home, source, from_dir, min_ratio, bool(names), allow_older)
            )
            continue
        if not source.enabled and not names:
            continue
        if not source.fetchable:
            outcomes.append(
                UpdateOutcome(source.name, "skipped", "no download URL; use --from DIR")
            )
            continue
        try:
            path = _download(home, source)
        except InterdictError as exc:
            status = "refused" if isinstance(exc, BadInputError) else "failed"
            outcomes.append(UpdateOutcome(source.name, status, exc.message))
            continue
        outcomes.append(_import_one(home, source, path, min_ratio, allow_older))
    return outcomes


def _update_from_folder(
    home: Path,
    source: ListSource,
    folder: Path,
    min_ratio: float,
    asked: bool,
    allow_older: bool,
) -> list[UpdateOutcome]:
    try:
        found = _from_folder(home, source, folder)
    except BadInputError as exc:
        return [UpdateOutcome(source.name, "refused", exc.message)]
    if not found:
        if asked:
            return [UpdateOutcome(source.name, "skipped", f"no file for it in {folder}")]
        return []
    # Several dated snapshots of one list are imported in name order (oldest first).
    return [_import_one(home, source, path, min_ratio, allow_older) for path in found]
