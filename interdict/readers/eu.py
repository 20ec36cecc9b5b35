"""Reader for the EU Financial Sanctions Files (FSF) XML, ``xmlFullSanctionsList_1_1``.

The file's root is ``export`` in namespace ``http://eu.europa.ec/fpi/fsd/export`` with
``generationDate`` (→ ``ListFile.published``); each ``sanctionEntity`` is one listing. Mapping:

- ``source_id`` is the entity's ``logicalId``: every entry has one, it is the key the EU uses
  itself, and it never changes when an entry is re-published; ``euReferenceNumber``
  (``EU.27.28``, missing on some entries) and ``unitedNationId`` go to the remarks.
- ``subjectType/@code`` ``person`` → Person, ``enterprise`` → Organization (``classificationCode``
  ``P``/``E`` as a fallback; anything else → LegalEntity with a warning).
- ``nameAlias``: ``wholeName`` (or first, middle and last name joined); ``firstName`` (+
  ``middleName``) → given, ``lastName`` → family; ``strong="false"`` or a "low quality" remark →
  weak; ``nameLanguage`` → ``lang`` (lower case, ISO 639-1). The first strong name without a
  language is the primary name; a name written mostly in a non-Latin script is an
  ``ORIGINAL_SCRIPT`` name; the others are aliases. ``gender`` M/F → male/female; ``function``
  and ``title`` → remarks.
- ``citizenship`` → citizenship country; ``birthdate`` → a partial date (``birthdate``, or
  ``year``/``monthOfYear``/``dayOfMonth``, or ``yearRangeFrom``/``yearRangeTo``; ``circa`` →
  approximate; dates in another calendar than Gregorian are dropped with a warning) plus its place
  (birth place and birth country).
- ``identification`` → identifiers (``passport``, ``national_id``, ``ssn``, ``tax_id``,
  ``registration``, ``imo``, ``bic``, ``driving_licence`` or the EU's own type code), with the
  type description, issuer and flags (diplomatic, known false …) as the note;
  ``address`` → addresses (and address countries).
- ``regulation/@programme`` → programs (``numberTitle`` when a regulation has no programme);
  ``designationDate``, else the earliest regulation ``publicationDate`` → listed_on.

Country code ``00`` means unknown. Unusable parts of an entry (a date nobody can read, an
unknown country, a name over 500 characters or with control characters) are dropped with a
warning naming the entry; a name repeated within an entry (ignoring case) is kept once; an entry
without any usable name is skipped with a warning; a file that is not well-formed, has another
root, or yields no entity raises :class:`~interdict.errors.BadInputError`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from lxml import etree
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
from interdict.readers.base import (
    ListFile,
    describe_validation_error,
    iter_xml_elements,
    read_limited,
)

__all__ = ["EU_NAMESPACE", "read_eu"]

EU_NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
SOURCE_FORMAT = "eu"
_T = TypeVar("_T")

_SCHEMAS = {
    "person": Schema.PERSON,
    "p": Schema.PERSON,
    "enterprise": Schema.ORGANIZATION,
    "e": Schema.ORGANIZATION,
}
_DOC_KINDS = {
    "passport": "passport",
    "id": "national_id",
    "nationcert": "national_id",
    "nrn": "national_id",
    "ssn": "ssn",
    "drivinglicence": "driving_licence",
    "fiscalcode": "tax_id",
    "regnumber": "registration",
    "imo": "imo",
    "swiftbic": "bic",
}
_DOC_FLAGS = {
    "diplomatic": "diplomatic",
    "knownFalse": "known false",
    "knownExpired": "known expired",
    "reportedLost": "reported lost",
    "revokedByIssuer": "revoked by issuer",
}
_GENDERS = {"m": "male", "male": "male", "f": "female", "female": "female"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass
class _Draft:
    """What one ``sanctionEntity`` yields, before it is validated as an Entity."""

    names: list[Name] = field(default_factory=list)
    birth_dates: list[PartialDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    countries: list[EntityCountry] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    gender: str | None = None

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

    def country(self, node: etree._Element, role: CountryRole | None) -> str | None:
        """The node's country as ISO alpha-2 (``00``/UNKNOWN → None), attached with ``role``."""
        code: str | None = _attr(node, "countryIso2Code").upper()
        if not re.fullmatch(r"[A-Z]{2}", code or ""):
            description = _attr(node, "countryDescription")
            known = bool(description) and description.upper() != "UNKNOWN"
            code = country_code(description) if known else None
            if known and code is None:
                self.problems.append(f"country {description!r} is not known; code dropped")
        if code is None:
            return None
        if role is not None:
            self.add(self.countries, EntityCountry(code=code, role=role))
        return code


