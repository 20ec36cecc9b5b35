"""Matcher ``name_v1``: a pure function from a query and one listed name to a score and reasons.

score = alignment of name parts (weighted by rarity) × weak-alias factor, then adjusted by date
of birth, country, gender and identifiers, clipped to [0, 1]. No index, no I/O: the same function
runs in the service, batch jobs and Spark partitions. Change behaviour by adding ``name_v2``,
never by editing this one in place once released.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from interdict.model import EntityCountry, Identifier, NameKind, NameQuality, PartialDate
from interdict.names.tokens import NameAnalysis, Token
from interdict.screening.attributes import (
    COUNTRY_AGREE,
    DOB_EXACT,
    IDENTIFIER_AGREE,
    Adjustment,
    compare_birth_dates,
    compare_countries,
    compare_gender,
    compare_identifiers,
)
from interdict.screening.compare import (
    Alignment,
    align_names,
    alignment_bound,
    part_similarities,
)

__all__ = [
    "BOUND_SLACK",
    "DEFAULT_THRESHOLD",
    "MATCHER_VERSION",
    "MAX_RAISE",
    "ListedName",
    "Query",
    "Scored",
    "adjusted_score",
    "attribute_adjustments",
    "score_name",
    "score_name_above",
]

MATCHER_VERSION = "name_v1"
DEFAULT_THRESHOLD = 0.80
"""Scores at or above this are reported as matches (documented in the README)."""
WEAK_ALIAS_FACTOR = 0.88
SHORT_NAME_FACTOR = 0.85
"""A one-part name matching one part of a longer listed name is weak evidence."""
MAX_RAISE = 1.0 + DOB_EXACT + COUNTRY_AGREE + IDENTIFIER_AGREE
"""The most the attributes can multiply a name score by (every one agreeing)."""


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


def attribute_adjustments(query: Query, listed: ListedName) -> list[Adjustment]:
    """What date of birth, country, gender and identifiers say about the pair (any matcher)."""
    found = [
        compare_birth_dates(query.birth_date, listed.birth_dates),
        compare_countries(query.countries, listed.countries),
        compare_gender(query.gender, listed.gender),
        compare_identifiers(query.id_number, listed.identifiers),
    ]
    return [a for a in found if a is not None]


def adjusted_score(name_score: float, adjustments: list[Adjustment]) -> tuple[float, list[float]]:
    """The final score (clipped to [0, 1]) and each adjustment's change to it."""
    score = name_score
    deltas = []
    for adjustment in adjustments:
        # Agreement counts in proportion to how well the names already agree.
        delta = adjustment.delta * name_score if adjustment.delta > 0 else adjustment.delta
        score += delta
        deltas.append(delta)
    return min(1.0, max(0.0, score)), deltas


BOUND_SLACK = 1e-9
"""Bounds are compared with this margin, so that rounding never rejects a score at the floor."""


def score_name(query: Query, listed: ListedName, weight: Callable[[Token], float]) -> Scored:
    """Score one listed name against a query; ``weight`` gives each name part its rarity."""
    scored = score_name_above(query, listed, weight, 0.0)
    assert scored is not None  # every score is at least 0
    return scored


def score_name_above(
    query: Query, listed: ListedName, weight: Callable[[Token], float], floor: float
) -> Scored | None:
    """:func:`score_name`, or ``None`` when the score is below ``floor``.

    The same score, found faster: a bound on the name score from the part similarities alone
    rejects most candidates before the alignment and before any reason is written.
    """
    sims = part_similarities(query.name, listed.name)
    adjustments: list[Adjustment] | None = None
    if floor > 0:
        bound = alignment_bound(query.name, listed.name, weight, sims)
        if listed.quality is NameQuality.WEAK:
            bound *= WEAK_ALIAS_FACTOR
        if bound * MAX_RAISE + BOUND_SLACK < floor:
            return None
        adjustments = attribute_adjustments(query, listed)
        if adjusted_score(bound, adjustments)[0] + BOUND_SLACK < floor:
            return None
    alignment = align_names(query.name, listed.name, weight, sims)
    name_score = alignment.score
    short = len(alignment.matches) == 1 and bool(alignment.unmatched_candidate) and name_score > 0
    if short:
        name_score *= SHORT_NAME_FACTOR
    if listed.quality is NameQuality.WEAK:
        name_score *= WEAK_ALIAS_FACTOR
    if adjustments is None:
        adjustments = attribute_adjustments(query, listed)
    score, deltas = adjusted_score(name_score, adjustments)
    if score < floor:
        return None
    reasons = _reasons(listed, alignment, short, zip(adjustments, deltas, strict=True))
    reasons.insert(0, f"name score {name_score:.2f} ({listed.kind.value} name), final {score:.2f}")
    return Scored(score, name_score, tuple(reasons))


def _reasons(
    listed: ListedName,
    alignment: Alignment,
    short: bool,
    adjusted: Iterable[tuple[Adjustment, float]],
) -> list[str]:
    reasons = [
        f"{m.query} ~ {m.candidate}: {m.how} ({m.similarity:.2f})" for m in alignment.matches
    ]
    if alignment.unmatched_query:
        reasons.append(f"not in listed name: {' '.join(alignment.unmatched_query)}")
    if alignment.unmatched_candidate:
        reasons.append(f"not in screened name: {' '.join(alignment.unmatched_candidate)}")
    if short:
        reasons.append(f"only one name part agrees (x{SHORT_NAME_FACTOR})")
    if listed.quality is NameQuality.WEAK:
        reasons.append(f"weak alias, as the list marks it (x{WEAK_ALIAS_FACTOR})")
    for adjustment, delta in adjusted:
        reasons.append(f"{adjustment.reason} ({delta:+.2f})")
    return reasons
