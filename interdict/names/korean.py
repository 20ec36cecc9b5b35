"""Korean names in any romanisation: one key per syllable run, and whether a name is Korean.

McCune–Reischauer (DPRK and older lists), Revised Romanization and everyday spellings write one
Korean name many ways: 정 Chong / Jong / Jeong / Jung / Chung, 광 Kwang / Gwang, 박 Pak / Park /
Bak, 이 Ri / Rhee / Lee / Yi / I. :func:`korean_key` folds a romanised word to one canonical
spelling (rules in ``names/data/korean.yaml``); the fold is deliberately coarse, so it is only
applied to names that look Korean as a whole (:func:`is_korean_name`: every part parses as
Korean syllables and the first or last part is a Korean family name).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

import yaml

__all__ = ["KEY_PREFIX", "KoreanTables", "is_korean_name", "korean_key", "korean_keys"]

KEY_PREFIX = "k:"
"""Prefix of the candidate step's Korean syllable keys ("k:gwang")."""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class KoreanTables:
    """The folding rules and family names of ``names/data/korean.yaml``."""

    tidy: tuple[tuple[re.Pattern[str], str], ...]
    syllables: re.Pattern[str]
    rewrites: tuple[tuple[str, str], ...]
    family_keys: frozenset[str]
    """:func:`korean_key` of every listed family-name spelling."""
    not_korean: frozenset[str] = frozenset()
    """Words that say a name is not Korean (al, bin, de …)."""


@cache
def korean_tables() -> KoreanTables:
    """Load the Korean tables (once)."""
    source = resources.files("interdict.names").joinpath("data/korean.yaml")
    data = yaml.load(source.read_text("utf-8"), _LOADER)
    tidy = tuple((re.compile(str(a)), str(b)) for a, b in data["key_tidy"])
    syllables = re.compile(f"(?:{data['key_syllable']}){{1,2}}")
    rewrites = tuple((str(a), str(b)) for a, b in data["key_rewrites"])
    partial = KoreanTables(tidy, syllables, rewrites, frozenset())
    families = {_key(str(w), partial) for w in data["family_names"]}
    not_korean = frozenset(str(w) for w in data["not_korean"])
    return KoreanTables(tidy, syllables, rewrites, frozenset(k for k in families if k), not_korean)


def _key(word: str, tables: KoreanTables) -> str | None:
    if not word.isascii() or not word.isalpha() or len(word) > 12:
        return None
    tidied = word
    for pattern, new in tables.tidy:
        tidied = pattern.sub(new, tidied)
    if not tidied or not tables.syllables.fullmatch(tidied):
        return None
    key = tidied
    for old, new in tables.rewrites:
        key = key.replace(old, new)
    if len(key) > 1 and key[0] == "r" and key[1] in "iy":
        key = key[1:]  # 리/이 Ri = Lee = Yi = I, 류 Ryu = Yu, 림 Rim = Lim = Im
    if key.startswith("yi"):
        key = key[1:]
    return key


@lru_cache(maxsize=200_000)
def korean_key(word: str) -> str | None:
    """One key for every romanisation of a Korean word, or ``None`` when it does not parse
    as one or two Korean syllables (a given name or a family name): ``chong``, ``jong``,
    ``jeong``, ``jung`` → ``jung``; ``pak``, ``park``, ``bak`` → ``bag``; ``ri``, ``lee``,
    ``yi`` → ``i``."""
    return _key(word.lower(), korean_tables())


def is_korean_name(parts: Sequence[str]) -> bool:
    """Whether a name (its parts' usual spellings, at least two) looks Korean: every part
    parses as Korean syllables, none is a word of other names (al, bin, de …), and the first
    or the last is a Korean family name."""
    if len(parts) < 2 or not korean_tables().not_korean.isdisjoint(parts):
        return False
    keys = [korean_key(p) for p in parts]
    if any(k is None for k in keys):
        return False
    families = korean_tables().family_keys
    return keys[0] in families or keys[-1] in families


def korean_keys(parts: Sequence[str]) -> frozenset[str]:
    """Candidate keys of a Korean-looking name: each part's syllable key and each pair of
    adjacent parts' keys joined (Kwang Il = Kwang-il = Kwangil); empty for other names."""
    if not is_korean_name(parts):
        return frozenset()
    keys = [k for k in (korean_key(p) for p in parts) if k]
    found = {KEY_PREFIX + k for k in keys}
    found |= {KEY_PREFIX + a + b for a, b in pairwise(keys)}
    return frozenset(found)
