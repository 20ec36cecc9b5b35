"""Reference tables for names, loaded once from the YAML files in ``interdict/names/data``.

The tables are data, not code (see ``data/sources.md`` for where each comes from): Cyrillic and
Arabic-script romanisations, given-name variant groups, particles, honorifics and confusables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["NameTables", "adopt_name_tables", "name_tables"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class NameTables:
    """Everything the name pipeline looks up, in the shapes it needs."""

    cyrillic: dict[str, tuple[str, ...]]
    cyrillic_initial: dict[str, tuple[str, ...]]
    arabic: dict[str, tuple[str, ...]]
    arabic_marks: dict[str, tuple[str, ...]]
    digits: dict[str, str]
    variant_group: dict[str, str]
    """Spelling (lower case, any script) → canonical group id of a given name."""
    articles: frozenset[str]
    filial: frozenset[str]
    kunya: frozenset[str]
    keep_whole: frozenset[str]
    """Words that look prefixed but are one name (``abdullah``, ``الله``)."""
    joined_prefixes: tuple[str, ...]
    """Prefixes written joined to the next part (``abdul``, ``abdur`` …), longest first."""
    family_suffixes: tuple[str, ...]
    patronymic_suffixes: tuple[str, ...]
    given_suffixes: tuple[str, ...]
    """Endings of Central Asian given names (-jon, -bek) that records add or drop."""
    titles: frozenset[str]
    confusables: dict[str, str]
    leet: dict[str, str]
    """Digits and symbols written for letters ("0sama", "Mu$tafa") → the letter."""
    invisible: frozenset[str]


def _load(name: str) -> dict[str, Any]:
    source = resources.files("interdict.names").joinpath(f"data/{name}")
    with source.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_LOADER)  # a safe loader, C-accelerated
    if not isinstance(data, dict):
        raise ValueError(f"names/data/{name} is not a mapping")
    return data


def _renderings(mapping: dict[str, Any] | None) -> dict[str, tuple[str, ...]]:
    result: dict[str, tuple[str, ...]] = {}
    for key, value in (mapping or {}).items():
        values = [value] if isinstance(value, str) else list(value or [""])
        result[str(key)] = tuple(str(v) for v in values) or ("",)
    return result


def _words(values: Any) -> frozenset[str]:
    found: set[str] = set()
    if isinstance(values, dict):
        for item in values.values():
            found |= _words(item)
    elif isinstance(values, list):
        for item in values:
            if isinstance(item, dict):
                found |= _words(list(item.values()))
            else:
                found.add(str(item).casefold().strip("-"))
    elif isinstance(values, str):
        found.add(values.casefold().strip("-"))
    return frozenset(w for w in found if w)


def _suffixes(entries: Any, kind: str | None) -> tuple[str, ...]:
    found: list[str] = []
    for entry in entries or []:
        if not isinstance(entry, dict) or entry.get("weak"):
            continue  # weak endings (-in, -i) are too often part of the name itself
        if kind is None or entry.get("kind") == kind:
            text = str(entry.get("suffix", "")).casefold().lstrip("-")
            if text:
                found.append(text)
    return tuple(sorted(set(found), key=len, reverse=True))


def _codepoint(text: str) -> str:
    value = text.strip()
    if value.upper().startswith("U+"):
        return chr(int(value[2:], 16))
    return value


_ADOPTED: list[NameTables] = []


def adopt_name_tables(tables: NameTables) -> None:
    """Use ``tables`` saved with a screening index instead of parsing the YAML again.

    Only before the first :func:`name_tables` call; the saved index is keyed by the digest of
    these files, so the tables are the ones the YAML gives.
    """
    if not _ADOPTED and name_tables.cache_info().currsize == 0:
        _ADOPTED.append(tables)


@cache
def name_tables() -> NameTables:
    """The tables, parsed once per process (or adopted from a saved index)."""
    if _ADOPTED:
        return _ADOPTED[0]
    cyrillic = _load("cyrillic.yaml")
    arabic = _load("arabic.yaml")
    given = _load("given_names.yaml")
    particles = _load("particles.yaml")
    honorifics = _load("honorifics.yaml")
    confusables = _load("confusables.yaml")

    variant_group: dict[str, str] = {}
    for group in given.get("groups", []):
        group_id = str(group["id"]).casefold()
        for spelling in group.get("spellings", []):
            variant_group[str(spelling).casefold()] = group_id
        variant_group.setdefault(group_id, group_id)

    prefixes = _words(particles.get("prefixes_joined"))
    return NameTables(
        cyrillic=_renderings(cyrillic.get("letters")),
        cyrillic_initial=_renderings(cyrillic.get("word_initial")),
        arabic=_renderings(arabic.get("letters")),
        arabic_marks=_renderings(arabic.get("marks")),
        digits={str(k): str(v) for k, v in (arabic.get("digits") or {}).items()},
        variant_group=variant_group,
        articles=_words(particles.get("articles")),
        filial=_words(particles.get("filial")),
        kunya=_words(particles.get("kunya")),
        keep_whole=_words(particles.get("keep_whole")),
        joined_prefixes=tuple(sorted(prefixes, key=len, reverse=True)),
        family_suffixes=_suffixes(particles.get("surname_suffixes"), "family"),
        patronymic_suffixes=_suffixes(particles.get("surname_suffixes"), "patronymic"),
        given_suffixes=_suffixes(particles.get("given_name_suffixes"), None),
        titles=_words(honorifics.get("titles")),
        confusables={
            str(k): str(v)
            for k, v in (confusables.get("to_latin") or {}).items()
            if len(str(k)) == 1
        },
        leet={str(k): str(v) for k, v in (confusables.get("leet") or {}).items()},
        invisible=frozenset(_codepoint(str(c)) for c in confusables.get("invisible", [])),
    )