def read_eu(path: Path) -> ListFile:
    """Read an EU Financial Sanctions Files XML export into entities (all or nothing)."""
    data = read_limited(path)
    source = str(path)
    entities: list[Entity] = []
    warnings: list[str] = []
    published: str | None = None
    root_seen = False
    seen: set[str] = set()
    for element in iter_xml_elements(data, source, {"sanctionEntity", "export"}):
        if element.getparent() is None:
            qname = etree.QName(element)
            root_seen = qname.localname == "export" and qname.namespace in {EU_NAMESPACE, None}
            published = _attr(element, "generationDate") or None
            continue
        if etree.QName(element).localname != "sanctionEntity":
            continue
        entity = _read_entity(element, source, warnings)
        if entity is None:
            continue
        if entity.source_id in seen:
            warnings.append(
                f"{where(source, line=_line(element), record=entity.source_id)}: "
                "logicalId listed twice; the later entry is skipped"
            )
            continue
        seen.add(entity.source_id)
        entities.append(entity)
    if not root_seen:
        raise BadInputError(
            f"not an EU Financial Sanctions File: the root element is not export ({EU_NAMESPACE})",
            where=source,
            hint="use the xmlFullSanctionsList_1_1 XML download",
        )
    if not entities:
        raise BadInputError(
            "the file holds no usable sanctionEntity",
            where=source,
            hint="the download may be incomplete; fetch the list again",
        )
    return ListFile(entities, source_format=SOURCE_FORMAT, published=published, warnings=warnings)


def _read_entity(element: etree._Element, source: str, warnings: list[str]) -> Entity | None:
    logical_id = _attr(element, "logicalId")
    location = where(source, line=_line(element), record=logical_id or None)
    if not logical_id:
        warnings.append(f"{location}: sanctionEntity without logicalId skipped")
        return None
    draft = _Draft()
    schema = _schema(element, draft)
    _names(element, draft)
    for node in _children(element, "citizenship"):
        draft.country(node, CountryRole.CITIZENSHIP)
    for node in _children(element, "birthdate"):
        _birth(node, draft)
    for node in _children(element, "identification"):
        _identification(node, draft)
    for node in _children(element, "address"):
        _address(node, draft)
    programs, listed_on = _regulations(element, draft)
    warnings.extend(f"{location}: {problem}" for problem in draft.problems)
    if not draft.names:
        warnings.append(f"{location}: entry has no usable name; skipped")
        return None
    try:
        return Entity(
            source_id=logical_id,
            schema=schema,
            names=tuple(draft.names),
            birth_dates=tuple(draft.birth_dates),
            birth_places=tuple(draft.birth_places),
            countries=tuple(draft.countries),
            gender=draft.gender,
            identifiers=tuple(draft.identifiers),
            addresses=tuple(draft.addresses),
            programs=tuple(programs),
            listed_on=listed_on,
            remarks="\n".join(_entity_remarks(element) + draft.remarks) or None,
        )
    except ValidationError as exc:
        warnings.append(f"{location}: entry skipped: {describe_validation_error(exc)}")
        return None


