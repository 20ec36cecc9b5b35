"""Benchmark cases: a query both matchers see the same way, and the entity ids that are its truth.

A :class:`Query` holds already-cleaned attributes (a valid partial date, ISO alpha-2 codes,
``male``/``female`` or nothing) so that our screener and the peer get exactly the same input.
A :class:`Case` with an empty ``truth`` is a negative (any alert is a false alert).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from interdict.model import CountryRole, EntityCountry, PartialDate, Party, Schema
from interdict.model.countries import country_code

__all__ = ["Case", "Query", "clean_birth_date", "clean_country", "clean_gender"]


@dataclass(frozen=True)
class Query:
    """What is screened: a name and, optionally, birth date, nationalities and gender."""

    id: str
    name: str
    schema: Schema | None = None
    birth_date: PartialDate | None = None
    countries: tuple[str, ...] = ()
    gender: str | None = None

    def party(self, *, with_attributes: bool = True) -> Party:
        """The query as our :class:`Party`; name only when ``with_attributes`` is off."""
        if not with_attributes:
            return Party.model_validate({"id": self.id, "name": self.name, "schema": self.schema})
        return Party.model_validate(
            {
                "id": self.id,
                "name": self.name,
                "schema": self.schema,
                "birth_date": self.birth_date,
                "countries": tuple(
                    EntityCountry(code=code, role=CountryRole.NATIONALITY)
                    for code in self.countries
                ),
                "gender": self.gender,
            }
        )

    def name_only(self) -> Query:
        """The same query without birth date, countries and gender."""
        return Query(id=self.id, name=self.name, schema=self.schema)


@dataclass(frozen=True)
class Case:
    """One query with the entity ids (``list:source_id``) it should find; empty for negatives."""

    query: Query
    truth: frozenset[str] = field(default_factory=frozenset)
    group: str = ""
    """A sub-population label (e.g. the perturbation applied, or the script)."""


def clean_birth_date(text: str) -> tuple[PartialDate | None, bool]:
    """Parse a file's date; invalid ones (``1974-01-32``) fall back to their valid prefix.

    Returns the date and whether it had to be shortened.
    """
    value = text.strip()
    if not value:
        return None, False
    parts = value.split("-")
    for keep in range(len(parts), 0, -1):
        try:
            return PartialDate.parse("-".join(parts[:keep])), keep < len(parts)
        except ValueError:
            continue
    return None, True


def clean_country(text: str) -> tuple[str, ...]:
    """ISO alpha-2 code(s) for a nationality cell (``af``, ``Iraq``); unknown text is dropped."""
    code = country_code(text) if text.strip() else None
    return (code,) if code else ()


def clean_gender(text: str) -> str | None:
    """``male``/``female``; ``other`` and blanks become unknown for both matchers."""
    value = text.strip().casefold()
    return value if value in {"male", "female"} else None
