"""What a traveller manifest reader produces: travellers with their documents, ready to screen.

PAXLST (API) and PNRGOV (PNR) both become a :class:`Manifest` of messages, each with its flights
and :class:`Traveller` records. A traveller whose data cannot be screened (no name) keeps an
``error`` instead of a :class:`~interdict.model.Party`, so that it is reported, never dropped.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from interdict.model import CountryRole, EntityCountry, PartialDate, Party, Schema
from interdict.model.countries import country_code
from interdict.model.entity import MAX_NAME_LENGTH
from interdict.readers.base import describe_validation_error

__all__ = [
    "Flight",
    "Manifest",
    "ManifestMessage",
    "TravelDocument",
    "Traveller",
    "docs_date",
    "edifact_date",
    "gender_of",
    "make_traveller",
    "reference_year",
]

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_DOCS_DATE = re.compile(r"(\d{1,2})([A-Z]{3})(\d{2}|\d{4})", re.ASCII)
_GENDERS = {"M": "male", "MI": "male", "F": "female", "FI": "female"}


@dataclass(frozen=True, slots=True)
class TravelDocument:
    """A passport or other travel document as the manifest gives it."""

    kind: str
    number: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Flight:
    """One leg named in a message: flight number and airports as sent."""

    number: str
    departure: str
    arrival: str


@dataclass(frozen=True)
class Traveller:
    """A passenger, crew member or infant: identity data and the party to screen."""

    id: str
    kind: str
    surname: str
    given: str
    birth_date: PartialDate | None
    gender: str | None
    nationality: str | None
    document: TravelDocument | None
    where: str
    record_locator: str | None = None
    party: Party | None = None
    error: str | None = None

    @property
    def name(self) -> str:
        """Given names then surname, as screened."""
        return " ".join(p for p in (self.given, self.surname) if p)

    def describe(self) -> dict[str, Any]:
        """The traveller's data for the API and CLI output."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "name": self.name,
            "birth_date": str(self.birth_date) if self.birth_date else None,
            "gender": self.gender,
            "nationality": self.nationality,
            "document": (
                {
                    "kind": self.document.kind,
                    "number": self.document.number,
                    "country": self.document.country,
                }
                if self.document
                else None
            ),
            "where": self.where,
        }
        if self.record_locator:
            data["record_locator"] = self.record_locator
        return data


@dataclass(frozen=True)
class ManifestMessage:
    """One PAXLST or PNRGOV message of an interchange."""

    index: int
    type: str
    version: str
    reference: str
    flights: tuple[Flight, ...]
    travellers: tuple[Traveller, ...]


@dataclass(frozen=True)
class Manifest:
    """All messages of one interchange and what the reader tolerated or skipped."""

    messages: tuple[ManifestMessage, ...]
    warnings: list[str] = field(default_factory=list)

    @property
    def travellers(self) -> list[Traveller]:
        """Every traveller of every message, in order."""
        return [t for m in self.messages for t in m.travellers]


def reference_year(prepared: str) -> int:
    """The year an interchange was prepared (UNB ``YYMMDD`` or ``CCYYMMDD``), else this year."""
    if prepared.isdigit() and len(prepared) in (6, 8):
        return 2000 + int(prepared[:2]) if len(prepared) == 6 else int(prepared[:4])
    return datetime.date.today().year


def _full_year(two_digits: int, reference: int) -> int:
    """A birth year from two digits: the latest year not after the reference year."""
    year = reference - reference % 100 + two_digits
    return year - 100 if year > reference else year


def _valid(year: int, month: int, day: int) -> PartialDate | None:
    try:
        datetime.date(year, month, day)
        return PartialDate(year=year, month=month, day=day)
    except ValueError:
        return None


def edifact_date(value: str, fmt: str, reference: int) -> PartialDate | None:
    """A birth date from a DTM segment: ``YYMMDD`` (format 101/none) or ``CCYYMMDD`` (102)."""
    digits = value.strip()
    if not digits.isdigit():
        return None
    if len(digits) == 8 and fmt in ("", "102"):
        return _valid(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if len(digits) == 6:
        year = _full_year(int(digits[:2]), reference)
        return _valid(year, int(digits[2:4]), int(digits[4:]))
    return None


def docs_date(value: str, reference: int) -> PartialDate | None:
    """A date as PNR SSR DOCS writes it: ``12JUL64`` or ``12JUL1964``."""
    found = _DOCS_DATE.fullmatch(value.strip().upper())
    if not found or found[2] not in _MONTHS:
        return None
    digits = found[3]
    year = int(digits) if len(digits) == 4 else _full_year(int(digits), reference)
    return _valid(year, _MONTHS[found[2]], int(found[1]))


def gender_of(code: str) -> str | None:
    """``male``/``female`` from M, F, MI, FI (infants); ``None`` otherwise."""
    return _GENDERS.get(code.strip().upper())


def make_traveller(
    *,
    traveller_id: str,
    kind: str,
    surname: str,
    given: str,
    birth_date: PartialDate | None,
    gender: str | None,
    nationality: str,
    document: TravelDocument | None,
    where: str,
    record_locator: str | None = None,
) -> Traveller:
    """Build a traveller and the party to screen; unusable data becomes the traveller's error."""
    surname, given = " ".join(surname.split()), " ".join(given.split())
    country = country_code(nationality) if nationality else None
    traveller = Traveller(
        id=traveller_id,
        kind=kind,
        surname=surname,
        given=given,
        birth_date=birth_date,
        gender=gender,
        nationality=country,
        document=document,
        where=where,
        record_locator=record_locator,
    )
    name = traveller.name
    if not name:
        return replace(traveller, error=f"{where}: traveller has no name; not screened")
    if len(name) > MAX_NAME_LENGTH:
        return replace(traveller, error=f"{where}: name longer than {MAX_NAME_LENGTH} characters")
    try:
        party = Party(
            id=traveller_id,
            name=name,
            birth_date=birth_date,
            countries=(EntityCountry(code=country, role=CountryRole.NATIONALITY),)
            if country
            else (),
            gender=gender,
            id_number=document.number[:200] if document else None,
            schema=Schema.PERSON,
        )
    except ValidationError as exc:
        return replace(traveller, error=f"{where}: {describe_validation_error(exc)}")
    return replace(traveller, party=party)
