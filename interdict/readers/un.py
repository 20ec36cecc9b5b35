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

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
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

__all__ = ["read_un"]

SOURCE_FORMAT = "un"
_ROOT = "CONSOLIDATED_LIST"
_T = TypeVar("_T")

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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|[T\-+Z])")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_IN_SCRIPT = re.compile(r"in (?:arabic|cyrillic|chinese)(?: script)?\s*:\s*(.+)$", re.I | re.S)
_ORIGINAL_SCRIPT_MARK = re.compile(r"^\s*original script\s*:\s*|\s*\(original script\)\s*", re.I)


@dataclass
class _Draft:
    """What one UN record yields, before it is validated as an Entity."""

    names: list[Name] = field(default_factory=list)
    birth_dates: list[PartialDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    countries: list[EntityCountry] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
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

    def add_name(
        self, text: str, kind: NameKind, quality: NameQuality, **parts: str | None
    ) -> None:
        """Add a name unless it is blank, a duplicate, too long or holds control characters."""
        full = " ".join(text.split())
        if not full:
            return
        if len(full) > MAX_NAME_LENGTH:
            self.problems.append(
                f"name of {len(full)} characters dropped (limit {MAX_NAME_LENGTH})"
            )
            return
        if _CONTROL.search(full):
            self.problems.append(f"name with control characters dropped: {full[:60]!r}")
            return
        if any(n.full.casefold() == full.casefold() for n in self.names):
            return
        name = self.attempt(lambda: Name(full=full, kind=kind, quality=quality, **parts), "name")
        if name is not None:
            self.names.append(name)

    def country(self, text: str | None, what: str) -> str | None:
        """ISO alpha-2 code for a country name; an unknown name is noted and gives None."""
        text = _clean(text)
        code = country_code(text) if text else None
        if text and code is None:
            self.problems.append(f"{what} {text!r} is not a known country; code dropped")
        return code

    def add_country(self, text: str | None, role: CountryRole, what: str) -> str | None:
        """Resolve a country name and attach it to the entity with ``role``."""
        code = self.country(text, what)
        if code is not None and EntityCountry(code=code, role=role) not in self.countries:
            self.countries.append(EntityCountry(code=code, role=role))
        return code

    def add_birth_date(self, date: PartialDate | None) -> None:
        """Keep a date of birth once."""
        if date is not None and date not in self.birth_dates:
            self.birth_dates.append(date)


def read_un(path: Path) -> ListFile:
    """Read a UN consolidated list XML file into entities (all or nothing)."""
    data = read_limited(path)
    source = str(path)
    entities: list[Entity] = []
    warnings: list[str] = []
    published: str | None = None
    root_seen = False
    seen: set[str] = set()
    for element in iter_xml_elements(data, source, {"INDIVIDUAL", "ENTITY", _ROOT}):
        if element.getparent() is None:
            root_seen = etree.QName(element).localname == _ROOT
            published = _clean(element.get("dateGenerated")) or None
            continue
        if etree.QName(element).localname == _ROOT:
            continue
        entity = _read_record(element, source, warnings)
        if entity is None:
            continue
        if entity.source_id in seen:
            warnings.append(
                f"{where(source, line=_line(element), record=entity.source_id)}: "
                "reference number listed twice; the later record is skipped"
            )
            continue
        seen.add(entity.source_id)
        entities.append(entity)
    if not root_seen:
        raise BadInputError(
            f"not a UN consolidated list: the root element is not {_ROOT}",
            where=source,
            hint="check that this is the UN Security Council consolidated XML",
        )
    if not entities:
        raise BadInputError(
            "the list holds no usable INDIVIDUAL or ENTITY record",
            where=source,
            hint="the download may be incomplete; fetch the list again",
        )
    return ListFile(entities, source_format=SOURCE_FORMAT, published=published, warnings=warnings)


def _read_record(element: etree._Element, source: str, warnings: list[str]) -> Entity | None:
    ref = "".join(_text(element, "REFERENCE_NUMBER").split())
    location = where(source, line=_line(element), record=ref or None)
    if not ref:
        warnings.append(f"{location}: record without REFERENCE_NUMBER skipped")
        return None
    is_person = etree.QName(element).localname == "INDIVIDUAL"
    draft = _Draft()
    _primary_names(element, draft, is_person)
    _aliases(element, draft, is_person)
    if is_person:
        _person_details(element, draft)
    _addresses(element, draft, "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS")
    warnings.extend(f"{location}: {problem}" for problem in draft.problems)
    if not draft.names:
        warnings.append(f"{location}: record has no usable name; skipped")
        return None
    listed_on = _iso_day(_text(element, "LISTED_ON"))
    if _text(element, "LISTED_ON") and listed_on is None:
        warnings.append(f"{location}: unreadable LISTED_ON {_text(element, 'LISTED_ON')!r} dropped")
    programs = tuple(p for p in [_clean(_text(element, "UN_LIST_TYPE"))] if p)
    remarks = [_clean(_text(element, "COMMENTS1")), *draft.remarks]
    try:
        return Entity(
            source_id=ref,
            schema=Schema.PERSON if is_person else Schema.ORGANIZATION,
            names=tuple(draft.names),
            birth_dates=tuple(draft.birth_dates),
            birth_places=tuple(draft.birth_places),
            countries=tuple(draft.countries),
            gender=_gender(_text(element, "GENDER")),
            identifiers=tuple(draft.identifiers),
            addresses=tuple(draft.addresses),
            programs=programs,
            listed_on=listed_on,
            remarks="\n".join(r for r in remarks if r) or None,
        )
    except ValidationError as exc:
        warnings.append(f"{location}: record skipped: {describe_validation_error(exc)}")
        return None


def _primary_names(element: etree._Element, draft: _Draft, is_person: bool) -> None:
    parts = [_clean(_text(element, tag)) for tag in _NAME_TAGS]
    parts = [p for p in parts if p]
    if is_person:
        given, family = _given_family(parts, _text(element, "UN_LIST_TYPE"))
        draft.add_name(
            " ".join(parts), NameKind.PRIMARY, NameQuality.STRONG, given=given, family=family
        )
    else:
        for name in " ".join(parts).split(";"):
            draft.add_name(name, NameKind.PRIMARY, NameQuality.STRONG)
    for name in _text(element, "NAME_ORIGINAL_SCRIPT").split(";"):
        draft.add_name(name, NameKind.ORIGINAL_SCRIPT, NameQuality.STRONG)


def _given_family(parts: list[str], list_type: str) -> tuple[str | None, str | None]:
    if len(parts) < 2:
        return None, None
    if list_type.strip().upper() == "DPRK":
        return " ".join(parts[1:]), parts[0]
    return parts[0], parts[-1]


def _aliases(element: etree._Element, draft: _Draft, is_person: bool) -> None:
    tag = "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"
    for alias in element.findall(tag):
        text = _clean(_text(alias, "ALIAS_NAME"))
        note = _clean(_text(alias, "NOTE"))
        quality_text = _clean(_text(alias, "QUALITY")).casefold()
        kind, quality = _ALIAS_KINDS.get(quality_text, (NameKind.ALIAS, NameQuality.STRONG))
        if not text:
            continue
        for variant in _name_variants(text):
            given, family = _comma_order(variant) if is_person else (None, None)
            draft.add_name(variant, kind, quality, given=given, family=family)
        if note:
            script_form = _IN_SCRIPT.search(note)
            if script_form:
                draft.add_name(script_form.group(1), kind, quality)
            draft.remarks.append(f"Alias {text}: {' '.join(note.split())}")
        date_text = _clean(_text(alias, "DATE_OF_BIRTH"))
        if date_text:
            draft.add_birth_date(draft.attempt(partial(_iso_partial, date_text), "alias DOB"))
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
    return _mostly_non_latin(outer) != _mostly_non_latin(inner)


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
    if len(pieces) == 2 and all(pieces) and not _mostly_non_latin(name):
        return pieces[1], pieces[0]
    return None, None


def _mostly_non_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    other = sum(1 for ch in letters if not unicodedata.name(ch, "LATIN").startswith("LATIN"))
    return bool(letters) and other * 2 > len(letters)


def _person_details(element: etree._Element, draft: _Draft) -> None:
    for value in _values(element, "NATIONALITY"):
        draft.add_country(value, CountryRole.NATIONALITY, "nationality")
    for node in element.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        try:
            draft.add_birth_date(_birth_date(node))
            continue
        except ValidationError as exc:
            problem = describe_validation_error(exc)
        except ValueError as exc:
            problem = str(exc)
        draft.problems.append(f"date of birth dropped: {problem}")
        shown = _clean(_text(node, "NOTE")) or " ".join(_texts(node))
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


def _birth_place(node: etree._Element, draft: _Draft, *tags: str) -> None:
    parts = [_clean(_text(node, tag)) for tag in tags]
    place = ", ".join(p for p in parts if p)
    if place and place not in draft.birth_places:
        draft.birth_places.append(place)
    country_tag = tags[-1]
    draft.add_country(_text(node, country_tag), CountryRole.BIRTH, "country of birth")


def _birth_date(node: etree._Element) -> PartialDate | None:
    """One INDIVIDUAL_DATE_OF_BIRTH; None when empty, ValueError when unreadable."""
    kind = _clean(_text(node, "TYPE_OF_DATE")).upper()
    note = _clean(_text(node, "NOTE"))
    approximate = kind == "APPROXIMATELY" or "approx" in note.casefold()
    date, year = _clean(_text(node, "DATE")), _clean(_text(node, "YEAR"))
    start, end = _clean(_text(node, "FROM_YEAR")), _clean(_text(node, "TO_YEAR"))
    if date:
        exact = _iso_partial(date)
        return PartialDate(
            year=exact.year, month=exact.month, day=exact.day, approximate=approximate
        )
    if start or end:
        first, last = int(_digits(start or end)), int(_digits(end or start))
        return PartialDate(year=first, until_year=last, approximate=approximate)
    if year:
        months = _months_in(note)
        month = months[0] if len(months) == 1 else None
        return PartialDate(year=int(_digits(year)), month=month, approximate=approximate)
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


def _iso_partial(text: str) -> PartialDate:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a trailing zone is ignored); ValueError else."""
    match = _ISO_DATE.match(text.strip())
    if not match:
        raise ValueError(f"not a date: {text!r}")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and day is not None:
        dt.date(year, month, day)  # raises ValueError on 1970-02-30
    return PartialDate(year=year, month=month, day=day)


def _iso_day(text: str) -> str | None:
    try:
        parsed = _iso_partial(text)
    except ValueError:
        return None
    return str(parsed) if parsed.day is not None else None


def _digits(text: str) -> str:
    if not text.isdigit():
        raise ValueError(f"not a year: {text!r}")
    return text


def _document(node: etree._Element, draft: _Draft) -> None:
    kind_text = _clean(_text(node, "TYPE_OF_DOCUMENT"))
    number = _clean(_text(node, "NUMBER"))
    country_text = _clean(_text(node, "ISSUING_COUNTRY")) or _clean(_text(node, "COUNTRY_OF_ISSUE"))
    details = [
        _clean(_text(node, "TYPE_OF_DOCUMENT2")),
        f"issued {_clean(_text(node, 'DATE_OF_ISSUE'))}" if _text(node, "DATE_OF_ISSUE") else "",
        f"in {_clean(_text(node, 'CITY_OF_ISSUE'))}" if _text(node, "CITY_OF_ISSUE") else "",
        _clean(_text(node, "NOTE")),
    ]
    note = "; ".join(d for d in details if d) or None
    if not number:
        if note:
            draft.remarks.append(f"{kind_text or 'Document'}: {note}")
        return
    kind = _DOC_KINDS.get(kind_text.casefold(), kind_text.casefold() or "other")
    code = draft.country(country_text, "document country")
    identifier = draft.attempt(
        lambda: Identifier(kind=kind, value=number, country=code, note=note), "document"
    )
    if identifier is not None and identifier not in draft.identifiers:
        draft.identifiers.append(identifier)


def _addresses(element: etree._Element, draft: _Draft, tag: str) -> None:
    for node in element.findall(tag):
        parts = [_clean(_text(node, t)) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE")]
        country_text = _clean(_text(node, "COUNTRY"))
        full = ", ".join(p for p in [*parts, country_text] if p) or _clean(_text(node, "NOTE"))
        code = draft.add_country(country_text, CountryRole.ADDRESS, "address country")
        if not full:
            continue
        address = draft.attempt(partial(Address, full=full, country=code), "address")
        if address is not None and address not in draft.addresses:
            draft.addresses.append(address)


def _gender(text: str) -> str | None:
    value = text.strip().casefold()
    return value if value in {"male", "female"} else None


def _text(element: etree._Element, tag: str) -> str:
    return element.findtext(tag) or ""


def _texts(element: etree._Element) -> Iterable[str]:
    return (_clean(str(t)) for t in element.itertext() if str(t).strip())


def _line(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None


def _values(element: etree._Element, tag: str) -> Iterable[str]:
    for node in element.findall(tag):
        for value in node.findall("VALUE"):
            text = _clean(value.text)
            if text:
                yield text


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())
