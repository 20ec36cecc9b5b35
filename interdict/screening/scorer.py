"""Matcher ``name_v1``: a pure function from a query and one listed name to a score and reasons.

score = alignment of name parts (weighted by rarity) × weak-alias factor, then adjusted by date
of birth, country, gender and identifiers, clipped to [0, 1]. No index, no I/O: the same function
runs in the service, batch jobs and Spark partitions. Change behaviour by adding ``name_v2``,
never by editing this one in place once released.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from interdict.model import EntityCountry, Identifier, NameKind, NameQuality, PartialDate
from interdict.names.tokens import NameAnalysis, Token
from interdict.screening.attributes import (
    Adjustment,
    compare_birth_dates,
    compare_countries,
    compare_gender,
    compare_identifiers,
)
from interdict.screening.compare import align_names

__all__ = [
    "DEFAULT_THRESHOLD",
    "MATCHER_VERSION",
    "ListedName",
    "Query",
    "Scored",
    "score_name",
]

MATCHER_VERSION = "name_v1"
DEFAULT_THRESHOLD = 0.80
"""Scores at or above this are reported as matches (documented in the README)."""
WEAK_ALIAS_FACTOR = 0.88
SHORT_NAME_FACTOR = 0.85
"""A one-part name matching one part of a longer listed name is weak evidence."""


@dataclass(frozen=True, slots=True)
class Query:
    """A party to screen, analysed."""

    name: NameAnalysis
    birth_date: PartialDate | None = None
    countries: tuple[EntityCountry, ...] = ()
    gender: str | None = None
    id_number: str | None = None


@dataclass(frozen=True, slots=True)
class ListedName:
    """One name of a listed entity with the entity's attributes, analysed."""

    name: NameAnalysis
    kind: NameKind
    quality: NameQuality
    birth_dates: tuple[PartialDate, ...] = ()
    countries: tuple[EntityCountry, ...] = ()
    gender: str | None = None
    identifiers: tuple[Identifier, ...] = ()


@dataclass(frozen=True, slots=True)
class Scored:
    """A score in [0, 1], the part of it that came from the name, and the reasons."""

    score: float
    name_score: float
    explanation: tuple[str, ...]


def _attribute_adjustments(query: Query, listed: ListedName) -> list[Adjustment]:
    found = [
        compare_birth_dates(query.birth_date, listed.birth_dates),
        compare_countries(query.countries, listed.countries),
        compare_gender(query.gender, listed.gender),
        compare_identifiers(query.id_number, listed.identifiers),
    ]
    return [a for a in found if a is not None]


def score_name(query: Query, listed: ListedName, weight: Callable[[Token], float]) -> Scored:
    """Score one listed name against a query; ``weight`` gives each name part its rarity."""
    alignment = align_names(query.name, listed.name, weight)
    name_score = alignment.score
    reasons = [
        f"{m.query} ~ {m.candidate}: {m.how} ({m.similarity:.2f})" for m in alignment.matches
    ]
    if alignment.unmatched_query:
        reasons.append(f"not in listed name: {' '.join(alignment.unmatched_query)}")
    if alignment.unmatched_candidate:
        reasons.append(f"not in screened name: {' '.join(alignment.unmatched_candidate)}")
    if len(alignment.matches) == 1 and alignment.unmatched_candidate and name_score > 0:
        name_score *= SHORT_NAME_FACTOR
        reasons.append(f"only one name part agrees (x{SHORT_NAME_FACTOR})")
    if listed.quality is NameQuality.WEAK:
        name_score *= WEAK_ALIAS_FACTOR
        reasons.append(f"weak alias, as the list marks it (x{WEAK_ALIAS_FACTOR})")
    score = name_score
    for adjustment in _attribute_adjustments(query, listed):
        # Agreement counts in proportion to how well the names already agree.
        delta = adjustment.delta * name_score if adjustment.delta > 0 else adjustment.delta
        score += delta
        reasons.append(f"{adjustment.reason} ({delta:+.2f})")
    score = min(1.0, max(0.0, score))
    reasons.insert(0, f"name score {name_score:.2f} ({listed.kind.value} name), final {score:.2f}")
    return Scored(score, name_score, tuple(reasons))
