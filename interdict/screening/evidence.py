"""Evidence rules of matcher ``name_v2``: small pure functions, each a score and its reason.

Part rules compare one name part with another (:data:`PART_RULES`); name rules compare what
two whole names say apart from their parts — legal forms, numbers, Korean syllables, a middle
name on both sides that differs (:func:`compare_legal_forms`, :func:`compare_numbers`,
:func:`korean_whole_name`, :func:`different_middle`). Their weights are one versioned table,
``screening/data/name_v2.yaml``; the reference data they read is ``names/data/*.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from interdict.names.tokens import Token

__all__ = [
    "PART_RULES",
    "Evidence",
    "NameV2Tables",
    "compare_legal_forms",
    "compare_numbers",
    "different_middle",
    "han_characters",
    "initial",
    "korean_key",
    "korean_romanisation",
    "korean_whole_name",
    "same_han",
    "surname_prefix_only",
    "tables",
]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one rule found: a similarity (part rules) or a factor (name rules), and why.

    ``final`` evidence replaces every other rule's (Han characters compared as characters)."""

    score: float
    reason: str
    final: bool = False


@dataclass(frozen=True)
class NameV2Tables:
    """The weights table and the reference data name_v2 reads, loaded once."""

    version: str
    rules: dict[str, float]
    roles: dict[str, float]
    penalties: dict[str, float]
    factors: dict[str, float]
    legal_forms: dict[str, str]
    """Spelling (lower case, single spaces) → legal-form family."""
    longest_form: int
    generic_words: frozenset[str]
    number_words: dict[str, dict[str, int]]
    note_lead: frozenset[str]
    note_filler: frozenset[str]
    korean_rewrites: tuple[tuple[str, str], ...]
    korean_syllables: re.Pattern[str]
    korean_families: frozenset[str]


def _yaml(package: str, name: str) -> Any:
    return yaml.load(resources.files(package).joinpath(name).read_text("utf-8"), _LOADER)


@cache
def tables() -> NameV2Tables:
    """Load ``name_v2.yaml``, ``organisations.yaml`` and ``korean.yaml`` (once)."""
    weights = _yaml("interdict.screening", "data/name_v2.yaml")
    orgs = _yaml("interdict.names", "data/organisations.yaml")
    korean = _yaml("interdict.names", "data/korean.yaml")
    forms = {
        " ".join(str(s).lower().replace("-", " ").replace("&", " ").split()): family
        for family, spellings in orgs["legal_forms"].items()
        for s in spellings
    }
    return NameV2Tables(
        version=str(weights["version"]),
        rules={k: float(v) for k, v in weights["rules"].items()},
        roles={k: float(v) for k, v in weights["roles"].items()},
        penalties={k: float(v) for k, v in weights["penalties"].items()},
        factors={k: float(v) for k, v in weights["factors"].items()},
        legal_forms=forms,
        longest_form=max(len(f.split()) for f in forms),
        generic_words=frozenset(str(w) for w in orgs["generic_words"]),
        number_words={
            k: {str(w): int(n) for w, n in v.items()} for k, v in orgs["number_words"].items()
        },
        note_lead=frozenset(str(w) for w in orgs["notes"]["lead"]),
        note_filler=frozenset(str(w) for w in orgs["notes"]["filler"]),
        korean_rewrites=tuple((str(a), str(b)) for a, b in korean["rewrites"]),
        korean_syllables=re.compile(f"(?:{korean['syllable']}){{1,3}}"),
        korean_families=frozenset(str(w) for w in korean["family_names"]),
    )


# --- part rules ---------------------------------------------------------------------------

PartRule = Callable[[Token, Token], Evidence | None]


def han_characters(token: Token) -> str:
    """The CJK ideographs of a part, as written (empty when it has none)."""
    return "".join(ch for ch in token.text if "\u3400" <= ch <= "\u9fff")


def same_han(a: Token, b: Token) -> Evidence | None:
    """Han characters are compared as characters: two names that read alike once romanised
    (张伟 / 章伟, both Zhang Wei) are different names."""
    x, y = han_characters(a), han_characters(b)
    if not x or not y:
        return None
    if x == y:
        return Evidence(tables().rules["same_han"], "same Han characters", final=True)
    shared = len(set(x) & set(y)) / len(set(x) | set(y))
    factor = tables().penalties["different_han"]
    return Evidence(shared * factor, f"different Han characters ({x} ≠ {y})", final=True)


@lru_cache(maxsize=200_000)
def korean_key(word: str) -> str | None:
    """One key for every romanisation of a Korean word, or ``None`` when it is not one.

    ``chong``, ``jong``, ``jeong``, ``jung`` → ``jung``; ``pak``, ``park`` → ``bag``."""
    t = tables()
    if not word.isascii() or not word.isalpha() or not t.korean_syllables.fullmatch(word):
        return None
    key = re.sub(r"r(?=[^aeiouy]|$)", "", word) if len(word) > 2 else word
    for old, new in t.korean_rewrites:
        key = key.replace(old, new)
    return key


