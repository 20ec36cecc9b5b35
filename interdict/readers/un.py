"""Reader for the UN Security Council Consolidated List (XML, root ``CONSOLIDATED_LIST``).

How the UN layout maps onto :class:`~interdict.model.Entity`:

- ``INDIVIDUAL`` → Person, ``ENTITY`` → Organization; ``REFERENCE_NUMBER`` (whitespace removed,
  e.g. ``QDi.123``) → ``source_id``; the root's ``dateGenerated`` → ``ListFile.published``.
- ``FIRST_NAME`` … ``FOURTH_NAME`` joined → the primary name. The UN does not say which part is
  the family name: we take ``FIRST_NAME`` as given and the last part as family name, except on
  the DPRK regime where Korean order puts the family name first. An ENTITY's ``FIRST_NAME`` may
  hold several names separated by ``;`` — each becomes a primary name.
- ``NAME_ORIGINAL_SCRIPT`` → an ``ORIGINAL_SCRIPT`` name. Aliases: QUALITY ``Good``/``a.k.a.`` →
  strong alias, ``Low`` → weak alias, ``f.k.a.`` → former name. An alias text listing several
  spellings (``A; B``) or a name with its other-script form in brackets (``Abu X (أبو …)``,
  ``(original script: …)``) becomes one name per spelling; "In Arabic: …" in an alias NOTE adds
  that name too. ``Surname, Given`` aliases of persons keep given/family.
- Dates of birth: ``DATE``, ``YEAR``, ``FROM_YEAR``/``TO_YEAR`` (BETWEEN → a year range),
  ``APPROXIMATELY`` → approximate; a ``NOTE`` holding the only date ("Nov. 1973") is read when it
  names one Gregorian year. Aliases' own ``DATE_OF_BIRTH``/``CITY_OF_BIRTH`` count too.
- Countries: ``NATIONALITY`` → nationality, address ``COUNTRY`` → address, place of birth →
  birth (plus its text in ``birth_places``). Documents with a ``NUMBER`` → identifiers
  (``passport``, ``national_id`` or the UN's own type), the rest of the document text → remarks.
- ``UN_LIST_TYPE`` → programs, ``LISTED_ON`` → listed_on, ``COMMENTS1``, ``TITLE``,
  ``DESIGNATION`` and alias notes → remarks.

Unusable parts of a record (a date nobody can read, an unknown country, a name over 500
characters or with control characters) are dropped with a warning naming the record; a name
repeated within a record (ignoring case) is kept once; a record left without any name is
skipped with a warning. A file that is not well-formed XML, has
another root element or yields no entity raises :class:`~interdict.errors.BadInputError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
    mostly_non_latin,
    normalise_space,
    read_limited,
    source_line,
)
from interdict.readers.draft import (
    EntityDraft,
    ReadContext,
    RecordStyle,
    add_once,
    describe_problem,
    parse_iso_date,
    parse_number,
)

__all__ = ["read_un"]

SOURCE_FORMAT = "un"
_ROOT = "CONSOLIDATED_LIST"
_STYLE = RecordStyle(
    no_name="record has no usable name; skipped",
    rank_names=False,
    remark_separator="\n",
)

_ALIAS_KINDS: dict[str, tuple[NameKind, NameQuality]] = {
    "good": (NameKind.ALIAS, NameQuality.STRONG),
    "a.k.a.": (NameKind.ALIAS, NameQuality.STRONG),
    "low": (NameKind.ALIAS, NameQuality.WEAK),
    "f.k.a.": (NameKind.FORMER, NameQuality.STRONG),
}
_DOC_KINDS = {
    "passport": "passport",
    "numéro de passeport": "passport",
    "número de pasaporte": "passport",
    "national identification number": "national_id",
}
# fmt: off
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
# fmt: on
_NAME_TAGS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_IN_SCRIPT = re.compile(r"in (?:arabic|cyrillic|chinese)(?: script)?\s*:\s*(.+)$", re.I | re.S)
_ORIGINAL_SCRIPT_MARK = re.compile(r"^\s*original script\s*:\s*|\s*\(original script\)\s*", re.I)


def read_un(path: Path) -> ListFile:
    """Read a UN consolidated list XML file into entities (all or nothing)."""
    data = read_limited(path)
    source = str(path)
    ctx = ReadContext(source)
    published: str | None = None
    root_seen = False
    for element in iter_xml_elements(data, source, {"INDIVIDUAL", "ENTITY", _ROOT}):
        if element.getparent() is None:
            root_seen = etree.QName(element).localname == _ROOT
            published = normalise_space(element.get("dateGenerated")) or None
            continue
        if etree.QName(element).localname == _ROOT:
            continue
        ctx.keep(
            _read_record(element, ctx),
            line=source_line(element),
            repeated="reference number listed twice; the later record is skipped",
        )
    if not root_seen:
        raise BadInputError(
            f"not a UN consolidated list: the root element is not {_ROOT}",
            where=source,
            hint="check that this is the UN Security Council consolidated XML",
        )
    return ctx.list_file(
        SOURCE_FORMAT,
        published,
        empty="the list holds no usable INDIVIDUAL or ENTITY record",
        hint="the download may be incomplete; fetch the list again",
    )


def _read_record(element: etree._Element, ctx: ReadContext) -> Entity | None:
    ref = "".join(_text(element, "REFERENCE_NUMBER").split())
    line = source_line(element)
    if not ref:
        ctx.warn("record without REFERENCE_NUMBER skipped", line=line)
        return None
    is_person = etree.QName(element).localname == "INDIVIDUAL"
    draft = EntityDraft(ctx, ref, Schema.PERSON if is_person else Schema.ORGANIZATION, line)
    _primary_names(element, draft, is_person)
    _aliases(element, draft, is_person)
    if is_person:
        _person_details(element, draft)
    _addresses(element, draft, "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS")
    listed_on = _text(element, "LISTED_ON")
    draft.listed_on = _iso_day(listed_on)
    if draft.names and listed_on and draft.listed_on is None:  # nameless: skipped by build
        draft.warn(f"unreadable LISTED_ON {listed_on!r} dropped")
    draft.set_gender(_text(element, "GENDER"))
    draft.programs = [p for p in [_field(element, "UN_LIST_TYPE")] if p]
    comments = _field(element, "COMMENTS1")
    if comments:
        draft.remarks.insert(0, comments)
    return draft.build(_STYLE)


def _primary_names(element: etree._Element, draft: EntityDraft, is_person: bool) -> None:
    parts = [_field(element, tag) for tag in _NAME_TAGS]
    parts = [p for p in parts if p]
    if is_person:
        given, family = _given_family(parts, _text(element, "UN_LIST_TYPE"))
        draft.add_name_once(
            " ".join(parts), NameKind.PRIMARY, NameQuality.STRONG, given=given, family=family
        )
    else:
        for name in " ".join(parts).split(";"):
            draft.add_name_once(name, NameKind.PRIMARY, NameQuality.STRONG)
    for name in _text(element, "NAME_ORIGINAL_SCRIPT").split(";"):
        draft.add_name_once(name, NameKind.ORIGINAL_SCRIPT, NameQuality.STRONG)


def _given_family(parts: list[str], list_type: str) -> tuple[str | None, str | None]:
    if len(parts) < 2:
        return None, None
    if list_type.strip().upper() == "DPRK":
        return " ".join(parts[1:]), parts[0]
    return parts[0], parts[-1]


def _aliases(element: etree._Element, draft: EntityDraft, is_person: bool) -> None:
    tag = "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"
    for alias in element.findall(tag):
        text = _field(alias, "ALIAS_NAME")
        note = _field(alias, "NOTE")
        quality_text = _field(alias, "QUALITY").casefold()
        kind, quality = _ALIAS_KINDS.get(quality_text, (NameKind.ALIAS, NameQuality.STRONG))
        if not text:
            continue
        for variant in _name_variants(text):
            given, family = _comma_order(variant) if is_person else (None, None)
            draft.add_name_once(variant, kind, quality, given=given, family=family)
        if note:
            script_form = _IN_SCRIPT.search(note)
            if script_form:
                draft.add_name_once(script_form.group(1), kind, quality)
            draft.remarks.append(f"Alias {text}: {' '.join(note.split())}")
        date_text = _field(alias, "DATE_OF_BIRTH")
        if date_text:
            date = draft.attempt(partial(parse_iso_date, date_text, zone=True), "alias DOB")
            add_once(draft.birth_dates, date)
        _birth_place(alias, draft, "CITY_OF_BIRTH", "COUNTRY_OF_BIRTH")


def _name_variants(text: str) -> list[str]:
    """Split one alias text into the spellings it lists."""
    text = text.strip().rstrip(",").strip()
    outer, inner = _trailing_group(text)
    variants: list[str] = []
    if inner is not None and _splits_group(outer, inner):
        variants.append(outer)
        text = _ORIGINAL_SCRIPT_MARK.sub(" ", inner)
    variants.extend(_ORIGINAL_SCRIPT_MARK.sub(" ", part) for part in _split_top_level(text))
    return [v.strip() for v in variants if v.strip()]


def _trailing_group(text: str) -> tuple[str, str | None]:
    """``("A", "B")`` for ``"A (B)"`` with balanced brackets, else ``(text, None)``."""
    if not text.endswith(")"):
        return text, None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            outer = text[:index].strip()
            return (outer, text[index + 1 : -1]) if outer else (text, None)
    return text, None


def _splits_group(outer: str, inner: str) -> bool:
    # "Abu X (أبو …)", "حسن غول (Hassan Ghul; Hasan Gul)", "X (original script: Х)" list other
    # spellings; acronyms and remarks in brackets ("AQAP", "birth name") stay with their name.
    if ";" in inner or "original script" in inner.casefold():
        return True
    return mostly_non_latin(outer) != mostly_non_latin(inner)


def _split_top_level(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _comma_order(name: str) -> tuple[str | None, str | None]:
    """``"Ahmed, Abubakar"`` → given ``Abubakar``, family ``Ahmed``."""
    pieces = [p.strip() for p in name.split(",")]
    if len(pieces) == 2 and all(pieces) and not mostly_non_latin(name):
        return pieces[1], pieces[0]
    return None, None


def _person_details(element: etree._Element, draft: EntityDraft) -> None:
    for value in _values(element, "NATIONALITY"):
        _country(draft, value, CountryRole.NATIONALITY, "nationality")
    for node in element.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        try:
            add_once(draft.birth_dates, _birth_date(node))
            continue
        except ValueError as exc:  # pydantic's ValidationError is a ValueError too
            draft.warn(f"date of birth dropped: {describe_problem(exc)}")
        shown = _field(node, "NOTE") or " ".join(_texts(node))
        draft.remarks.append(f"Date of birth: {shown}")
    for node in element.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        _birth_place(node, draft, "STREET", "CITY", "STATE_PROVINCE", "NOTE", "COUNTRY")
    for node in element.findall("INDIVIDUAL_DOCUMENT"):
        _document(node, draft)
    titles = list(_values(element, "TITLE"))
    if titles:
        draft.remarks.append("Title: " + "; ".join(titles))
    designations = list(_values(element, "DESIGNATION"))
    if designations:
        draft.remarks.append("Designation: " + "; ".join(designations))


def _birth_place(node: etree._Element, draft: EntityDraft, *tags: str) -> None:
    parts = [_field(node, tag) for tag in tags]
    place = ", ".join(p for p in parts if p)
    add_once(draft.birth_places, place or None)
    country_tag = tags[-1]
    _country(draft, _text(node, country_tag), CountryRole.BIRTH, "country of birth")


def _birth_date(node: etree._Element) -> PartialDate | None:
    """One INDIVIDUAL_DATE_OF_BIRTH; None when empty, ValueError when unreadable."""
    kind = _field(node, "TYPE_OF_DATE").upper()
    note = _field(node, "NOTE")
    approximate = kind == "APPROXIMATELY" or "approx" in note.casefold()
    date, year = _field(node, "DATE"), _field(node, "YEAR")
    start, end = _field(node, "FROM_YEAR"), _field(node, "TO_YEAR")
    if date:
        exact = parse_iso_date(date, zone=True)
        return PartialDate(
            year=exact.year, month=exact.month, day=exact.day, approximate=approximate
        )
    if start or end:
        first, last = parse_number(start or end, "year"), parse_number(end or start, "year")
        return PartialDate(year=first, until_year=last, approximate=approximate)
    if year:
        months = _months_in(note)
        month = months[0] if len(months) == 1 else None
        return PartialDate(year=parse_number(year, "year"), month=month, approximate=approximate)
    if not note or note.casefold().startswith("approx"):
        return None
    return _date_from_note(note)


def _date_from_note(note: str) -> PartialDate:
    if "hijri" in note.casefold():
        raise ValueError(f"Hijri-calendar date {note!r} is not converted")
    years = _YEAR.findall(note)
    if len(years) != 1:
        raise ValueError(f"cannot read a date in {note!r}")
    months = _months_in(note)
    fuzzy = len(months) > 1 or "between" in note.casefold() or "approx" in note.casefold()
    month = months[0] if len(months) == 1 else None
    return PartialDate(year=int(years[0]), month=month, approximate=fuzzy)


def _months_in(text: str) -> list[int]:
    """Months named in ``text`` ("Nov.", "Sept", "August"), as numbers."""
    words = [w for w in re.findall(r"[a-z]+", text.casefold()) if len(w) >= 3]
    return [n for w in words for n, name in enumerate(_MONTHS, start=1) if name.startswith(w)]


def _iso_day(text: str) -> str | None:
    try:
        parsed = parse_iso_date(text, zone=True)
    except ValueError:
        return None
    return str(parsed) if parsed.day is not None else None


def _document(node: etree._Element, draft: EntityDraft) -> None:
    kind_text = _field(node, "TYPE_OF_DOCUMENT")
    number = _field(node, "NUMBER")
    country_text = _field(node, "ISSUING_COUNTRY") or _field(node, "COUNTRY_OF_ISSUE")
    details = [
        _field(node, "TYPE_OF_DOCUMENT2"),
        f"issued {_field(node, 'DATE_OF_ISSUE')}" if _text(node, "DATE_OF_ISSUE") else "",
        f"in {_field(node, 'CITY_OF_ISSUE')}" if _text(node, "CITY_OF_ISSUE") else "",
        _field(node, "NOTE"),
    ]
    note = "; ".join(d for d in details if d) or None
    if not number:
        if note:
            draft.remarks.append(f"{kind_text or 'Document'}: {note}")
        return
    kind = _DOC_KINDS.get(kind_text.casefold(), kind_text.casefold() or "other")
    code = _country(draft, country_text, None, "document country")
    identifier = draft.attempt(
        lambda: Identifier(kind=kind, value=number, country=code, note=note), "document"
    )
    add_once(draft.identifiers, identifier)


def _addresses(element: etree._Element, draft: EntityDraft, tag: str) -> None:
    for node in element.findall(tag):
        parts = [_field(node, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE")]
        country_text = _field(node, "COUNTRY")
        full = ", ".join(p for p in [*parts, country_text] if p) or _field(node, "NOTE")
        code = _country(draft, country_text, CountryRole.ADDRESS, "address country")
        if not full:
            continue
        add_once(
            draft.addresses, draft.attempt(partial(Address, full=full, country=code), "address")
        )


def _country(
    draft: EntityDraft, text: str | None, role: CountryRole | None, what: str
) -> str | None:
    """ISO alpha-2 code for a country name, attached with ``role``; unknown → warning, None."""
    text = normalise_space(text)
    code = country_code(text) if text else None
    if text and code is None:
        draft.warn(f"{what} {text!r} is not a known country; code dropped")
    return draft.keep_country(code, role)


def _text(element: etree._Element, tag: str) -> str:
    return element.findtext(tag) or ""


def _field(element: etree._Element, tag: str) -> str:
    """The text of child ``tag``, white space normalised."""
    return normalise_space(element.findtext(tag))


def _texts(element: etree._Element) -> Iterable[str]:
    return (normalise_space(str(t)) for t in element.itertext() if str(t).strip())


def _values(element: etree._Element, tag: str) -> Iterable[str]:
    for node in element.findall(tag):
        for value in node.findall("VALUE"):
            text = normalise_space(value.text)
            if text:
                yield text
