"""Configured list sources: which lists ``interdict lists update`` keeps current, and from where.

The table is data (``sources.yaml`` beside this module, with the publishers' official URLs);
``<workspace>/sources.yaml`` or an explicit file replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from interdict.errors import BadInputError
from interdict.readers import LIST_FORMATS

__all__ = ["ListSource", "SourceFile", "load_sources"]

WORKSPACE_SOURCES = "sources.yaml"


@dataclass(frozen=True)
class SourceFile:
    """One file of a list (OFAC publishes several)."""

    save_as: str
    url: str | None
    match: tuple[str, ...]
    optional: bool = False


@dataclass(frozen=True)
class ListSource:
    """A list, its reader format, and its files."""

    name: str
    format: str
    files: tuple[SourceFile, ...]
    enabled: bool = True

    @property
    def fetchable(self) -> bool:
        """Every required file has a URL."""
        return all(f.url for f in self.files if not f.optional)


def _file(data: Any, where: str) -> SourceFile:
    if not isinstance(data, dict) or not isinstance(data.get("save_as"), str):
        raise BadInputError("each file needs a save_as name", where=where)
    match = data.get("match") or [data["save_as"]]
    if not isinstance(match, list) or not all(isinstance(m, str) for m in match):
        raise BadInputError("match must be a list of file-name patterns", where=where)
    url = data.get("url")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://"))
    ):
        raise BadInputError(f"url must be http(s), not {url!r}", where=where)
    return SourceFile(
        data["save_as"], url, tuple(m.lower() for m in match), bool(data.get("optional"))
    )


def _parse(text: str, origin: str) -> dict[str, ListSource]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BadInputError(f"not valid YAML: {exc}", where=origin) from exc
    lists = data.get("lists") if isinstance(data, dict) else None
    if not isinstance(lists, dict) or not lists:
        raise BadInputError("expected a 'lists:' table", where=origin, hint="see sources.yaml")
    found: dict[str, ListSource] = {}
    for name, entry in lists.items():
        where = f"{origin} list {name}"
        if not isinstance(entry, dict) or entry.get("format") not in LIST_FORMATS:
            known = ", ".join(sorted(LIST_FORMATS))
            raise BadInputError("each list needs a known format", where=where, hint=known)
        files = entry.get("files")
        if not isinstance(files, list) or not files:
            raise BadInputError("each list needs files", where=where)
        found[str(name)] = ListSource(
            name=str(name),
            format=entry["format"],
            files=tuple(_file(f, where) for f in files),
            enabled=bool(entry.get("enabled", True)),
        )
    return found


def load_sources(home: Path | None = None, path: Path | None = None) -> dict[str, ListSource]:
    """The sources table: ``path``, else ``<home>/sources.yaml``, else the packaged one."""
    if path is None and home is not None and (home / WORKSPACE_SOURCES).is_file():
        path = home / WORKSPACE_SOURCES
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInputError(f"cannot read the sources file: {exc}", where=str(path)) from exc
        return _parse(text, str(path))
    packaged = resources.files("interdict.lifecycle").joinpath("sources.yaml")
    return _parse(packaged.read_text(encoding="utf-8"), "interdict/lifecycle/sources.yaml")
