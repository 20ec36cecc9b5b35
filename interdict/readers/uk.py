"""UK lists: the OFSI Consolidated List CSV (2018 and current layouts) and the FCDO list CSV.

All three are one row per *name*: rows sharing an id (OFSI "Group ID", FCDO "Unique ID") are one
entity. The layout is recognised from the header row, which follows a one-line preamble
("Last Updated,dd/mm/yyyy" or "Report Date: dd-Mon-yyyy"). Columns are looked up by name, so
columns added or reordered by a later edition are tolerated; those we need must be present.
Dates are ``dd/mm/yyyy`` with ``00`` (OFSI) or ``dd``/``mm`` (FCDO) for unknown parts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from interdict.errors import BadInputError, where
from interdict.model import CountryRole, NameKind, NameQuality, PartialDate, Schema
from interdict.model.countries import country_code
from interdict.readers.base import ListFile, decode_text, iter_csv_rows, read_limited
from interdict.readers.draft import EntityDraft, ReadContext
from interdict.readers.ofac import parse_ofac_date

__all__ = ["parse_uk_date", "read_uk"]

# logical field -> header spellings across the three layouts (compared lower-cased)
_COLUMNS: dict[str, tuple[str, ...]] = {
    "family": ("name 6",),
    **{f"name{i}": (f"name {i}",) for i in range(1, 6)},
    "non_latin": ("name non-latin script",),
    "dob": ("dob", "d.o.b"),
    "town_of_birth": ("town of birth",),
    "country_of_birth": ("country of birth",),
    "nationality": ("nationality", "nationality(/ies)"),
    "passport": ("passport number",),
    "passport_details": ("passport details", "passport additional information"),
    "national_id": ("national identification number", "national identifier number"),
    "national_id_details": (
        "ni number",
        "national identification details",
        "national identifier additional information",
    ),
    "position": ("position",),
    **{f"address{i}": (f"address {i}", f"address line {i}") for i in range(1, 7)},
    "postcode": ("post/zip code", "address postal code"),
    "country": ("country", "address country"),
    "other": ("other information",),
    "group_type": ("group type", "designation type", "individual, entity, ship"),
    "alias_type": ("alias type", "name type"),
    "alias_quality": ("alias quality", "alias strength"),
    "regime": ("regime", "regime name"),
    "listed_on": ("listed on", "date designated"),
    "gender": ("gender",),
    "imo": ("imo number",),
    "flag": ("current believed flag of ship",),
    "ship_type": ("type of ship",),
    "owner": ("current owner/operator (s)",),
    "un_ref": ("un reference number",),
}
_REMARKS = (  # (label, field) of facts the model has no field for, kept in the remarks
    ("Position: ", "position"),
    ("Vessel type: ", "ship_type"),
    ("Vessel owner: ", "owner"),
    ("UN Ref: ", "un_ref"),
    ("", "other"),
)
_REQUIRED = ("family", "alias_type", "group_type")
_SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}
_KINDS = {
    "prime alias": NameKind.PRIMARY,
    "primary name": NameKind.PRIMARY,
    "primary": NameKind.PRIMARY,
    "primary name variation": NameKind.ALIAS,
    "aka": NameKind.ALIAS,
    "alias": NameKind.ALIAS,
    "fka": NameKind.FORMER,
}
_NUMBERED = re.compile(r"\(?\b(?:\d{1,2}|[a-h])\)\s*")  # "1) X 2) Y", "(a) X (b) Y"
_BRACKETED = re.compile(r"\([^)]*(?:\)|$)")  # also an unclosed bracket cut by a field limit
_DOCUMENT = re.compile(r"\b[A-Z0-9](?=[A-Z0-9/\-]*\d)[A-Z0-9/\-]{4,}\b")
_IMO = re.compile(r"\bIMO(?: number)?[:.]?\s*(\d{7})\b", re.IGNORECASE)
_UK_DATE = re.compile(r"(\d{1,2}|dd)/(\d{1,2}|mm)/(\d{4})", re.ASCII | re.IGNORECASE)


def parse_uk_date(text: str) -> PartialDate:
    """Parse ``dd/mm/yyyy`` where ``00`` or ``dd``/``mm`` mark unknown day or month."""
    match = _UK_DATE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a dd/mm/yyyy date: {text!r}")
    day_text, month_text, year = match.groups()
    month = int(month_text) if month_text.isdigit() and int(month_text) else None
    day = int(day_text) if day_text.isdigit() and int(day_text) and month else None
    return PartialDate(year=int(year), month=month, day=day)


@dataclass
class _Layout:
    """Where each field sits in this file's rows."""

    id_column: int
    width: int
    columns: dict[str, int] = field(default_factory=dict)


