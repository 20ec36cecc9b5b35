"""Reader for the Kazakhstan Financial Monitoring Agency (AFM) terrorist lists (XML).

The AFM publishes two XML files (``api.websfm.kz/v1/sanctions/xml_category_1`` and
``xml_category_2``); their layout, as OpenSanctions' crawler reads it:

- category 1, persons and organisations *financing* terrorism or extremism: ``<person>`` with
  ``lname`` (family name), ``fname``, ``mname`` (patronymic), ``birthdate`` (``dd.mm.yyyy``),
  ``iin`` (12-digit individual identification number), ``note``, ``correction`` (e.g.
  ``включен от dd.mm.yyyy`` — "included from") and ``added_to_list``; ``<org>`` with
  ``org_name`` and ``org_name_en`` (several names separated by ``; ``), ``note``, ``correction``;
- category 2, *participants* in terrorist activity: persons written with ``<org>`` tags —
  ``org_name`` holds the person's full name, ``org_iin`` the IIN.

A file with ``<person>`` elements is read as category 1; a file with only ``<org>`` elements as
category 2 (its ``<org>`` records are persons). The root element is not checked. The lists carry
no ids: a person's id is ``IIN`` + the IIN when there is one, otherwise ``KZ-`` + a digest of
the category, name and date of birth (an organisation's: of its names) — stable across
versions as long as those do not change. Names stay in Cyrillic as published; the name
pipeline transliterates them.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path

from lxml import etree
from pydantic import ValidationError

from interdict.errors import BadInputError
from interdict.model import Entity, Identifier, Name, NameKind, NameQuality, PartialDate, Schema
from interdict.readers.base import (
    ListFile,
    describe_validation_error,
    iter_xml_elements,
    read_limited,
)
from interdict.readers.draft import EntityDraft, ReadContext

__all__ = ["child_text", "iso_day", "parse_day_first_date", "read_kz_afm", "stable_id"]

SOURCE_FORMAT = "kz_afm"
PROGRAM_FINANCIERS = "KZ AFM: financing of terrorism or extremism (category 1)"
PROGRAM_TERRORISTS = "KZ AFM: participants in terrorist activity (category 2)"
_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_INCLUDED = re.compile(r"включ\w*\s+от\s+(\d{1,2}\.\d{1,2}\.\d{4})", re.IGNORECASE)
_IIN = re.compile(r"\d{12}", re.ASCII)
_ABOUT = re.compile(r"(около|примерно|приблизительно|~)\s*", re.IGNORECASE)


def child_text(element: etree._Element, name: str) -> str:
    """Whitespace-normalised text of the first child with local name ``name`` ('' if none)."""
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return " ".join("".join(str(t) for t in child.itertext()).split())
    return ""


def parse_day_first_date(text: str) -> PartialDate:
    """``dd.mm.yyyy`` (``00`` for an unknown day or month) or ``yyyy``, optionally after
    ``около``/``примерно`` ("about"), which makes it approximate; ValueError otherwise."""
    value = text.strip()
    approximate = _ABOUT.match(value)
    if approximate:
        value = value[approximate.end() :].strip()
    about = approximate is not None
    if re.fullmatch(r"\d{4}", value, re.ASCII):
        return PartialDate(year=int(value), approximate=about)
    match = _DAY_FIRST.fullmatch(value)
    if match is None:
        raise ValueError(f"not a date: {text!r}")
    day, month, year = (int(g) for g in match.groups())
    if month == 0:
        return PartialDate(year=year, approximate=about)
    if day:
        datetime.date(year, month, day)  # rejects 31.02.1980
    return PartialDate(year=year, month=month, day=day or None, approximate=about)


def iso_day(text: str) -> str | None:
    """``dd.mm.yyyy`` as ``yyyy-mm-dd``, or None."""
    match = _DAY_FIRST.search(text)
    if match is None:
        return None
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def stable_id(prefix: str, *parts: str) -> str:
    """A short id derived from the record's own content (for lists that publish no ids)."""
    text = "\x1f".join(" ".join(p.upper().split()) for p in parts)
    return f"{prefix}-{hashlib.sha256(text.encode()).hexdigest()[:12].upper()}"


