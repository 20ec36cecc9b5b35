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
from functools import partial
from pathlib import Path

from lxml import etree

from interdict.errors import BadInputError
from interdict.model import (
    Address,
    CountryRole,
    Entity,
    Identifier,
    NameKind,
    NameQuality,
    PartialDate,
    Schema,
)
from interdict.model.countries import country_code
from interdict.readers.base import (
    ListFile,
    iter_xml_elements,
    local_children,
    mostly_non_latin,
    normalise_space,
    read_limited,
    source_line,
)
from interdict.readers.draft import (
    GENDERS,
    EntityDraft,
    ReadContext,
    RecordStyle,
    add_once,
    calendar_date,
    parse_number,
)

__all__ = ["EU_NAMESPACE", "read_eu"]

EU_NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
SOURCE_FORMAT = "eu"
_STYLE = RecordStyle(
    noun="entry",
    no_name="entry has no usable name; skipped",
    rank_names=False,
    remark_separator="\n",
)

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
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def read_eu(path: Path) -> ListFile:
    """Read an EU Financial Sanctions Files XML export into entities (all or nothing)."""
    data = read_limited(path)
    source = str(path)
    ctx = ReadContext(source)
    published: str | None = None
    root_seen = False
    for element in iter_xml_elements(data, source, {"sanctionEntity", "export"}):
        if element.getparent() is None:
            qname = etree.QName(element)
            root_seen = qname.localname == "export" and qname.namespace in {EU_NAMESPACE, None}
            published = _attr(element, "generationDate") or None
            continue
        if etree.QName(element).localname != "sanctionEntity":
            continue
        ctx.keep(
            _read_entity(element, ctx),
            line=source_line(element),
            repeated="logicalId listed twice; the later entry is skipped",
        )
    if not root_seen:
        raise BadInputError(
            f"not an EU Financial Sanctions File: the root element is not export ({EU_NAMESPACE})",
            where=source,
            hint="use the xmlFullSanctionsList_1_1 XML download",
        )
    return ctx.list_file(
        SOURCE_FORMAT,
        published,
        empty="the file holds no usable sanctionEntity",
        hint="the download may be incomplete; fetch the list again",
    )


def _read_entity(element: etree._Element, ctx: ReadContext) -> Entity | None:
    logical_id = _attr(element, "logicalId")
    line = source_line(element)
    if not logical_id:
        ctx.warn("sanctionEntity without logicalId skipped", line=line)
        return None
    schema = _schema(element)
    draft = EntityDraft(ctx, logical_id, schema or Schema.LEGAL_ENTITY, line)
    if schema is None:
        draft.warn("subjectType is neither person nor enterprise; read as LegalEntity")
    _names(element, draft)
    for node in local_children(element, "citizenship"):
        _country(draft, node, CountryRole.CITIZENSHIP)
    for node in local_children(element, "birthdate"):
        _birth(node, draft)
    for node in local_children(element, "identification"):
        _identification(node, draft)
    for node in local_children(element, "address"):
        _address(node, draft)
    _regulations(element, draft)
    draft.remarks[:0] = _entity_remarks(element)
    return draft.build(_STYLE)


def _schema(element: etree._Element) -> Schema | None:
    for node in local_children(element, "subjectType"):
        for key in (_attr(node, "code"), _attr(node, "classificationCode")):
            if key.casefold() in _SCHEMAS:
                return _SCHEMAS[key.casefold()]
    return None


def _country(draft: EntityDraft, node: etree._Element, role: CountryRole | None) -> str | None:
    """The node's country as ISO alpha-2 (``00``/UNKNOWN → None), attached with ``role``."""
    code: str | None = _attr(node, "countryIso2Code").upper()
    if not re.fullmatch(r"[A-Z]{2}", code or ""):
        description = _attr(node, "countryDescription")
        known = bool(description) and description.upper() != "UNKNOWN"
        code = country_code(description) if known else None
        if known and code is None:
            draft.warn(f"country {description!r} is not known; code dropped")
    return draft.keep_country(code, role)


