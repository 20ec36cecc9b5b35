"""A listed entity as every reader produces it: names, dates, countries, documents, provenance."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "Address",
    "CountryRole",
    "Entity",
    "EntityCountry",
    "Identifier",
    "Name",
    "NameKind",
    "NameQuality",
    "PartialDate",
    "Provenance",
    "Schema",
]

MAX_NAME_LENGTH = 500


class Schema(StrEnum):
    """What kind of thing an entity is (FollowTheMoney schema names)."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    VESSEL = "Vessel"
    AIRCRAFT = "Aircraft"
    LEGAL_ENTITY = "LegalEntity"  # unknown person-or-organisation (e.g. an untyped CSV row)


class NameKind(StrEnum):
    """Where a name stands in the listing."""

    PRIMARY = "primary"
    ALIAS = "alias"
    FORMER = "former"
    ORIGINAL_SCRIPT = "original_script"


class NameQuality(StrEnum):
    """How good the list says a name is. UN "Low" and OFAC weak AKAs are weak."""

    STRONG = "strong"
    WEAK = "weak"


class CountryRole(StrEnum):
    """Why a country is attached to an entity."""

    NATIONALITY = "nationality"
    CITIZENSHIP = "citizenship"
    RESIDENCE = "residence"
    BIRTH = "birth"
    INCORPORATION = "incorporation"
    ADDRESS = "address"
    FLAG = "flag"
    OTHER = "other"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Name(_Frozen):
    """One name of an entity, as written in the list."""

    full: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    kind: NameKind = NameKind.PRIMARY
    quality: NameQuality = NameQuality.STRONG
    given: str | None = None
    family: str | None = None
    lang: str | None = None

    @field_validator("full")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        stripped = " ".join(value.split())
        if not stripped:
            raise ValueError("name is blank")
        return stripped


class PartialDate(_Frozen):
    """A date as lists give it: a year, a year and month, a full date, or a range of years."""

    year: int = Field(ge=1000, le=2100)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    until_year: int | None = Field(default=None, ge=1000, le=2100)
    approximate: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> PartialDate:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.until_year is not None and self.until_year < self.year:
            raise ValueError("range ends before it starts")
        return self

    def __str__(self) -> str:
        if self.until_year is not None:
            return f"{self.year}..{self.until_year}"
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return ("~" + text) if self.approximate else text

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY..YYYY``; raise ValueError."""
        value = text.strip()
        approximate = value.startswith("~")
        value = value.lstrip("~")
        if ".." in value:
            start, end = value.split("..", 1)
            return cls(year=int(start), until_year=int(end), approximate=approximate)
        parts = value.split("-")
        if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError(f"not a date: {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        numbers = [int(p) for p in parts]
        return cls(
            year=numbers[0],
            month=numbers[1] if len(numbers) > 1 else None,
            day=numbers[2] if len(numbers) > 2 else None,
            approximate=approximate,
        )


class EntityCountry(_Frozen):
    """A country linked to an entity, as ISO 3166 alpha-2 (upper case), with its role."""

    code: str = Field(pattern=r"^[A-Z]{2}$")
    role: CountryRole = CountryRole.OTHER


class Identifier(_Frozen):
    """An identity document or registration number."""

    kind: str = Field(min_length=1, max_length=100)
    value: str = Field(min_length=1, max_length=200)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    note: str | None = None


class Address(_Frozen):
    """A postal address, kept as the list wrote it."""

    full: str = Field(min_length=1)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")


class Provenance(_Frozen):
    """Where an entity came from: list, version, file digest."""

    list_name: str
    list_version: int = 0
    file_sha256: str = ""
    source_format: str = ""


class Entity(_Frozen):
    """A designated person, organisation, vessel or aircraft from one list."""

    source_id: str = Field(min_length=1, max_length=200)
    schema_: Schema = Field(alias="schema")
    names: tuple[Name, ...] = Field(min_length=1)
    birth_dates: tuple[PartialDate, ...] = ()
    birth_places: tuple[str, ...] = ()
    countries: tuple[EntityCountry, ...] = ()
    gender: str | None = Field(default=None, pattern=r"^(male|female)$")
    identifiers: tuple[Identifier, ...] = ()
    addresses: tuple[Address, ...] = ()
    programs: tuple[str, ...] = ()
    listed_on: str | None = None
    remarks: str | None = None
    provenance: Provenance | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @property
    def schema(self) -> Schema:  # type: ignore[override]
        """FollowTheMoney schema of the entity."""
        return self.schema_

    def entity_id(self) -> str:
        """Namespaced stable id, e.g. ``un:QDi.123``."""
        list_name = self.provenance.list_name if self.provenance else "?"
        return f"{list_name}:{self.source_id}"

    def with_provenance(self, provenance: Provenance) -> Entity:
        """A copy of this entity carrying ``provenance``."""
        return self.model_copy(update={"provenance": provenance})
