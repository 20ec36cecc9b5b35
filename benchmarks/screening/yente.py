"""Cases from OpenSanctions' yente candidate-generation benchmark, with the truth we build for them.

- **UN positives** (683 UN Security Council persons, untreated and treated — the treated file
  has typos and reshuffles, row for row the same people). Truth: the UN entity whose primary
  name or alias equals the *untreated* ``full_name`` after case, punctuation and space
  normalisation, and whose birth year agrees with the row's (when both have one). A row whose
  name matches no UN name is reported and excluded; a row matching two UN entries (one person
  listed twice, e.g. under two regimes) counts as found when either is found.
- **US-Congress positives** (1,254 members of Congress, on no sanctions list): we add them to the
  index as an in-house list ``pep`` built from the untreated names (and birth year), and query
  with one seeded perturbation per row: a typo, a reordering to ``Family, Given``, or dropped
  initials (see :func:`perturb`).
- **Negatives** (2 × 50,000 invented persons): any alert is a false alert.
"""

from __future__ import annotations

import random
import re
import string
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from benchmarks.screening.cases import (
    Case,
    Query,
    clean_birth_date,
    clean_country,
    clean_gender,
)
from benchmarks.screening.sources import YenteRow
from interdict.model import Entity, Name, PartialDate, Provenance, Schema

__all__ = [
    "PEP_LIST",
    "PERTURBATIONS",
    "UnTruth",
    "congress_cases",
    "congress_entities",
    "map_un_truth",
    "match_key",
    "negative_cases",
    "perturb",
    "row_query",
    "un_cases",
]

PEP_LIST = "pep"
PERTURBATIONS = ("typo", "reorder", "drop initials")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NON_WORD = re.compile(r"[\W_]+")


