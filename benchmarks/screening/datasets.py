"""Evaluation sets built from the UN list: held-out aliases and original-script names.

- **Held-out alias.** For every UN individual or entity with at least two distinct Latin-script
  names, one alias (chosen with a seeded generator among its aliases and former names) is taken
  out of the index and used as the query; the index keeps every other name of every entity.
  Queries are split into aliases that share at least one word with the entity's remaining names
  (after normalisation, ignoring particles such as ``al``/``bin``/``abu`` and one-letter words)
  and those that share none — noms de guerre, beyond any name matcher, counted apart.
- **Cross-script.** Every ``NAME_ORIGINAL_SCRIPT`` name (the reader's ``ORIGINAL_SCRIPT`` kind)
  is a query against an index holding only the Latin-script names of all UN entities;
  recall is given per script (Arabic, Cyrillic), the script being that of most of its letters.

Truth is the entity the name was taken from. Queries carry the entity's schema (a bank knows
whether its customer is a person or a company) and no other attribute.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from benchmarks.screening.cases import Case, Query
from interdict.model import Entity, Name, NameKind

__all__ = [
    "PARTICLES",
    "CrossScriptSet",
    "HeldOutSet",
    "cross_script_set",
    "held_out_set",
    "letter_script",
    "name_script",
    "shares_words",
    "words",
]

PARTICLES = frozenset(
    {
        "al",
        "el",
        "ad",
        "ar",
        "as",
        "at",
        "az",
        "an",
        "ash",
        "abu",
        "abou",
        "bin",
        "ibn",
        "bint",
        "ben",
        "ould",
        "uulu",
        "kyzy",
        "ogly",
        "oglu",
        "de",
        "del",
        "la",
        "le",
        "van",
        "von",
        "der",
        "da",
        "di",
        "du",
        "the",
        "and",
        "of",
        "mr",
        "haji",
        "hajji",
        "mullah",
        "mawlawi",
        "maulavi",
        "qari",
        "sheikh",
        "shaykh",
        "sayed",
        "sayyid",
    }
)
"""Words that connect or title a name; sharing only these does not make two names related."""

_NON_WORD = re.compile(r"[\W_]+")


def letter_script(char: str) -> str:
    """The script of one letter by its Unicode name (``LATIN``, ``ARABIC``, ``CYRILLIC`` …)."""
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return "UNKNOWN"


def name_script(text: str) -> str:
    """The script of most letters of ``text`` (``LATIN`` for a name without letters)."""
    counts = Counter(letter_script(ch) for ch in text if ch.isalpha())
    return counts.most_common(1)[0][0] if counts else "LATIN"


def words(text: str) -> set[str]:
    """Normalised words of a name (NFKD, accents and punctuation removed), particles dropped."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return {w for w in _NON_WORD.sub(" ", folded).split() if len(w) > 1 and w not in PARTICLES}


def shares_words(name: str, others: list[str]) -> bool:
    """Whether ``name`` has at least one (non-particle) word in common with any of ``others``."""
    mine = words(name)
    return any(mine & words(other) for other in others)


def _is_latin(name: Name) -> bool:
    return name.kind is not NameKind.ORIGINAL_SCRIPT and name_script(name.full) == "LATIN"


def _key(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


@dataclass(frozen=True)
class HeldOutSet:
    """The index (entities with one alias removed each) and the held-out alias queries."""

    entities: list[Entity]
    cases: list[Case]
    """Group ``shares words`` or ``nom de guerre``."""


def held_out_set(un_entities: list[Entity], seed: int) -> HeldOutSet:
    """Hold one alias of each UN entity with ≥ 2 distinct Latin names out of the index."""
    rng = random.Random(seed)
    index: list[Entity] = []
    cases: list[Case] = []
    for entity in un_entities:
        latin = [n for n in entity.names if _is_latin(n)]
        keys = {_key(n.full) for n in latin}
        choices = [n for n in latin if n.kind in (NameKind.ALIAS, NameKind.FORMER)]
        primary_keys = {_key(n.full) for n in latin if n.kind is NameKind.PRIMARY}
        choices = [n for n in choices if _key(n.full) not in primary_keys]
        if len(keys) < 2 or not choices:
            index.append(entity)
            continue
        held = rng.choice(choices)
        held_key = _key(held.full)
        kept = tuple(n for n in entity.names if _key(n.full) != held_key)
        index.append(entity.model_copy(update={"names": kept}))
        others = [n.full for n in kept if _is_latin(n)]
        group = "shares words" if shares_words(held.full, others) else "nom de guerre"
        query = Query(id=f"alias:{entity.source_id}", name=held.full, schema=entity.schema)
        cases.append(Case(query, frozenset({entity.entity_id()}), group))
    return HeldOutSet(index, cases)


@dataclass(frozen=True)
class CrossScriptSet:
    """The Latin-names-only index and the original-script queries."""

    entities: list[Entity]
    cases: list[Case]
    """Group: the query's script, title case (``Arabic``, ``Cyrillic``)."""


def cross_script_set(un_entities: list[Entity]) -> CrossScriptSet:
    """Original-script names as queries against the Latin names of all UN entities."""
    index: list[Entity] = []
    cases: list[Case] = []
    for entity in un_entities:
        latin = tuple(n for n in entity.names if _is_latin(n))
        if not latin:
            continue
        index.append(entity.model_copy(update={"names": latin}))
        originals = [n for n in entity.names if n.kind is NameKind.ORIGINAL_SCRIPT]
        for number, name in enumerate(originals):
            script = name_script(name.full).title()
            query = Query(
                id=f"script:{entity.source_id}:{number}", name=name.full, schema=entity.schema
            )
            cases.append(Case(query, frozenset({entity.entity_id()}), script))
    return CrossScriptSet(index, cases)