def _names(element: etree._Element, draft: EntityDraft) -> None:
    has_primary = False
    for node in local_children(element, "nameAlias"):
        first = " ".join(p for p in (_attr(node, "firstName"), _attr(node, "middleName")) if p)
        last = _attr(node, "lastName")
        full = _attr(node, "wholeName") or " ".join(p for p in (first, last) if p)
        remarks = [normalise_space(r.text) for r in local_children(node, "remark")]
        weak = _attr(node, "strong").casefold() == "false" or any(
            "low quality" in r.casefold() for r in remarks
        )
        lang = _attr(node, "nameLanguage").lower() or None
        if mostly_non_latin(full):
            kind = NameKind.ORIGINAL_SCRIPT
        elif not weak and not has_primary and lang is None:
            kind, has_primary = NameKind.PRIMARY, True
        else:
            kind = NameKind.ALIAS
        quality = NameQuality.WEAK if weak else NameQuality.STRONG
        parts = {"given": first or None, "family": last or None, "lang": lang}
        draft.add_name_once(full, kind, quality, **parts)
        draft.gender = draft.gender or GENDERS.get(_attr(node, "gender").casefold())
        for label, attr in (("Function", "function"), ("Title", "title")):
            if _attr(node, attr):
                add_once(draft.remarks, f"{label}: {_attr(node, attr)}")
        for remark in remarks:
            if remark and "quality" not in remark.casefold():
                add_once(draft.remarks, f"Name {full}: {remark}")


def _birth(node: etree._Element, draft: EntityDraft) -> None:
    place_parts = [_attr(node, a) for a in ("place", "city", "region", "zipCode")]
    description = _attr(node, "countryDescription")
    if description.upper() != "UNKNOWN":
        place_parts.append(description)
    place = ", ".join(p for p in place_parts if p)
    add_once(draft.birth_places, place or None)
    _country(draft, node, CountryRole.BIRTH)
    calendar = _attr(node, "calendarType").upper()
    if calendar not in {"", "GREGORIAN"}:
        draft.warn(f"date of birth in the {calendar} calendar dropped")
        return
    add_once(draft.birth_dates, draft.attempt(partial(_birth_date, node), "date of birth"))


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
        year = parse_number(year_text)
        month = parse_number(month_text) if month_text else None
        day = parse_number(day_text) if day_text and month is not None else None
        return calendar_date(year, month, day, approximate=circa)
    start, end = _attr(node, "yearRangeFrom"), _attr(node, "yearRangeTo")
    if start and end:
        return PartialDate(
            year=parse_number(start), until_year=parse_number(end), approximate=circa
        )
    if start or end:
        raise ValueError(f"open year range {start or '?'}..{end or '?'} cannot be kept")
    return None


def _identification(node: etree._Element, draft: EntityDraft) -> None:
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
    notes += [normalise_space(r.text) for r in local_children(node, "remark")]
    note = "; ".join(n for n in notes if n) or None
    if not number:
        add_once(draft.remarks, f"Document: {note}" if note else None)
        return
    kind = _DOC_KINDS.get(code.casefold(), code.casefold() or "other")
    country = _country(draft, node, None)
    for value in dict.fromkeys([number, _attr(node, "latinNumber")]):
        if value:
            make = partial(Identifier, kind=kind, value=value, country=country, note=note)
            add_once(draft.identifiers, draft.attempt(make, "identification"))


def _address(node: etree._Element, draft: EntityDraft) -> None:
    attrs = ("street", "poBox", "city", "zipCode", "region", "place")
    parts = [_attr(node, a) for a in attrs]
    description = _attr(node, "countryDescription")
    if description.upper() != "UNKNOWN":
        parts.append(description)
    country = _country(draft, node, CountryRole.ADDRESS)
    full = ", ".join(p for p in parts if p)
    if full:
        address = draft.attempt(partial(Address, full=full, country=country), "address")
        add_once(draft.addresses, address)
    for remark in local_children(node, "remark"):
        text = normalise_space(remark.text)
        add_once(draft.remarks, f"Address: {text}" if text else None)


def _regulations(element: etree._Element, draft: EntityDraft) -> None:
    """Programs, the listing date and the regulations' titles (as a remark)."""
    titles: list[str] = []
    dates: list[str] = []
    for node in local_children(element, "regulation"):
        title = _attr(node, "numberTitle")
        add_once(draft.programs, _attr(node, "programme") or title or None)
        add_once(titles, title or None)
        add_once(dates, _day(_attr(node, "publicationDate")))
    if titles:
        draft.remarks.append("Regulations: " + "; ".join(titles))
    draft.listed_on = _day(_attr(element, "designationDate")) or min(dates, default=None)


def _entity_remarks(element: etree._Element) -> list[str]:
    remarks = [normalise_space(r.text) for r in local_children(element, "remark")]
    if _attr(element, "designationDetails"):
        remarks.append(f"Designation: {_attr(element, 'designationDetails')}")
    if _attr(element, "euReferenceNumber"):
        remarks.append(f"EU reference: {_attr(element, 'euReferenceNumber')}")
    if _attr(element, "unitedNationId"):
        remarks.append(f"UN reference: {_attr(element, 'unitedNationId')}")
    return [r for r in remarks if r]


def _attr(element: etree._Element, name: str) -> str:
    return normalise_space(element.get(name))


def _day(text: str) -> str | None:
    match = _ISO_DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None