def match_key(text: str) -> str:
    """Case, punctuation and space normalisation used to map benchmark names to list names."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def row_query(row: YenteRow, prefix: str) -> tuple[Query, bool]:
    """The query for a benchmark row, and whether its date had to be shortened to be valid."""
    birth_date, shortened = clean_birth_date(row.date_of_birth)
    query = Query(
        id=f"{prefix}:{row.row}",
        name=row.full_name,
        schema=Schema.PERSON,
        birth_date=birth_date,
        countries=clean_country(row.nationality),
        gender=clean_gender(row.gender),
    )
    return query, shortened


def _year_agrees(dates: Iterable[PartialDate], year: int | None) -> bool:
    listed = list(dates)
    if year is None or not listed:
        return True
    return any(d.year <= year <= (d.until_year or d.year) for d in listed)


@dataclass(frozen=True)
class UnTruth:
    """How the UN positives were mapped to UN entities."""

    truths: list[frozenset[str]]
    """Per row, the matching entity ids (empty: not mapped)."""
    unmapped: list[str]
    """``row N: NAME`` for each row that maps to no UN entity."""
    several: int
    """Rows that map to more than one UN entity (the same person listed twice)."""


def map_un_truth(rows: list[YenteRow], un_entities: list[Entity]) -> UnTruth:
    """Map each untreated UN positive to the UN entity with the same name and birth year."""
    by_name: dict[str, list[Entity]] = defaultdict(list)
    for entity in un_entities:
        for key in {match_key(name.full) for name in entity.names}:
            by_name[key].append(entity)
    truths: list[frozenset[str]] = []
    unmapped: list[str] = []
    several = 0
    for row in rows:
        birth_date, _ = clean_birth_date(row.date_of_birth)
        year = birth_date.year if birth_date else None
        found = frozenset(
            entity.entity_id()
            for entity in by_name.get(match_key(row.full_name), [])
            if _year_agrees(entity.birth_dates, year)
        )
        if not found:
            unmapped.append(f"row {row.row}: {row.full_name}")
        several += len(found) > 1
        truths.append(found)
    return UnTruth(truths, unmapped, several)


def un_cases(rows: list[YenteRow], truth: UnTruth, prefix: str) -> tuple[list[Case], int]:
    """Cases for the mapped UN positive rows, and how many dates had to be shortened."""
    cases: list[Case] = []
    shortened = 0
    for row, found in zip(rows, truth.truths, strict=True):
        if not found:
            continue
        query, cut = row_query(row, prefix)
        shortened += cut
        cases.append(Case(query, found))
    return cases, shortened


def negative_cases(rows: list[YenteRow], prefix: str) -> list[Case]:
    """Negative cases (no truth) for the rows of a negatives file."""
    return [Case(row_query(row, prefix)[0]) for row in rows if row.full_name]


def congress_entities(rows: list[YenteRow]) -> list[Entity]:
    """The US-Congress positives as an in-house list ``pep`` (untreated name, birth year)."""
    provenance = Provenance(list_name=PEP_LIST, list_version=1, source_format="csv")
    entities: list[Entity] = []
    for row in rows:
        birth_date, _ = clean_birth_date(row.date_of_birth)
        entities.append(
            Entity(
                source_id=f"congress-{row.row}",
                schema=Schema.PERSON,
                names=(Name(full=row.full_name),),
                birth_dates=(birth_date,) if birth_date else (),
                provenance=provenance,
            )
        )
    return entities


def _typo(word: str, rng: random.Random) -> str:
    """One edit (substitute, delete, insert, transpose) after the first letter; always a change."""
    position = rng.randrange(1, len(word) - 1)
    current = word[position]
    letter = rng.choice([c for c in string.ascii_lowercase if c != current.casefold()])
    if current.isupper():
        letter = letter.upper()
    operation = rng.choice(("substitute", "delete", "insert", "transpose"))
    if operation == "transpose" and word[position + 1] != current:
        return word[:position] + word[position + 1] + current + word[position + 2 :]
    if operation == "substitute":
        return word[:position] + letter + word[position + 1 :]
    if operation == "insert":
        return word[:position] + letter + word[position:]
    return word[:position] + word[position + 1 :]


def _is_initial(word: str) -> bool:
    return len(word.strip(".,")) == 1


def _is_suffix(word: str) -> bool:
    return word.strip(".,").casefold() in _SUFFIXES


def perturb(name: str, rng: random.Random) -> tuple[str, str]:
    """A perturbed spelling of ``name`` and which perturbation was applied.

    One of :data:`PERTURBATIONS`, chosen with ``rng``: ``typo`` edits one letter (not the
    first) of a word of four or more letters; ``reorder`` writes ``Family, Given Middle``;
    ``drop initials`` removes one-letter middle initials, or else a middle name. When the
    chosen perturbation cannot apply (no middle part to drop), a typo is made instead.
    """
    words = name.split()
    kind = rng.choice(PERTURBATIONS)
    core = [i for i, w in enumerate(words) if not _is_suffix(w)]
    if kind == "reorder" and len(core) >= 2:
        family = core[-1]
        given = " ".join(w for i, w in enumerate(words) if i != family)
        return f"{words[family].rstrip(',')}, {given}", kind
    if kind == "drop initials" and len(core) >= 3:
        middle = core[1:-1]
        dropped = {i for i in middle if _is_initial(words[i])} or {rng.choice(middle)}
        return " ".join(w for i, w in enumerate(words) if i not in dropped), kind
    long_words = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long_words:
        long_words = [max(range(len(words)), key=lambda i: len(words[i]))]
    chosen = rng.choice(long_words)
    if len(words[chosen]) < 3:
        return name, "unchanged"
    words[chosen] = _typo(words[chosen], rng)
    return " ".join(words), "typo"


def congress_cases(rows: list[YenteRow], seed: int) -> tuple[list[Case], list[Case]]:
    """Exact-name cases and perturbed-name cases for the US-Congress positives (seeded)."""
    rng = random.Random(seed)
    exact: list[Case] = []
    perturbed: list[Case] = []
    for row in rows:
        query, _ = row_query(row, "congress")
        truth = frozenset({f"{PEP_LIST}:congress-{row.row}"})
        exact.append(Case(query, truth, "exact"))
        spelled, kind = perturb(row.full_name, rng)
        changed = Query(query.id + ":p", spelled, query.schema, query.birth_date)
        perturbed.append(Case(changed, truth, kind))
    return exact, perturbed