def read_uk(path: Path) -> ListFile:
    """Read an OFSI ConList CSV (2018 or current) or an FCDO UK Sanctions List CSV."""
    source = str(path)
    rows = iter_csv_rows(decode_text(read_limited(path), source), source)
    ctx = ReadContext(source)
    published, layout = _read_preamble(rows, source)
    drafts: dict[str, EntityDraft] = {}
    unknown_kinds: set[str] = set()
    for line, cells in rows:
        cells = _check_width(cells, layout, source, line)
        group_id = cells[layout.id_column].strip()
        if not group_id:
            ctx.warn("row without an id skipped", line=line)
            continue
        row = {key: cells[index].strip() for key, index in layout.columns.items()}
        draft = drafts.get(group_id)
        if draft is None:
            draft = drafts[group_id] = _new_draft(ctx, group_id, row, line)
        draft.line = line  # warnings name the row being read
        _add_row(draft, row, unknown_kinds)
    for kind in sorted(unknown_kinds):
        ctx.warn(f"unknown alias type {kind!r} read as an alias")
    for draft in drafts.values():
        ctx.keep(draft.build())
    return ctx.list_file(
        "uk",
        published,
        empty="no entities could be read",
        hint="see the warnings or download it again",
    )


def _read_preamble(
    rows: Iterator[tuple[int, list[str]]], source: str
) -> tuple[str | None, _Layout]:
    """Read rows up to the header; return the publication date and the layout."""
    published: str | None = None
    for line, cells in rows:
        first = cells[0].strip()
        lowered = [" ".join(c.split()).lower() for c in cells]
        if "name 6" in lowered:
            return published, _layout(lowered, source, line)
        if line > 5:
            break
        published = published or _preamble_date(first, cells[1] if len(cells) > 1 else "")
    raise BadInputError(
        "no header row with a 'Name 6' column in the first lines",
        where=source,
        hint="is this the OFSI ConList CSV or the FCDO UK Sanctions List CSV?",
    )


def _preamble_date(first: str, second: str) -> str | None:
    try:
        if first.lower() == "last updated":
            return str(parse_uk_date(second))
        if first.lower().startswith("report date:"):
            return str(parse_ofac_date(first[12:].strip().replace("-", " ")))
    except ValueError:
        return None
    return None


def _layout(header: list[str], source: str, line: int) -> _Layout:
    positions = {name: index for index, name in reversed(list(enumerate(header)))}
    id_name = "unique id" if "unique id" in positions else "group id"  # FCDO, else OFSI
    columns = {
        key: next(positions[s] for s in spellings if s in positions)
        for key, spellings in _COLUMNS.items()
        if any(s in positions for s in spellings)
    }
    missing = [_COLUMNS[k][0] for k in _REQUIRED if k not in columns]
    missing += [] if id_name in positions else [id_name]
    if missing:
        raise BadInputError(
            f"missing columns: {', '.join(repr(m.title()) for m in missing)}",
            where=where(source, line=line),
            hint="is this the OFSI ConList CSV or the FCDO UK Sanctions List CSV?",
        )
    return _Layout(positions[id_name], len(header), columns)


def _check_width(cells: list[str], layout: _Layout, source: str, line: int) -> list[str]:
    extra = cells[layout.width :]
    if len(cells) < layout.width or any(c.strip() for c in extra):
        raise BadInputError(
            f"{len(cells)} fields where the header has {layout.width}",
            where=where(source, line=line),
            hint="the file may be cut off or edited by hand; download it again",
        )
    return cells[: layout.width]


def _new_draft(ctx: ReadContext, group_id: str, row: dict[str, str], line: int) -> EntityDraft:
    group_type = row.get("group_type", "").lower()
    schema = _SCHEMAS.get(group_type)
    if schema is None:
        ctx.warn(f"unknown type {group_type!r}, read as LegalEntity", line=line, record=group_id)
    return EntityDraft(ctx, group_id, schema or Schema.LEGAL_ENTITY, line)


