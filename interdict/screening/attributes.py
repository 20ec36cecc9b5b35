"""Secondary evidence: date of birth, country, gender and identifiers raise or lower a name score.

Each function is a small pure feature returning an :class:`Adjustment` (a signed change and the
reason an analyst reads), or ``None`` when the evidence is missing on either side. Qualifiers
only adjust: no attribute alone makes a match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from interdict.model import EntityCountry, Identifier, PartialDate

__all__ = [
    "Adjustment",
    "compare_birth_dates",
    "compare_countries",
    "compare_gender",
    "compare_identifiers",
    "normalise_identifier",
]

DOB_EXACT = 0.06
DOB_YEAR = 0.03
DOB_CONFLICT = -0.18
COUNTRY_AGREE = 0.02
COUNTRY_CONFLICT = -0.05
GENDER_CONFLICT = -0.12
IDENTIFIER_AGREE = 0.25

_ID_JUNK = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A change to the score and why."""

    delta: float
    reason: str


def _years(date: PartialDate) -> tuple[int, int]:
    if date.until_year is not None:
        return date.year, date.until_year
    if date.approximate:
        return date.year - 2, date.year + 2
    return date.year, date.year


def _same_day(a: PartialDate, b: PartialDate) -> bool:
    return (
        a.until_year is None
        and b.until_year is None
        and a.year == b.year
        and a.month is not None
        and a.month == b.month
        and a.day is not None
        and a.day == b.day
    )


def _month_conflict(a: PartialDate, b: PartialDate) -> bool:
    return a.year == b.year and a.month is not None and b.month is not None and a.month != b.month


def compare_birth_dates(
    query: PartialDate | None, listed: Sequence[PartialDate]
) -> Adjustment | None:
    """Agreeing dates of birth raise the score; dates more than a year apart lower it."""
    if query is None or not listed:
        return None
    for date in listed:
        if _same_day(query, date):
            return Adjustment(DOB_EXACT, f"date of birth {query} agrees with listed {date}")
    q_lo, q_hi = _years(query)
    for date in listed:
        lo, hi = _years(date)
        if q_lo <= hi and lo <= q_hi and not _month_conflict(query, date):
            return Adjustment(DOB_YEAR, f"year of birth {query} agrees with listed {date}")
    for date in listed:
        lo, hi = _years(date)
        if q_lo - 1 <= hi and lo <= q_hi + 1:
            return Adjustment(0.0, f"date of birth {query} is close to listed {date}")
    shown = ", ".join(str(d) for d in listed[:3])
    return Adjustment(DOB_CONFLICT, f"date of birth {query} disagrees with listed {shown}")


def compare_countries(
    query: Sequence[EntityCountry], listed: Sequence[EntityCountry]
) -> Adjustment | None:
    """A shared country raises the score a little; no country in common lowers it a little."""
    if not query or not listed:
        return None
    mine = {c.code for c in query}
    theirs = {c.code for c in listed}
    shared = sorted(mine & theirs)
    if shared:
        return Adjustment(COUNTRY_AGREE, f"country {', '.join(shared)} agrees")
    return Adjustment(
        COUNTRY_CONFLICT,
        f"country {', '.join(sorted(mine))} not among listed {', '.join(sorted(theirs)[:5])}",
    )


def compare_gender(query: str | None, listed: str | None) -> Adjustment | None:
    """A different gender lowers the score."""
    if not query or not listed or query == listed:
        return None
    return Adjustment(GENDER_CONFLICT, f"gender {query} disagrees with listed {listed}")


def normalise_identifier(value: str) -> str:
    """Upper-case letters and digits only, for comparing document numbers."""
    return _ID_JUNK.sub("", value.upper())


def compare_identifiers(query: str | None, listed: Sequence[Identifier]) -> Adjustment | None:
    """The same document number raises the score strongly; a different one proves nothing."""
    if not query or not listed:
        return None
    wanted = normalise_identifier(query)
    if len(wanted) < 4:
        return None
    for identifier in listed:
        if normalise_identifier(identifier.value) == wanted:
            return Adjustment(
                IDENTIFIER_AGREE, f"{identifier.kind} number {identifier.value} agrees"
            )
    return None