def _schema(element: etree._Element, draft: _Draft) -> Schema:
    for node in _children(element, "subjectType"):
        for key in (_attr(node, "code"), _attr(node, "classificationCode")):
            if key.casefold() in _SCHEMAS:
                return _SCHEMAS[key.casefold()]
    draft.problems.append("subjectType is neither person nor enterprise; read as LegalEntity")
    return Schema.LEGAL_ENTITY


def _names(element: etree._Element, draft: _Draft) -> None:
    has_primary = False
    for node in _children(element, "nameAlias"):
        first = " ".join(p for p in (_attr(node, "firstName"), _attr(node, "middleName")) if p)
        last = _attr(node, "lastName")
        full = _attr(node, "wholeName") or " ".join(p for p in (first, last) if p)
        remarks = [_clean(r.text) for r in _children(node, "remark")]
        weak = _attr(node, "strong").casefold() == "false" or any(
            "low quality" in r.casefold() for r in remarks
        )
        lang = _attr(node, "nameLanguage").lower() or None
        if _mostly_non_latin(full):
            kind = NameKind.ORIGINAL_SCRIPT
        elif not weak and not has_primary and lang is None:
            kind, has_primary = NameKind.PRIMARY, True
        else:
            kind = NameKind.ALIAS
        quality = NameQuality.WEAK if weak else NameQuality.STRONG
        _add_name(draft, full, kind, quality, given=first or None, family=last or None, lang=lang)
        draft.gender = draft.gender or _GENDERS.get(_attr(node, "gender").casefold())
        for label, attr in (("Function", "function"), ("Title", "title")):
            if _attr(node, attr):
                draft.add(draft.remarks, f"{label}: {_attr(node, attr)}")
        for remark in remarks:
            if remark and "quality" not in remark.casefold():
                draft.add(draft.remarks, f"Name {full}: {remark}")


def _add_name(
    draft: _Draft, full: str, kind: NameKind, quality: NameQuality, **parts: str | None
) -> None:
    full = _clean(full)
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
    name = draft.attempt(partial(Name, full=full, kind=kind, quality=quality, **parts), "name")
    draft.add(draft.names, name)


def _birth(node: etree._Element, draft: _Draft) -> None:
    place_parts = [_attr(node, a) for a in ("place", "city", "region", "zipCode")]
    description = _attr(node, "countryDescription")
    if description.upper() != "UNKNOWN":
        place_parts.append(description)
    place = ", ".join(p for p in place_parts if p)
    draft.add(draft.birth_places, place or None)
    draft.country(node, CountryRole.BIRTH)
    calendar = _attr(node, "calendarType").upper()
    if calendar not in {"", "GREGORIAN"}:
        draft.problems.append(f"date of birth in the {calendar} calendar dropped")
        return
    try:
        draft.add(draft.birth_dates, _birth_date(node))
    except ValidationError as exc:
        draft.problems.append(f"date of birth dropped: {describe_validation_error(exc)}")
    except ValueError as exc:
        draft.problems.append(f"date of birth dropped: {exc}")


def _birth_date(node: etree._Element) -> PartialDate | None:
    """One ``birthdate``: None when it holds no date, ValueError when it cannot be read."""
    circa = _attr(node, "circa").casefold() == "true"
    whole = _attr(node, "birthdate")
    if whole:
        exact = _day(whole)
        if exact is None:
            raise ValueError(f"not a date: {whole!r}")
        parsed = dt.date.fromisoformat(exact)
        return PartialDate(year=parsed.year, month=parsed.month, day=parsed.day, approximate=circa)
    year_text = _attr(node, "year")
    month_text = _attr(node, "monthOfYear") or _attr(node, "month")
    day_text = _attr(node, "dayOfMonth") or _attr(node, "day")
    if year_text:
        year = _number(year_text)
        month = _number(month_text) if month_text else None
        day = _number(day_text) if day_text and month is not None else None
        if day is not None and month is not None:
            dt.date(year, month, day)
        return PartialDate(year=year, month=month, day=day, approximate=circa)
    start, end = _attr(node, "yearRangeFrom"), _attr(node, "yearRangeTo")
    if start and end:
        return PartialDate(year=_number(start), until_year=_number(end), approximate=circa)
    if start or end:
        raise ValueError(f"open year range {start or '?'}..{end or '?'} cannot be kept")
    return None