def _finish_common(draft: EntityDraft, element: etree._Element, program: str) -> None:
    note, correction = child_text(element, "note"), child_text(element, "correction")
    draft.remarks.extend(t for t in (note, correction) if t)
    added = child_text(element, "added_to_list")
    included = _INCLUDED.search(correction)
    draft.listed_on = iso_day(added) if added else None
    if draft.listed_on is None and included:
        draft.listed_on = iso_day(included.group(1))
    draft.programs.append(program)


def _person(ctx: ReadContext, element: etree._Element, line: int | None) -> EntityDraft:
    family, given = child_text(element, "lname"), child_text(element, "fname")
    middle = child_text(element, "mname")
    born, iin = child_text(element, "birthdate"), child_text(element, "iin")
    full = " ".join(p for p in (family, given, middle) if p)
    source_id = f"IIN{iin}" if _IIN.fullmatch(iin) else stable_id("KZ", "1", full, born)
    draft = EntityDraft(ctx, source_id, Schema.PERSON, line)
    if full:
        _add_person_name(draft, full, given, family)
    if born:
        draft.add_birth_date(born, parse_day_first_date)
    _add_iin(draft, iin)
    _finish_common(draft, element, PROGRAM_FINANCIERS)
    return draft


def _add_person_name(draft: EntityDraft, full: str, given: str, family: str) -> None:
    """Add the primary name in the list's order (family name first), given and family kept."""
    try:
        draft.names.append(Name(full=full, given=given or None, family=family or None))
    except ValidationError as exc:
        draft.warn(f"name {full[:60]!r} dropped: {describe_validation_error(exc)}")


def _add_iin(draft: EntityDraft, iin: str) -> None:
    if not iin:
        return
    if _IIN.fullmatch(iin):
        draft.identifiers.append(Identifier(kind="iin", value=iin, country="KZ"))
    else:
        draft.warn(f"IIN {iin[:20]!r} is not 12 digits, dropped")


def _org(
    ctx: ReadContext, element: etree._Element, line: int | None, *, persons: bool
) -> EntityDraft:
    names = [
        n.strip()
        for tag in ("org_name", "org_name_en")
        for n in child_text(element, tag).split(";")
        if n.strip()
    ]
    iin = child_text(element, "org_iin")
    if persons:
        fallback = stable_id("KZ", "2", *names[:1], child_text(element, "note"))
        source_id = f"IIN{iin}" if _IIN.fullmatch(iin) else fallback
    else:
        source_id = stable_id("KZ", "1", *names)
    schema = Schema.PERSON if persons else Schema.ORGANIZATION
    draft = EntityDraft(ctx, source_id, schema, line)
    for position, name in enumerate(names):
        kind = NameKind.PRIMARY if position == 0 else NameKind.ALIAS
        draft.add_name(name, kind, NameQuality.STRONG, list_order=False)
    if persons:
        _add_iin(draft, iin)
    _finish_common(draft, element, PROGRAM_TERRORISTS if persons else PROGRAM_FINANCIERS)
    return draft


def read_kz_afm(path: Path) -> ListFile:
    """Read an AFM category 1 or category 2 XML file (see the module docstring)."""
    source = str(path)
    data = read_limited(path)
    # Category 2 writes persons with <org> tags: a file without any <person> is category 2.
    persons_as_orgs = next(iter_xml_elements(data, source, {"person"}), None) is None
    ctx = ReadContext(source)
    entities: dict[str, Entity] = {}
    for element in iter_xml_elements(data, source, {"person", "org"}):
        line = element.sourceline if isinstance(element.sourceline, int) else None
        if etree.QName(element).localname == "person":
            draft = _person(ctx, element, line)
        else:
            draft = _org(ctx, element, line, persons=persons_as_orgs)
        entity = draft.build()
        if entity is None:
            continue
        if entity.source_id in entities:
            draft.warn("listed twice; the first record is kept")
            continue
        entities[entity.source_id] = entity
    if not entities:
        raise BadInputError(
            "no <person> or <org> record could be read",
            where=source,
            hint="is this an AFM list file (xml_category_1 or xml_category_2)?",
        )
    return ListFile(list(entities.values()), SOURCE_FORMAT, None, ctx.finish())
