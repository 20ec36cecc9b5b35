"""The record builder every list reader shares: one entity assembled piece by piece.

A reader opens one :class:`ReadContext` per file and one :class:`EntityDraft` per record. Each
piece added to a draft is validated on the way in; a piece that does not validate is dropped with
a warning naming the file and line or record, never raised. :meth:`EntityDraft.build` turns the
draft into an :class:`~interdict.model.Entity` (or a warning when no usable name is left), and
:meth:`ReadContext.list_file` turns the kept entities into the reader's result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import ValidationError

from interdict.errors import BadInputError, where
from interdict.model import (
    Address,
    CountryRole,
    Entity,
    EntityCountry,
    Identifier,
    Name,
    NameKind,
    NameQuality,
    PartialDate,
    Schema,
)
from interdict.model.countries import country_code
from interdict.model.entity import MAX_NAME_LENGTH
from interdict.readers.base import ListFile, describe_validation_error, normalise_space

__all__ = [
    "GENDERS",
    "RANKED",
    "EntityDraft",
    "ReadContext",
    "RecordStyle",
    "add_once",
    "calendar_date",
    "describe_problem",
    "parse_iso_date",
    "parse_number",
]

_T = TypeVar("_T")

GENDERS = {"m": "male", "male": "male", "f": "female", "female": "female"}
"""Gender words and letters (lower case) as lists write them → the model's gender."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|T)")
_ISO_DATE_ZONED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|[T\-+Z])")


@dataclass(frozen=True)
class RecordStyle:
    """How one format finishes its records: the same for every record of that format."""

    noun: str = "record"
    """What the warnings call one record (``record``, ``entry``, ``entity``)."""
    no_name: str = "no usable name; record skipped"
    """The warning for a record left without any usable name."""
    rank_names: bool = True
    """Drop repeated names and put exactly one primary name first (for readers using
    :meth:`EntityDraft.add_name`); otherwise names stay as added."""
    remark_separator: str = "; "
    unique_remarks: bool = False
    """Keep each remark once (FtM, whose linked entities repeat what the entity says)."""


RANKED = RecordStyle()
"""The style of the OFAC, UK and in-house CSV readers."""


def add_once(items: list[_T], item: _T | None) -> None:
    """Append ``item`` to ``items`` unless it is None or already there."""
    if item is not None and item not in items:
        items.append(item)


def describe_problem(exc: ValueError) -> str:
    """One line saying why a value was refused (pydantic errors are ValueErrors too)."""
    if isinstance(exc, ValidationError):
        return describe_validation_error(exc)
    return str(exc)


def parse_number(text: str, what: str = "number") -> int:
    """A whole number written in digits; ``ValueError("not a <what>: …")`` otherwise."""
    if not text.isdigit():
        raise ValueError(f"not a {what}: {text!r}")
    return int(text)


def calendar_date(
    year: int, month: int | None = None, day: int | None = None, *, approximate: bool = False
) -> PartialDate:
    """A partial date whose full day must exist (``1970-02-30`` raises ValueError)."""
    if month is not None and day is not None:
        dt.date(year, month, day)
    return PartialDate(year=year, month=month, day=day, approximate=approximate)