def _add_row(draft: EntityDraft, row: dict[str, str], unknown_kinds: set[str]) -> None:
    """Merge one name row into its entity: the name, and whatever else the row repeats."""
    alias_type = row.get("alias_type", "").lower()
    kind = _KINDS.get(alias_type, NameKind.ALIAS)
    if alias_type not in _KINDS:
        unknown_kinds.add(alias_type)
    quality = row.get("alias_quality", "").lower()
    weak = quality.startswith(("low", "weak"))
    _add_uk_name(draft, row, kind, NameQuality.WEAK if weak else NameQuality.STRONG)
    if row.get("non_latin"):
        draft.add_name(row["non_latin"], NameKind.ORIGINAL_SCRIPT, NameQuality.STRONG)
    if row.get("dob"):
        draft.add_birth_date(row["dob"], parse_uk_date)
    _add_birth(draft, row.get("town_of_birth", ""), row.get("country_of_birth", ""))
    for text in _items(row.get("nationality", "")):
        _add_countries(draft, text, CountryRole.NATIONALITY)
    _add_documents(draft, "passport", row.get("passport", ""), row.get("passport_details", ""))
    _add_documents(
        draft, "national_id", row.get("national_id", ""), row.get("national_id_details", "")
    )
    address = [row.get(f"address{i}", "") for i in range(1, 7)] + [row.get("postcode", "")]
    country = _BRACKETED.sub("", row.get("country", "")).strip(" .,")
    draft.add_address(*address, country)
    draft.set_gender(row.get("gender", ""))
    draft.add_country(row.get("flag", ""), CountryRole.FLAG)
    for match in _IMO.finditer(row.get("imo", "") + " " + row.get("other", "")):
        draft.add_identifier("imo", match.group(1), None)
    if row.get("regime"):
        draft.programs.append(row["regime"])
    if row.get("listed_on") and draft.listed_on is None:
        draft.listed_on = _iso_or_text(row["listed_on"])
    for label, key in _REMARKS:
        text = f"{label}{row[key]}" if row.get(key) else ""
        if text and text not in draft.remarks:
            draft.remarks.append(text)


def _add_uk_name(draft: EntityDraft, row: dict[str, str], kind: NameKind, q: NameQuality) -> None:
    given = " ".join(row.get(f"name{i}", "") for i in range(1, 6) if row.get(f"name{i}"))
    family = row.get("family", "")
    if draft.schema is Schema.PERSON:
        draft.add_name("", kind, q, given=" ".join(given.split()), family=" ".join(family.split()))
    else:
        draft.add_name(f"{given} {family}", kind, q)


def _add_birth(draft: EntityDraft, town: str, country: str) -> None:
    countries = [_BRACKETED.sub("", c).strip(" .,-") for c in _items(country)]
    towns = _items(town)
    for place in towns or [""]:
        draft.add_birth_place(", ".join(p for p in [place, *countries[:1]] if p))
    for text in countries:
        draft.add_country(text, CountryRole.BIRTH, quiet=True)


def _items(text: str) -> list[str]:
    """Split ``1) X 2) Y`` / ``(a) X (b) Y`` enumerations; a plain value is one item."""
    parts = [p.strip(" .,;-") for p in _NUMBERED.split(text)]
    return [p for p in parts if any(ch.isalnum() for ch in p)]


def _add_countries(draft: EntityDraft, text: str, role: CountryRole) -> None:
    clean = _BRACKETED.sub("", text).strip(" .,;")
    if "," in clean and country_code(clean) is None:  # "Iraq, Syria" but "Korea, North"
        for part in clean.split(","):
            draft.add_country(part.strip(), role)
    else:
        draft.add_country(clean, role)


def _add_documents(draft: EntityDraft, kind: str, numbers: str, details: str) -> None:
    """Documents from a clean number column, or numbers found in a free-text details column."""
    if numbers:
        for item in _items(numbers) or [numbers]:
            note = details if details and len(_items(numbers)) <= 1 else ""
            draft.add_identifier(kind, item, None, note)
        return
    for item in _items(details) or ([details] if details else []):
        match = _DOCUMENT.search(item)
        if match:
            draft.add_identifier(kind, match.group(), None, item)


def _iso_or_text(text: str) -> str:
    try:
        return str(parse_uk_date(text))
    except ValueError:
        return text
