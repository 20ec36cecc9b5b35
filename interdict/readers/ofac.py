"""OFAC lists: the legacy CSV set (SDN/ALT/ADD/SDN_COMMENTS) and the ``sdnList`` XML.

The CSV set has no header; ``-0-`` means null. Long remarks are cut at 1,000 characters and
continued in SDN_COMMENTS.CSV. Dates of birth, documents, nationalities and OFAC's *weak* AKAs
(``a.k.a. 'X'`` in the remarks) live in the free-text remarks and are parsed out of them; the XML
carries the same facts in elements. Individuals are written ``LAST, First Middle`` and are turned
into natural order with given and family names kept.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from interdict.errors import BadInputError, where
from interdict.model import CountryRole, NameKind, NameQuality, PartialDate, Schema
from interdict.model.countries import country_code
from interdict.readers.base import (
    ListFile,
    decode_text,
    iter_csv_rows,
    iter_xml_elements,
    local_children,
    looks_like_xml,
    read_limited,
    xml_head,
)
from interdict.readers.draft import EntityDraft, ReadContext

# EntityDraft and ReadContext live in interdict.readers.draft; they are re-exported here for
# readers that still import them from this module.
__all__ = ["EntityDraft", "ReadContext", "parse_ofac_date", "read_ofac"]

_SCHEMAS = {
    "individual": Schema.PERSON,
    "": Schema.ORGANIZATION,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}
_ALIAS_KINDS = {"aka": NameKind.ALIAS, "fka": NameKind.FORMER, "nka": NameKind.ALIAS}
_FILE_ROLES = (  # checked in order: comments before the SDN file, whose prefix they share
    ("comments", re.compile(r"^(sdn|cons)_comments([_\-. ].*)?\.csv$", re.IGNORECASE)),
    ("sdn", re.compile(r"^(sdn|cons_prim)([_\-. ].*)?\.csv$", re.IGNORECASE)),
    ("alt", re.compile(r"^(alt|cons_alt)([_\-. ].*)?\.csv$", re.IGNORECASE)),
    ("add", re.compile(r"^(add|cons_add)([_\-. ].*)?\.csv$", re.IGNORECASE)),
)
_WIDTHS = {"sdn": 12, "alt": 5, "add": 6, "comments": 2}
# Labels OFAC puts before document numbers, in remarks ("Passport X (Country)") and XML idType.
_ID_LABEL_TABLE = """
passport: Passport
national_id: National ID No. | Cedula No. | Identification Number | D.N.I. | C.U.R.P.
tax_id: Tax ID No. | R.F.C. | RFC | NIT #
ssn: SSN
driving_licence: Driver's License No.
registration: Registration ID | Registration Number | Business Registration Number | Company Number
registration: Public Registration Number | Unified Social Credit Code (USCC)
lei: Legal Entity Number
vat: V.A.T. Number
imo: Vessel Registration Identification
mmsi: MMSI
bic: SWIFT/BIC
crypto_wallet: Digital Currency Address -
aircraft_msn: Aircraft Manufacturer's Serial Number (MSN)
"""
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ID_LABELS = sorted(
    (
        (label.strip(), kind)
        for kind, _, labels in (row.partition(": ") for row in _ID_LABEL_TABLE.strip().split("\n"))
        for label in labels.split(" | ")
    ),
    key=lambda pair: -len(pair[0]),
)
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_ALIAS_REMARK = re.compile(r"^([afn])\.k\.a\.?\s+(.*)$", re.IGNORECASE)
_DATE = re.compile(r"(?:(\d{1,2}) )?(?:([A-Za-z]{3,9}) )?(\d{4})", re.ASCII)
_YEAR_RANGE = re.compile(r"\b(\d{4})-(\d{4})\b")
_ENT_NUM = re.compile(r"[0-9]{1,12}")
_IMO = re.compile(r"(?:IMO\s*)?(\d{7})\b")


def parse_ofac_date(text: str) -> PartialDate:
    """Parse an OFAC date: ``01 Jan 1970``, ``Jan 1970``, ``1970``, ``circa …``, ``X to Y``."""
    value = " ".join(_YEAR_RANGE.sub(r"\1 to \2", text).split()).rstrip(".")
    approximate = value.lower().startswith("circa ")
    if approximate:
        value = value[6:]
    if " to " in value:
        start, end = (_one_date(part) for part in value.split(" to ", 1))
        return PartialDate(year=start.year, until_year=end.year, approximate=approximate)
    date = _one_date(value)
    return date.model_copy(update={"approximate": True}) if approximate else date


def _one_date(text: str) -> PartialDate:
    match = _DATE.fullmatch(text)
    if match is None:
        if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text, re.ASCII):
            return PartialDate.parse(text)
        raise ValueError(f"not a date: {text!r}")
    day, month_name, year = match.groups()
    month = _MONTHS.get(month_name[:3].lower()) if month_name else None
    if (month_name and month is None) or (day and not month_name):
        raise ValueError(f"not a date: {text!r}")
    return PartialDate(year=int(year), month=month, day=int(day) if day else None)


def read_ofac(path: Path) -> ListFile:
    """Read an OFAC list: a folder with the CSV set, one SDN CSV, or one ``sdnList`` XML file."""
    if path.is_dir():
        return _read_csv_set(_find_csv_set(path))
    data = read_limited(path)
    if looks_like_xml(data):
        return _read_xml(data, str(path))
    return _read_csv_set({"sdn": path})


def _finish(ctx: ReadContext, published: str | None) -> ListFile:
    return ctx.list_file(
        "ofac",
        published,
        empty="no entities could be read",
        hint="is this an OFAC list file? see the warnings, or download it again",
    )


# --- the legacy CSV set ------------------------------------------------------------------------


def _find_csv_set(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for item in sorted(folder.iterdir()):
        role = next((r for r, pattern in _FILE_ROLES if pattern.match(item.name)), None)
        if role is None or not item.is_file():
            continue
        if role in found:
            raise BadInputError(
                f"two {role.upper()} files: {found[role].name} and {item.name}",
                where=str(folder),
                hint="keep one download of the OFAC CSV set per folder",
            )
        found[role] = item
    if "sdn" not in found:
        raise BadInputError(
            "no SDN.CSV (or sdn_*.csv) in the folder",
            where=str(folder),
            hint="put SDN.CSV, ALT.CSV and ADD.CSV from OFAC in the folder, or pass the XML file",
        )
    return found


def _csv_rows(path: Path, role: str) -> Iterator[tuple[int, list[str]]]:
    """Rows of one CSV of the set, ``-0-`` as empty strings, each checked for its width."""
    source, width = str(path), _WIDTHS[role]
    for line, cells in iter_csv_rows(decode_text(read_limited(path), source), source):
        if line == 1 and "ent_num" in cells[0].lower():
            continue  # a header some re-publishers add
        if len(cells) != width:
            raise BadInputError(
                f"{len(cells)} fields where {role.upper()} rows have {width}",
                where=where(source, line=line),
                hint="the file may be cut off or not an OFAC CSV; download it again",
            )
        if not _ENT_NUM.fullmatch(cells[0].strip()):
            raise BadInputError(
                f"ent_num {cells[0][:40]!r} is not a number",
                where=where(source, line=line),
                hint="is this an OFAC SDN/ALT/ADD CSV file?",
            )
        yield line, ["" if c.strip() == "-0-" else c.strip() for c in cells]


def _read_csv_set(files: dict[str, Path]) -> ListFile:
    ctx = ReadContext(str(files["sdn"]))
    comments: dict[str, str] = defaultdict(str)
    for _line, cells in _csv_rows(files["comments"], "comments") if "comments" in files else ():
        comments[cells[0]] += cells[1]
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for _line, cells in _csv_rows(files["alt"], "alt") if "alt" in files else ():
        aliases[cells[0]].append((cells[2].lower().replace(".", ""), cells[3]))
    addresses: dict[str, list[list[str]]] = defaultdict(list)
    for _line, cells in _csv_rows(files["add"], "add") if "add" in files else ():
        addresses[cells[0]].append(cells[2:5])
    for line, cells in _csv_rows(files["sdn"], "sdn"):
        ent_num = cells[0]
        if ent_num in ctx.entities:
            ctx.warn("ent_num repeated; later row ignored", line=line, record=ent_num)
            continue
        draft = _sdn_row(ctx, line, cells, comments.get(ent_num, ""))
        for alt_type, alt_name in aliases.pop(ent_num, []):
            draft.add_name(alt_name, _ALIAS_KINDS.get(alt_type, NameKind.ALIAS), NameQuality.STRONG)
        for address in addresses.pop(ent_num, []):
            draft.add_address(*address)
        ctx.keep(draft.build())
    for orphan in sorted(set(aliases) | set(addresses), key=int):
        ctx.warn("aliases or addresses for an ent_num not in SDN.CSV ignored", record=orphan)
    return _finish(ctx, None)


def _sdn_row(ctx: ReadContext, line: int, cells: list[str], more_remarks: str) -> EntityDraft:
    ent_num, name, sdn_type, program, title, call_sign, vess_type = cells[:7]
    tonnage, grt, flag, owner, remarks = cells[7:12]
    schema = _SCHEMAS.get(sdn_type.lower())
    if schema is None:
        ctx.warn(f"unknown SDN_Type {sdn_type!r}, read as LegalEntity", line=line, record=ent_num)
    programs = [p.strip() for p in re.split(r"[\[\]]", program) if p.strip()]
    draft = EntityDraft(ctx, ent_num, schema or Schema.LEGAL_ENTITY, line, programs=programs)
    draft.add_name(name, NameKind.PRIMARY, NameQuality.STRONG)
    if flag:
        draft.add_country(flag, CountryRole.FLAG)
    if call_sign:
        draft.add_identifier("call_sign", call_sign, None)
    labels = ("Title", "Vessel type", "Tonnage", "GRT", "Vessel owner")
    labelled = zip(labels, (title, vess_type, tonnage, grt, owner), strict=True)
    draft.remarks = [f"{label}: {value}" for label, value in labelled if value]
    full_remarks = (remarks + more_remarks).strip()  # the continuation is cut mid-word
    if full_remarks:
        draft.remarks.append(full_remarks)
        _parse_remarks(draft, full_remarks)
    return draft


def _parse_remarks(draft: EntityDraft, remarks: str) -> None:
    """Pull dates, places, countries, gender, documents and weak AKAs out of OFAC remarks."""
    for raw in remarks.split(";"):
        part = raw.strip().rstrip(".").strip()
        part = part[5:].strip() if part.lower().startswith("alt. ") else part
        alias = _ALIAS_REMARK.match(part)
        key, _, value = part.partition(" ")
        if alias:
            quoted = alias.group(2).strip()
            if len(quoted) > 2 and quoted[0] == quoted[-1] == "'":
                kind = NameKind.FORMER if alias.group(1).lower() == "f" else NameKind.ALIAS
                draft.add_name(quoted[1:-1], kind, NameQuality.WEAK)
        elif key == "DOB":
            draft.add_birth_date(value, parse_ofac_date)
        elif key == "POB":
            draft.add_birth_place(value)
        elif key in ("nationality", "citizen"):
            role = CountryRole.NATIONALITY if key == "nationality" else CountryRole.CITIZENSHIP
            draft.add_country(value.removeprefix("possibly "), role)
        elif key == "Gender":
            draft.set_gender(value)
        elif part.startswith("Nationality of Registration "):
            draft.add_country(part[28:], CountryRole.INCORPORATION)
        else:
            _remark_identifier(draft, part)


def _add_document(draft: EntityDraft, kind: str, text: str, country: str | None = None) -> None:
    """Add ``Passport X (Country) issued …``-style text as an identifier."""
    note = ""
    if kind.startswith("crypto_wallet:"):  # the currency travels in the kind until here
        kind, note = kind.split(":", 1)
        value = text.strip()
    elif kind == "imo" or text.startswith("IMO"):
        match = _IMO.search(text)
        kind, value = ("imo", match.group(1)) if match else (kind, text)
    else:
        value = re.split(r"\s+\(|\s+(?:issued|expires)\b", text, maxsplit=1)[0].strip(" .,")
        if country is None:
            brackets = reversed(re.findall(r"\(([^()]*)\)", text))
            country = next((c for c in map(country_code, brackets) if c), None)
    draft.add_identifier(kind, value, country, note)


def _remark_identifier(draft: EntityDraft, part: str) -> None:
    for label, kind in _ID_LABELS:
        if part.startswith(label):
            rest = part[len(label) :].strip()
            if kind == "crypto_wallet":  # "Digital Currency Address - XBT 1A2b…"
                currency, _, rest = rest.partition(" ")
                kind = f"crypto_wallet:{currency}"
            if rest:
                _add_document(draft, kind, rest)
            return


# --- sdnList XML -------------------------------------------------------------------------------


def _text(element: etree._Element, name: str) -> str:
    return next(((child.text or "").strip() for child in local_children(element, name)), "")


def _read_xml(data: bytes, source: str) -> ListFile:
    if "sdnList" not in xml_head(data):
        raise BadInputError(
            "XML is not an OFAC sdnList file",
            where=source,
            hint="use SDN.XML or CONS_PRIM.XML (the advanced XML format is not read)",
        )
    ctx = ReadContext(source)
    published: str | None = None
    for number, element in enumerate(iter_xml_elements(data, source, {"Publish_Date", "sdnEntry"})):
        if etree.QName(element).localname == "Publish_Date":
            published = _us_date(element.text or "")
            continue
        uid = _text(element, "uid")
        if not uid:
            raise BadInputError(
                "sdnEntry without uid",
                where=where(source, record=f"#{number}"),
                hint="the file does not follow the sdnList schema; download it again",
            )
        entity = _xml_entry(ctx, element, uid).build()
        ctx.keep(entity, repeated="uid repeated; later entry ignored")
    return _finish(ctx, published)


def _us_date(text: str) -> str | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    if match is None:
        return text.strip() or None
    month, day, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _xml_entry(ctx: ReadContext, entry: etree._Element, uid: str) -> EntityDraft:
    sdn_type = _text(entry, "sdnType").lower()
    if sdn_type not in _SCHEMAS:
        ctx.warn(f"unknown sdnType {sdn_type!r}, read as LegalEntity", record=uid)
    programs = [(p.text or "").strip() for p in local_children(entry, "programList", "program")]
    schema = _SCHEMAS.get(sdn_type, Schema.LEGAL_ENTITY)
    draft = EntityDraft(ctx, uid, schema, programs=[p for p in programs if p])
    _xml_name(draft, entry, NameKind.PRIMARY, NameQuality.STRONG)
    for aka in local_children(entry, "akaList", "aka"):
        kind = NameKind.FORMER if _text(aka, "type").lower().startswith("f") else NameKind.ALIAS
        weak = _text(aka, "category").lower() == "weak"
        _xml_name(draft, aka, kind, NameQuality.WEAK if weak else NameQuality.STRONG)
    for item in local_children(entry, "dateOfBirthList", "dateOfBirthItem"):
        draft.add_birth_date(_text(item, "dateOfBirth"), parse_ofac_date)
    for item in local_children(entry, "placeOfBirthList", "placeOfBirthItem"):
        draft.add_birth_place(_text(item, "placeOfBirth"))
    for item in local_children(entry, "nationalityList", "nationality"):
        draft.add_country(_text(item, "country"), CountryRole.NATIONALITY)
    for item in local_children(entry, "citizenshipList", "citizenship"):
        draft.add_country(_text(item, "country"), CountryRole.CITIZENSHIP)
    for item in local_children(entry, "idList", "id"):
        _xml_identifier(draft, item)
    for item in local_children(entry, "addressList", "address"):
        fields = ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode")
        draft.add_address(*(_text(item, f) for f in fields), _text(item, "country"))
    for vessel in local_children(entry, "vesselInfo"):
        draft.add_country(_text(vessel, "vesselFlag"), CountryRole.FLAG)
        if _text(vessel, "callSign"):
            draft.add_identifier("call_sign", _text(vessel, "callSign"), None)
        for label, tag in (("Vessel type", "vesselType"), ("Vessel owner", "vesselOwner")):
            if _text(vessel, tag):
                draft.remarks.append(f"{label}: {_text(vessel, tag)}")
    if _text(entry, "title"):
        draft.remarks.insert(0, f"Title: {_text(entry, 'title')}")
    if _text(entry, "remarks"):
        draft.remarks.append(_text(entry, "remarks"))
    return draft


def _xml_name(draft: EntityDraft, el: etree._Element, kind: NameKind, quality: NameQuality) -> None:
    first, last = _text(el, "firstName"), _text(el, "lastName")
    if draft.schema is Schema.PERSON:
        draft.add_name("", kind, quality, given=first, family=last)
    else:
        draft.add_name(f"{first} {last}", kind, quality)


def _xml_identifier(draft: EntityDraft, item: etree._Element) -> None:
    label, number = _text(item, "idType"), _text(item, "idNumber")
    country = _text(item, "idCountry")
    if label == "Gender":
        draft.set_gender(number)
    elif label == "Nationality of Registration":
        draft.add_country(country or number, CountryRole.INCORPORATION)
    elif number:
        for prefix, kind in _ID_LABELS:
            if label.startswith(prefix):
                if kind == "crypto_wallet":  # idType "Digital Currency Address - XBT"
                    kind = f"crypto_wallet:{label[len(prefix) :].strip()}"
                _add_document(draft, kind, number, country_code(country))
                return