def parse_iso_date(text: str, *, zone: bool = False) -> PartialDate:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, maybe followed by a time; ValueError otherwise.

    With ``zone``, a time zone (``Z``, ``+01:00``, ``-05:00``) may follow the date as well.
    """
    match = (_ISO_DATE_ZONED if zone else _ISO_DATE).match(text.strip())
    if not match:
        raise ValueError(f"not a date: {text!r}")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    return calendar_date(year, month, day)


@dataclass
class ReadContext:
    """Per-file state: which file, the entities kept so far, and what had to be repaired."""

    source: str
    warnings: list[str] = field(default_factory=list)
    unknown_countries: Counter[str] = field(default_factory=Counter)
    entities: dict[str, Entity] = field(default_factory=dict)

    def warn(self, what: str, *, line: int | None = None, record: str | None = None) -> None:
        """Record that something was skipped or repaired, naming the file and line or record."""
        self.warnings.append(f"{where(self.source, line=line, record=record)}: {what}")

    def keep(
        self,
        entity: Entity | None,
        *,
        line: int | None = None,
        repeated: str = "listed twice; the later record is skipped",
    ) -> None:
        """Keep a built entity; a later one with the same id is dropped, warning ``repeated``."""
        if entity is None:
            return
        if entity.source_id in self.entities:
            self.warn(repeated, line=line, record=entity.source_id)
        else:
            self.entities[entity.source_id] = entity

    def finish(self) -> list[str]:
        """All warnings, with one summary line for country values that were not recognised."""
        if self.unknown_countries:
            sample = ", ".join(repr(c) for c, _ in self.unknown_countries.most_common(5))
            total = sum(self.unknown_countries.values())
            self.warn(f"{total} country values not recognised and dropped, e.g. {sample}")
        return self.warnings

    def list_file(
        self, source_format: str, published: str | None, *, empty: str, hint: str
    ) -> ListFile:
        """The kept entities and the warnings; a file that gave no entity is refused."""
        if not self.entities:
            raise BadInputError(empty, where=self.source, hint=hint)
        return ListFile(list(self.entities.values()), source_format, published, self.finish())


@dataclass
class EntityDraft:
    """One entity being assembled from rows or elements; every ``add`` validates its piece.

    A field that does not validate is dropped with a warning naming the record, never raised.
    """

    ctx: ReadContext
    source_id: str
    schema: Schema
    line: int | None = None
    names: list[Name] = field(default_factory=list)
    birth_dates: list[PartialDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    countries: list[EntityCountry] = field(default_factory=list)
    gender: str | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    listed_on: str | None = None

    def warn(self, what: str) -> None:
        """Warn about this record."""
        self.ctx.warn(what, line=self.line, record=self.source_id)

    def attempt(self, make: Callable[[], _T], what: str) -> _T | None:
        """Build one model value; on failure warn ``<what> dropped: <why>`` and return None."""
        try:
            return make()
        except ValueError as exc:  # pydantic's ValidationError is a ValueError too
            self.warn(f"{what} dropped: {describe_problem(exc)}")
            return None

    def add_name(
        self,
        text: str,
        kind: NameKind,
        quality: NameQuality,
        given: str = "",
        family: str = "",
        *,
        list_order: bool = True,
    ) -> None:
        """Add a name; with ``list_order`` a Person's ``LAST, First`` becomes ``First LAST``.

        Repeats are dropped by :meth:`build` (with the default :data:`RANKED` style).
        """
        text = text.strip()
        if list_order and self.schema is Schema.PERSON and "," in text and not (given or family):
            family, given, *suffix = (p.strip() for p in text.split(","))
            text = " ".join([given, family, *suffix])
        elif given or family:
            text = f"{given} {family}"
        if not text.strip():
            return
        name = self.attempt(
            lambda: Name(
                full=text, kind=kind, quality=quality, given=given or None, family=family or None
            ),
            f"name {text[:60]!r}",
        )
        if name is not None:
            self.names.append(name)

    def add_name_once(
        self, text: str, kind: NameKind, quality: NameQuality, **parts: str | None
    ) -> None:
        """Add a name unless blank or already there (ignoring case); ``parts``: given, family, lang.

        A name too long or holding control characters is dropped with its own warning.
        """
        full = normalise_space(text)
        if not full:
            return
        if len(full) > MAX_NAME_LENGTH:
            self.warn(f"name of {len(full)} characters dropped (limit {MAX_NAME_LENGTH})")
            return
        if _CONTROL.search(full):
            self.warn(f"name with control characters dropped: {full[:60]!r}")
            return
        if any(n.full.casefold() == full.casefold() for n in self.names):
            return
        add_once(
            self.names,
            self.attempt(lambda: Name(full=full, kind=kind, quality=quality, **parts), "name"),
        )

    def add_birth_date(self, text: str, parse: Callable[[str], PartialDate]) -> None:
        """Add a date of birth read by ``parse``; an unreadable one is dropped with a warning."""
        try:
            self.birth_dates.append(parse(text))
        except ValueError:  # pydantic's ValidationError is a ValueError too
            self.warn(f"date of birth {text[:40]!r} not understood, dropped")

    def add_birth_place(self, text: str) -> None:
        """Add a place of birth; its last comma-separated part may name the country."""
        if text.strip():
            self.birth_places.append(text.strip())
            self.add_country(text.rsplit(",", 1)[-1], CountryRole.BIRTH, quiet=True)

    def keep_country(self, code: str | None, role: CountryRole | None) -> str | None:
        """Attach an ISO alpha-2 ``code`` once with ``role`` (no role: only return it)."""
        if code is not None and role is not None:
            add_once(self.countries, EntityCountry(code=code, role=role))
        return code

    def add_country(self, text: str, role: CountryRole, *, quiet: bool = False) -> None:
        """Add a country by name or code; unknown ones are counted for one summary warning."""
        code = country_code(text)
        if code is not None:
            self.keep_country(code, role)
        elif text.strip() and not quiet:
            self.ctx.unknown_countries[text.strip()[:60]] += 1

    def set_gender(self, text: str) -> None:
        """Set gender from ``Male``/``Female`` (any case); anything else is ignored."""
        if text.strip().lower() in ("male", "female"):
            self.gender = text.strip().lower()

    def add_identifier(self, kind: str, value: str, country: str | None, note: str = "") -> None:
        """Add a document number as given; an invalid one is dropped with a warning."""
        item = self.attempt(
            lambda: Identifier(kind=kind, value=value, country=country, note=note or None),
            f"{kind} {value[:40]!r}",
        )
        if item is not None:
            self.identifiers.append(item)

    def add_address(self, *parts: str) -> None:
        """Add an address from its parts, the country last."""
        full = ", ".join(p for p in parts if p)
        if full:
            code = country_code(parts[-1])
            self.addresses.append(Address(full=full, country=code))
            self.add_country(parts[-1], CountryRole.ADDRESS, quiet=True)

    def build(self, style: RecordStyle = RANKED) -> Entity | None:
        """The validated entity, or ``None`` (with a warning) when it has no usable name."""
        names = _unique_names(self.names) if style.rank_names else tuple(self.names)
        if not names:
            self.warn(style.no_name)
            return None
        remarks = dict.fromkeys(self.remarks) if style.unique_remarks else self.remarks
        try:
            return Entity(
                source_id=self.source_id,
                schema=self.schema,
                names=names,
                birth_dates=tuple(dict.fromkeys(self.birth_dates)),
                birth_places=tuple(dict.fromkeys(self.birth_places)),
                countries=tuple(dict.fromkeys(self.countries)),
                gender=self.gender,
                identifiers=tuple(dict.fromkeys(self.identifiers)),
                addresses=tuple(dict.fromkeys(self.addresses)),
                programs=tuple(dict.fromkeys(self.programs)),
                listed_on=self.listed_on,
                remarks=style.remark_separator.join(remarks) or None,
            )
        except ValidationError as exc:
            self.warn(f"{style.noun} skipped: {describe_validation_error(exc)}")
            return None


def _unique_names(names: list[Name]) -> tuple[Name, ...]:
    """Names without repeats, exactly one primary and it first; extra primaries become aliases."""
    seen: set[str] = set()
    result: list[Name] = []
    for name in sorted(names, key=lambda n: n.kind is not NameKind.PRIMARY):
        if name.full not in seen:
            seen.add(name.full)
            demote = name.kind is NameKind.PRIMARY and result
            result.append(name.model_copy(update={"kind": NameKind.ALIAS}) if demote else name)
    if result and result[0].kind is not NameKind.PRIMARY:  # promote the best other name
        best = min(result, key=lambda n: (n.quality is NameQuality.WEAK, n.kind.value != "alias"))
        result.remove(best)
        result.insert(0, best.model_copy(update={"kind": NameKind.PRIMARY}))
    return tuple(result)
