"""Reader for FollowTheMoney (FtM) JSON lines, the export format of OpenSanctions and Aleph.

Each line is one JSON object ``{"id", "schema", "properties": {prop: [str, …]}, …}``. Plain
``json`` parsing: the ``followthemoney`` package is not needed. Mapping onto our model:

- Schemas: Person → Person; Organization, Company, PublicBody → Organization; LegalEntity →
  LegalEntity; Vessel → Vessel; Airplane → Aircraft. ``id`` → ``source_id``. A target-schema
  entity marked ``"target": false`` (an OpenSanctions relative or owner who is not designated)
  is skipped, as are other schemas (Ownership, Family …); one warning counts what was skipped.
- Helper entities enrich the entity that links to them: an ``Address`` named in
  ``addressEntity`` (by its id or one of its ``referents``), a ``Sanction`` whose ``entity`` is
  the owner (program, listing date, reason), an ``Identification``/``Passport`` whose ``holder``
  is the owner.
- ``name`` → primary names (FtM does not rank them); ``alias`` → aliases; ``weakAlias`` → weak
  aliases; ``previousName`` → former names; ``abbreviation`` → aliases. Without any ``name``, a
  person's ``firstName``/``middleName``/``fatherName``/``lastName`` are joined. A name that
  contains one of the ``firstName`` and one of the ``lastName`` values keeps them as given/family.
- ``birthDate`` → partial dates; ``birthPlace`` → birth places; ``birthCountry`` → birth;
  ``nationality``/``citizenship`` → nationality/citizenship; ``jurisdiction`` → incorporation;
  ``flag`` → flag; ``country``/``mainCountry`` → other; ``gender``; ``address`` → addresses.
- Identifier properties → kinds: ``passportNumber`` passport, ``idNumber`` national_id,
  ``taxNumber``/``innCode`` tax_id, ``registrationNumber``/``ogrnCode`` registration,
  ``imoNumber`` imo, ``mmsi``, ``swiftBic`` bic, ``leiCode`` lei, ``vatCode`` vat,
  ``socialSecurityNumber`` ssn, ``icaoCode`` icao.
- ``program``/``programId`` (also a linked Sanction's) → programs; the earliest linked Sanction
  ``listingDate``/``startDate``, else the earliest ``createdAt`` → listed_on; ``notes``,
  ``summary``, ``position``, ``title`` and a Sanction's ``reason`` → remarks. The latest
  ``last_change`` in the file → ``ListFile.published`` (FtM files carry no publication date).

A line that is not a JSON object of that shape raises :class:`~interdict.errors.BadInputError`
naming the line; an unusable value (a date nobody can read, an unknown country, a name over 500
characters or with control characters) is dropped with a warning naming the line and entity;
an entity left without a name is skipped with a warning; a file without any target entity is
refused. A name repeated within an entity (ignoring case) is kept once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
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
from interdict.readers.base import ListFile, describe_validation_error, read_limited

__all__ = ["read_ftm"]

SOURCE_FORMAT = "ftm"
_T = TypeVar("_T")
_Props = dict[str, list[str]]

_SCHEMAS = {
    "Person": Schema.PERSON,
    "Organization": Schema.ORGANIZATION,
    "Company": Schema.ORGANIZATION,
    "PublicBody": Schema.ORGANIZATION,
    "LegalEntity": Schema.LEGAL_ENTITY,
    "Vessel": Schema.VESSEL,
    "Airplane": Schema.AIRCRAFT,
}
_NAME_PROPS = (
    ("name", NameKind.PRIMARY, NameQuality.STRONG),
    ("alias", NameKind.ALIAS, NameQuality.STRONG),
    ("abbreviation", NameKind.ALIAS, NameQuality.STRONG),
    ("previousName", NameKind.FORMER, NameQuality.STRONG),
    ("weakAlias", NameKind.ALIAS, NameQuality.WEAK),
)
_COUNTRY_PROPS = {
    "nationality": CountryRole.NATIONALITY,
    "citizenship": CountryRole.CITIZENSHIP,
    "birthCountry": CountryRole.BIRTH,
    "jurisdiction": CountryRole.INCORPORATION,
    "flag": CountryRole.FLAG,
    "country": CountryRole.OTHER,
    "mainCountry": CountryRole.OTHER,
}
_ID_PROPS = {
    "passportNumber": "passport",
    "idNumber": "national_id",
    "taxNumber": "tax_id",
    "innCode": "tax_id",
    "registrationNumber": "registration",
    "ogrnCode": "registration",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "swiftBic": "bic",
    "leiCode": "lei",
    "vatCode": "vat",
    "socialSecurityNumber": "ssn",
    "icaoCode": "icao",
}
_REMARK_PROPS = (("notes", ""), ("summary", ""), ("position", "Position: "), ("title", "Title: "))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|T)")


@dataclass(frozen=True)
class _Line:
    """One parsed line: where it was, and the entity it holds."""

    number: int
    id: str
    schema: str
    props: _Props
    referents: tuple[str, ...]
    target: bool | None
    last_change: str | None


@dataclass
class _Draft:
    """What one target entity yields, before it is validated as an Entity."""

    names: list[Name] = field(default_factory=list)
    birth_dates: list[PartialDate] = field(default_factory=list)
    countries: list[EntityCountry] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    listing_dates: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def attempt(self, make: Callable[[], _T], what: str) -> _T | None:
        """Build one model value; on failure note the problem and return None."""
        try:
            return make()
        except ValidationError as exc:
            self.problems.append(f"{what} dropped: {describe_validation_error(exc)}")
        except ValueError as exc:
            self.problems.append(f"{what} dropped: {exc}")
        return None

    def add(self, items: list[_T], item: _T | None) -> None:
        """Append ``item`` to ``items`` unless it is None or already there."""
        if item is not None and item not in items:
            items.append(item)

    def country(self, value: str, role: CountryRole | None) -> str | None:
        """An FtM country value (``ru``, ``suhh``, a name) as ISO alpha-2, attached with role."""
        text = value.strip()
        code = text.upper() if re.fullmatch(r"[A-Za-z]{2}", text) else country_code(text)
        if code == "ZZ":  # FtM's "global / unknown"
            return None
        if code is None:
            self.problems.append(f"country {text!r} is not known; dropped")
            return None
        if role is not None:
            self.add(self.countries, EntityCountry(code=code, role=role))
        return code


def read_ftm(path: Path) -> ListFile:
    """Read a FollowTheMoney JSON-lines file into entities (all or nothing)."""
    source = str(path)
    lines = _parse_lines(read_limited(path), source)
    addresses = {key: line for line in lines if line.schema == "Address" for key in _keys(line)}
    linked: dict[str, list[_Line]] = {}
    for line in lines:
        if line.schema in {"Sanction", "Identification", "Passport"}:
            for owner in line.props.get("entity", []) + line.props.get("holder", []):
                linked.setdefault(owner, []).append(line)
    entities: list[Entity] = []
    warnings: list[str] = []
    used: set[str] = set()
    seen: set[str] = set()
    for line in lines:
        if line.schema not in _SCHEMAS or line.target is False:
            continue
        location = where(source, line=line.number, record=line.id)
        if line.id in seen:
            warnings.append(f"{location}: id listed twice; the later line is skipped")
            continue
        seen.add(line.id)
        helpers = linked.get(line.id, [])
        homes = [addresses[key] for key in line.props.get("addressEntity", []) if key in addresses]
        used.update(other.id for other in [line, *helpers, *homes])
        entity = _build(line, homes, helpers, location, warnings)
        if entity is not None:
            entities.append(entity)
    if not entities:
        raise BadInputError(
            "the file holds no Person, Organization, Company, LegalEntity, Vessel or Airplane",
            where=source,
            hint="is this a FollowTheMoney entities export?",
        )
    skipped = Counter(
        line.schema if line.schema not in _SCHEMAS else f"non-target {line.schema}"
        for line in lines
        if line.id not in used
    )
    if skipped:
        counts = ", ".join(f"{count} {schema}" for schema, count in sorted(skipped.items()))
        warnings.append(f"{source}: entities not imported (not targets, or unlinked): {counts}")
    published = max((line.last_change for line in lines if line.last_change), default=None)
    return ListFile(entities, source_format=SOURCE_FORMAT, published=published, warnings=warnings)


def _parse_lines(data: bytes, source: str) -> list[_Line]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadInputError(
            f"not UTF-8 (byte {exc.start})",
            where=where(source, line=line),
            hint="FollowTheMoney JSON is always UTF-8; download the file again",
        ) from exc
    lines: list[_Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if raw.strip():
            lines.append(_parse_line(raw, where(source, line=number), number))
    return lines


def _parse_line(raw: str, location: str, number: int) -> _Line:
    hint = "each line must be one FollowTheMoney entity as a JSON object"
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadInputError(f"not valid JSON: {exc}", where=location, hint=hint) from exc
    if not isinstance(obj, dict):
        raise BadInputError("line is not a JSON object", where=location, hint=hint)
    entity_id, schema, props = obj.get("id"), obj.get("schema"), obj.get("properties", {})
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise BadInputError("entity has no string id", where=location, hint=hint)
    if not isinstance(schema, str) or not schema:
        raise BadInputError("entity has no string schema", where=location, hint=hint)
    if not isinstance(props, dict) or not all(
        isinstance(v, list) and all(isinstance(s, str) for s in v) for v in props.values()
    ):
        raise BadInputError(
            "properties must map names to lists of strings", where=location, hint=hint
        )
    referents = obj.get("referents", [])
    if not isinstance(referents, list) or not all(isinstance(r, str) for r in referents):
        raise BadInputError("referents must be a list of strings", where=location, hint=hint)
    target, last_change = obj.get("target"), obj.get("last_change")
    return _Line(
        number=number,
        id=entity_id.strip(),
        schema=schema,
        props=props,
        referents=tuple(referents),
        target=target if isinstance(target, bool) else None,
        last_change=last_change if isinstance(last_change, str) and last_change else None,
    )


def _keys(line: _Line) -> list[str]:
    return [line.id, *line.referents]


def _build(
    line: _Line,
    homes: list[_Line],
    helpers: list[_Line],
    location: str,
    warnings: list[str],
) -> Entity | None:
    props, draft = line.props, _Draft()
    schema = _SCHEMAS[line.schema]
    _names(props, draft, schema)
    _facts(props, homes, draft)
    for prop, label in _REMARK_PROPS:
        draft.remarks += [f"{label}{v.strip()}" for v in props.get(prop, []) if v.strip()]
    programs = [p.strip() for p in props.get("program", []) + props.get("programId", [])]
    for helper in helpers:
        programs += _helper(helper, draft)
    created = [d for d in map(_day, props.get("createdAt", [])) if d]
    warnings.extend(f"{location}: {problem}" for problem in draft.problems)
    if not draft.names:
        warnings.append(f"{location}: entity has no usable name; skipped")
        return None
    try:
        return Entity(
            source_id=line.id,
            schema=schema,
            names=tuple(draft.names),
            birth_dates=tuple(draft.birth_dates),
            birth_places=tuple(
                dict.fromkeys(p.strip() for p in props.get("birthPlace", []) if p.strip())
            ),
            countries=tuple(draft.countries),
            gender=next((g for g in props.get("gender", []) if g in {"male", "female"}), None),
            identifiers=tuple(draft.identifiers),
            addresses=tuple(draft.addresses),
            programs=tuple(dict.fromkeys(p for p in programs if p)),
            listed_on=min(draft.listing_dates or created, default=None),
            remarks="\n".join(dict.fromkeys(draft.remarks)) or None,
        )
    except ValidationError as exc:
        warnings.append(f"{location}: entity skipped: {describe_validation_error(exc)}")
        return None


def _facts(props: _Props, homes: list[_Line], draft: _Draft) -> None:
    """Dates of birth, countries, identifiers and addresses of one entity."""
    for value in props.get("birthDate", []):
        draft.add(draft.birth_dates, draft.attempt(partial(_partial_date, value), "birth date"))
    for prop, role in _COUNTRY_PROPS.items():
        for value in props.get(prop, []):
            draft.country(value, role)
    for prop, kind in _ID_PROPS.items():
        for value in props.get(prop, []):
            make = partial(Identifier, kind=kind, value=value.strip())
            draft.add(draft.identifiers, draft.attempt(make, prop))
    for value in props.get("address", []):
        draft.add(draft.addresses, draft.attempt(partial(Address, full=value.strip()), "address"))
    for home in homes:
        _address_entity(home.props, draft)


def _names(props: _Props, draft: _Draft, schema: Schema) -> None:
    values = {prop: props.get(prop, []) for prop, _, _ in _NAME_PROPS}
    if not values["name"] and schema is Schema.PERSON:
        parts = ("firstName", "middleName", "fatherName", "lastName")
        joined = " ".join(props[p][0] for p in parts if props.get(p))
        values["name"] = [joined] if joined.strip() else []
    firsts, lasts = props.get("firstName", []), props.get("lastName", [])
    for prop, kind, quality in _NAME_PROPS:
        for value in values[prop]:
            full = " ".join(value.split())
            given, family = _part_in(firsts, full), _part_in(lasts, full)
            if given is None or family is None:
                given = family = None
            _add_name(draft, full, kind, quality, given, family)


def _part_in(values: list[str], full: str) -> str | None:
    """The first of ``values`` found as whole words in ``full``, as ``full`` spells it."""
    for value in values:
        words = " ".join(value.split())
        found = (
            re.search(rf"(?<!\w){re.escape(words)}(?!\w)", full, re.IGNORECASE) if words else None
        )
        if found:
            return found.group(0)
    return None


def _add_name(
    draft: _Draft,
    full: str,
    kind: NameKind,
    quality: NameQuality,
    given: str | None,
    family: str | None,
) -> None:
    if not full:
        return
    if len(full) > MAX_NAME_LENGTH:
        draft.problems.append(f"name of {len(full)} characters dropped (limit {MAX_NAME_LENGTH})")
        return
    if _CONTROL.search(full):
        draft.problems.append(f"name with control characters dropped: {full[:60]!r}")
        return
    if any(n.full.casefold() == full.casefold() for n in draft.names):
        return
    make = partial(Name, full=full, kind=kind, quality=quality, given=given, family=family)
    draft.add(draft.names, draft.attempt(make, "name"))


def _address_entity(props: _Props, draft: _Draft) -> None:
    country = None
    for value in props.get("country", []):
        country = draft.country(value, CountryRole.ADDRESS) or country
    parts = ("street", "city", "postalCode", "region", "country")
    full = next(iter(props.get("full", [])), "") or ", ".join(
        props[p][0] for p in parts if props.get(p)
    )
    if full.strip():
        make = partial(Address, full=full.strip(), country=country)
        draft.add(draft.addresses, draft.attempt(make, "address"))


def _helper(helper: _Line, draft: _Draft) -> list[str]:
    """Fold a linked Sanction or Identification into the draft; returns programs found."""
    props = helper.props
    if helper.schema == "Sanction":
        dates = props.get("listingDate", []) + props.get("startDate", [])
        draft.listing_dates += [d for d in map(_day, dates) if d]
        draft.remarks += [f"Sanction: {r.strip()}" for r in props.get("reason", []) if r.strip()]
        return props.get("program", []) + props.get("programId", [])
    if helper.schema in {"Identification", "Passport"}:
        doc_type = next(iter(props.get("type", [])), "")
        kind = "national_id" if "national" in doc_type.lower() else "other"
        if helper.schema == "Passport" or "passport" in doc_type.lower():
            kind = "passport"
        country = next((draft.country(c, None) for c in props.get("country", [])), None)
        for number in props.get("number", []):
            make = partial(
                Identifier, kind=kind, value=number.strip(), country=country, note=doc_type or None
            )
            draft.add(draft.identifiers, draft.attempt(make, "identification"))
    return []


def _partial_date(text: str) -> PartialDate:
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(f"not a date: {text!r}")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and day is not None:
        dt.date(year, month, day)
    return PartialDate(year=year, month=month, day=day)


def _day(text: str) -> str | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        return None