def korean_romanisation(a: Token, b: Token) -> Evidence | None:
    """The same Korean syllables in another romanisation (Chong = Jong, Kwang = Gwang)."""
    x, y = korean_key(a.primary), korean_key(b.primary)
    if x is None or x != y or a.primary == b.primary:
        return None
    score = tables().rules["korean_romanisation"]
    return Evidence(score, f"the same Korean syllables romanised two ways ({a.text} = {b.text})")


def initial(a: Token, b: Token) -> Evidence | None:
    """A one-letter part standing for a name that starts with it ("V." for Vladimir)."""
    short, long = (a, b) if len(a.primary) <= len(b.primary) else (b, a)
    if len(short.primary) != 1 or len(long.primary) < 3 or not short.primary.isalpha():
        return None
    if long.primary[0] != short.primary:
        return None
    score = tables().rules["initial"]
    return Evidence(score, f"initial {short.text.upper()} = {long.text}")


def surname_prefix_only(a: Token, b: Token, base: Evidence) -> Evidence | None:
    """Two long names alike only in their first syllables (Kasimov / Kasymbekov): spelling
    similarity rewards the shared start; the endings say these are other names."""
    if not base.reason.startswith("spelling similarity"):
        return None
    x, y = a.primary, b.primary
    if min(len(x), len(y)) < 5:
        return None
    prefix = 0
    for cx, cy in zip(x, y, strict=False):
        if cx != cy:
            break
        prefix += 1
    if prefix < 3 or max(len(x), len(y)) - prefix < 4:
        return None
    factor = tables().penalties["different_surname_prefix"]
    return Evidence(
        base.score * factor, f"different names sharing their first letters ({a.text} / {b.text})"
    )


PART_RULES: tuple[PartRule, ...] = (same_han, korean_romanisation, initial)
"""Part rules name_v2 adds to name_v1's (the best one wins; a ``final`` one decides)."""


# --- name rules ---------------------------------------------------------------------------


def compare_legal_forms(
    query: Sequence[tuple[str, str]], listed: Sequence[tuple[str, str]]
) -> Evidence | None:
    """Legal forms ``(as written, family)`` on both sides: the same family agrees
    ("legal form OAO = JSC"), another family costs a little."""
    if not query or not listed:
        return None
    q_families = {family for _, family in query}
    l_families = {family for _, family in listed}
    shown = f"{', '.join(q for q, _ in query).upper()} = {', '.join(c for c, _ in listed).upper()}"
    if q_families & l_families:
        return Evidence(1.0, f"legal form {shown}")
    factor = tables().penalties["different_legal_form"]
    return Evidence(factor, f"legal form differs: {shown.replace(' = ', ' vs ')}")


def compare_numbers(query: Sequence[int], listed: Sequence[int]) -> Evidence | None:
    """Numbers in both names (written as digits, words or ordinals) must be the same numbers:
    Fund 8 is not Fund 9."""
    if not query and not listed:
        return None
    penalties = tables().penalties
    if sorted(query) == sorted(listed):
        return Evidence(1.0, f"number {' '.join(map(str, query))} on both sides")
    if not query or not listed:
        side = "listed" if listed else "screened"
        shown = " ".join(map(str, listed or query))
        return Evidence(penalties["number_one_side"], f"number {shown} only in the {side} name")
    shown = f"{' '.join(map(str, query))} vs {' '.join(map(str, listed))}"
    return Evidence(penalties["different_number"], f"different numbers: {shown}")


def korean_whole_name(query: Sequence[str], listed: Sequence[str]) -> Evidence | None:
    """Two Korean names whose syllables agree in every romanisation and grouping
    (Kim Jong Un = Kim Chong-un = Kim Jongun): ``query`` and ``listed`` are the parts' primary
    spellings, family name first or last."""
    if len(query) < 2 or len(listed) < 2:
        return None
    families = tables().korean_families
    if not ({query[0], query[-1]} & families and {listed[0], listed[-1]} & families):
        return None
    q_keys = _korean_orders(query)
    l_keys = _korean_orders(listed)
    if q_keys is None or l_keys is None or not q_keys & l_keys:
        return None
    score = tables().rules["korean_whole_name"]
    return Evidence(score, "the same Korean name romanised another way")


def _korean_orders(parts: Sequence[str]) -> frozenset[str] | None:
    """Keys of a Korean name written family name first, and with its last part moved first."""
    keys = [korean_key(p) for p in parts]
    if any(k is None for k in keys):
        return None
    known = [k for k in keys if k is not None]
    return frozenset({"".join(known), "".join(known[-1:] + known[:-1])})


def different_middle(query: Sequence[str], listed: Sequence[str], role: str) -> Evidence | None:
    """A middle name or patronymic on both sides that differs: another person, not an
    omission (Ahmed Ali Hassan / Ahmed Mohamed Hassan)."""
    if not query or not listed:
        return None
    factor = tables().penalties[
        "different_patronymic" if role == "patronymic" else "different_middle"
    ]
    shown = f"{' '.join(query)} in the screened name, {' '.join(listed)} in the listed name"
    return Evidence(factor, f"different {role}: {shown}")