def _identification(node: etree._Element, draft: _Draft) -> None:
    number = _attr(node, "number") or _attr(node, "latinNumber")
    code = _attr(node, "identificationTypeCode")
    notes = [_attr(node, "identificationTypeDescription")]
    if _attr(node, "issuedBy"):
        notes.append(f"issued by {_attr(node, 'issuedBy')}")
    if _attr(node, "issueDate") or _attr(node, "issuedDate"):
        notes.append(f"issued {_attr(node, 'issueDate') or _attr(node, 'issuedDate')}")
    if _attr(node, "nameOnDocument"):
        notes.append(f"name on document: {_attr(node, 'nameOnDocument')}")
    notes += [label for attr, label in _DOC_FLAGS.items() if _attr(node, attr) == "true"]
    notes += [_clean(r.text) for r in _children(node, "remark")]
    note = "; ".join(n for n in notes if n) or None
    if not number:
        draft.add(draft.remarks, f"Document: {note}" if note else None)
        return
    kind = _DOC_KINDS.get(code.casefold(), code.casefold() or "other")
    country = draft.country(node, None)
    for value in dict.fromkeys([number, _attr(node, "latinNumber")]):
        if value:
            make = partial(Identifier, kind=kind, value=value, country=country, note=note)
            draft.add(draft.identifiers, draft.attempt(make, "identification"))


def _address(node: etree._Element, draft: _Draft) -> None:
    attrs = ("street", "poBox", "city", "zipCode", "region", "place")
    parts = [_attr(node, a) for a in attrs]
    description = _attr(node, "countryDescription")
    if description.upper() != "UNKNOWN":
        parts.append(description)
    country = draft.country(node, CountryRole.ADDRESS)
    full = ", ".join(p for p in parts if p)
    if full:
        draft.add(
            draft.addresses, draft.attempt(partial(Address, full=full, country=country), "address")
        )
    for remark in _children(node, "remark"):
        draft.add(draft.remarks, f"Address: {_clean(remark.text)}" if _clean(remark.text) else None)


def _regulations(element: etree._Element, draft: _Draft) -> tuple[list[str], str | None]:
    programs: list[str] = []
    titles: list[str] = []
    dates: list[str] = []
    for node in _children(element, "regulation"):
        title = _attr(node, "numberTitle")
        draft.add(programs, _attr(node, "programme") or title or None)
        draft.add(titles, title or None)
        published = _day(_attr(node, "publicationDate"))
        draft.add(dates, published)
    if titles:
        draft.remarks.append("Regulations: " + "; ".join(titles))
    designated = _day(_attr(element, "designationDate"))
    return programs, designated or min(dates, default=None)


def _entity_remarks(element: etree._Element) -> list[str]:
    remarks = [_clean(r.text) for r in _children(element, "remark")]
    if _attr(element, "designationDetails"):
        remarks.append(f"Designation: {_attr(element, 'designationDetails')}")
    if _attr(element, "euReferenceNumber"):
        remarks.append(f"EU reference: {_attr(element, 'euReferenceNumber')}")
    if _attr(element, "unitedNationId"):
        remarks.append(f"UN reference: {_attr(element, 'unitedNationId')}")
    return [r for r in remarks if r]


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Child elements with local name ``name``, whatever their namespace."""
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            yield child


def _attr(element: etree._Element, name: str) -> str:
    return _clean(element.get(name))


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _number(text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"not a number: {text!r}")
    return int(text)


def _day(text: str) -> str | None:
    match = _ISO_DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def _mostly_non_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    other = sum(1 for ch in letters if not unicodedata.name(ch, "LATIN").startswith("LATIN"))
    return bool(letters) and other * 2 > len(letters)


def _line(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None
