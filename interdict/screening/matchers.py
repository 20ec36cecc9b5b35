"""The matcher registry: every released matcher by name, and the default one.

A matcher is a pure function from a query and one listed name (with a rarity weight per name
part and a floor) to a :class:`~interdict.screening.scorer.Scored`, or ``None`` below the floor.
Matchers are never edited once released: a new behaviour is a new name (``name_v2``), and the
old one stays selectable so that past decisions replay with the very scores they were made on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from interdict.errors import BadInputError
from interdict.names.tokens import Token
from interdict.screening import name_v2, scorer
from interdict.screening.scorer import ListedName, Query, Scored

__all__ = [
    "DEFAULT_MATCHER",
    "KEY_SCHEME",
    "MATCHERS",
    "Matcher",
    "ScoreAbove",
    "matcher_named",
]

ScoreAbove = Callable[[Query, ListedName, Callable[[Token], float], float], Scored | None]
"""``(query, listed, weight, floor) → Scored | None``: the score, or None when below floor."""

KEY_SCHEME = "keys_v3"
"""Version of the blocking keys (the candidate step) that every registered matcher shares.

Stored customer keys and per-list key counts are tagged with it: changing the scorer does not
invalidate them, changing the keys does (give the new keys a new scheme name). ``keys_v3``
(2026-12): Korean-looking names also get syllable keys ("k:gwang" for Kwang and Gwang).
``keys_v2``
(2026-12): evasion cleaning (digits for letters, every look-alike script, loose combining marks)
and joined skeletons that write a letter repeated across a boundary once; ``name_v1`` before."""


@dataclass(frozen=True, slots=True)
class Matcher:
    """One registered matcher."""

    name: str
    score_above: ScoreAbove
    summary: str


MATCHERS: dict[str, Matcher] = {
    "name_v1": Matcher(
        "name_v1",
        scorer.score_name_above,
        "order-free alignment of name parts weighted by rarity (2026-11)",
    ),
    "name_v2": Matcher(
        "name_v2",
        name_v2.score_name_above,
        "name_v1's alignment with evidence rules (legal forms, numbers, Korean romanisations,"
        " Han characters, initials) and role-aware costs (2026-12)",
    ),
}
"""Every released matcher, by name."""

DEFAULT_MATCHER = "name_v1"
"""The matcher used when none is named."""


def matcher_named(name: str | None) -> Matcher:
    """The registered matcher called ``name`` (``None`` or empty: the default)."""
    found = MATCHERS.get(name or DEFAULT_MATCHER)
    if found is None:
        raise BadInputError(
            f"unknown matcher {name!r}",
            hint=f"choose one of {', '.join(sorted(MATCHERS))}",
        )
    return found
