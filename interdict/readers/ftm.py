"""Reader for FollowTheMoney (FtM) JSON lines, the export format of OpenSanctions and Aleph.

Each line is one JSON object ``{"id", "schema", "properties": {prop: [str, …]}, …}``. Plain
``json`` parsing: the ``followthemoney`` package is not needed. Mapping onto our model:

- Schemas (:data:`~interdict.model.ftm.FTM_SCHEMAS`): Person → Person; Organization, Company,
  PublicBody → Organization; LegalEntity → LegalEntity; Vessel → Vessel; Airplane → Aircraft.
  ``id`` → ``source_id``, without the ``LIST:`` prefix of an id Interdict exported when
  ``datasets`` is that one list (``un:QDi.372`` → ``QDi.372``). A target-schema entity marked
  ``"target": false`` (an OpenSanctions relative or owner who is not designated) is skipped,
  as are other schemas (Ownership, Family …); one warning counts what was skipped.
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
- The ``"interdict"`` details of an entity Interdict exported replace names, dates of birth,
  countries, identifiers and addresses read from the properties, when they agree with them
  (:func:`~interdict.model.ftm.apply_details`); otherwise a warning says the properties won.

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
from dataclasses import dataclass
from functools import partial
from itertools import product
from pathlib import Path

from interdict.errors import BadInputError, where
from interdict.model import (
    Address,
    CountryRole,
    Entity,
    Identifier,
    NameKind,
    NameQuality,
    Party,
    Schema,
)
from interdict.model.countries import country_code
from interdict.model.ftm import DETAILS_KEY, apply_details
from interdict.model.ftm import FTM_SCHEMAS as _SCHEMAS
from interdict.readers.base import ListFile, read_limited
from interdict.readers.draft import (
    EntityDraft,
    ReadContext,
    RecordStyle,
    add_once,
    parse_iso_date,
)
from interdict.readers.parties import parse_party_fields

__all__ = ["MAX_EXAMPLE_PARTIES", "read_example", "read_ftm"]

SOURCE_FORMAT = "ftm"
_STYLE = RecordStyle(
    noun="entity",
    no_name="entity has no usable name; skipped",
    rank_names=False,
    remark_separator="\n",
    unique_remarks=True,
)
_Props = dict[str, list[str]]

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


@dataclass(frozen=True)
class _Line:
    """One parsed line: where it was, and the entity it holds."""

    number: int
    id: str
    source_id: str
    schema: str
    props: _Props
    referents: tuple[str, ...]
    target: bool | None
    last_change: str | None
    details: object = None


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
    ctx = ReadContext(source)
    used: set[str] = set()
    seen: set[str] = set()
    for line in lines:
        if line.schema not in _SCHEMAS or line.target is False:
            continue
        if line.id in seen:
            ctx.warn("id listed twice; the later line is skipped", line=line.number, record=line.id)
            continue
        seen.add(line.id)
        helpers = linked.get(line.id, [])
        homes = [addresses[key] for key in line.props.get("addressEntity", []) if key in addresses]
        used.update(other.id for other in [line, *helpers, *homes])
        ctx.keep(_build(ctx, line, homes, helpers))
    skipped = Counter(
        line.schema if line.schema not in _SCHEMAS else f"non-target {line.schema}"
        for line in lines
        if line.id not in used
    )
    if skipped:
        counts = ", ".join(f"{count} {schema}" for schema, count in sorted(skipped.items()))
        ctx.warn(f"entities not imported (not targets, or unlinked): {counts}")
    published = max((line.last_change for line in lines if line.last_change), default=None)
    return ctx.list_file(
        SOURCE_FORMAT,
        published,
        empty="the file holds no Person, Organization, Company, LegalEntity, Vessel or Airplane",
        hint="is this a FollowTheMoney entities export?",
    )


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
    datasets = obj.get("datasets", [])
    return _Line(
        number=number,
        id=entity_id.strip(),
        source_id=_source_id(entity_id.strip(), datasets),
        schema=schema,
        props=props,
        referents=tuple(referents),
        target=target if isinstance(target, bool) else None,
        last_change=last_change if isinstance(last_change, str) and last_change else None,
        details=obj.get(DETAILS_KEY),
    )


def _source_id(entity_id: str, datasets: object) -> str:
    """The id without the ``LIST:`` prefix Interdict's own export gives it (``un:QDi.372``)."""
    if isinstance(datasets, list) and len(datasets) == 1 and isinstance(datasets[0], str):
        prefix = f"{datasets[0]}:"
        if entity_id.startswith(prefix) and len(entity_id) > len(prefix):
            return entity_id[len(prefix) :]
    return entity_id


def _keys(line: _Line) -> list[str]:
    return [line.id, *line.referents]


def _build(
    ctx: ReadContext, line: _Line, homes: list[_Line], helpers: list[_Line]
) -> Entity | None:
    props = line.props
    draft = EntityDraft(ctx, line.source_id, _SCHEMAS[line.schema], line.number)
    _names(props, draft)
    _facts(props, homes, draft)
    for prop, label in _REMARK_PROPS:
        draft.remarks += [f"{label}{v.strip()}" for v in props.get(prop, []) if v.strip()]
    draft.programs = [p.strip() for p in props.get("program", []) + props.get("programId", [])]
    listing_dates: list[str] = []
    for helper in helpers:
        listing_dates += _helper(helper, draft)
    draft.programs = [p for p in draft.programs if p]
    created = [d for d in map(_day, props.get("createdAt", [])) if d]
    draft.listed_on = min(listing_dates or created, default=None)
    draft.birth_places = [p.strip() for p in props.get("birthPlace", []) if p.strip()]
    draft.gender = next((g for g in props.get("gender", []) if g in {"male", "female"}), None)
    entity = draft.build(_STYLE)
    if entity is None or line.details is None:
        return entity
    detailed = apply_details(entity, line.details)
    if detailed is None:
        ctx.warn(
            f"the {DETAILS_KEY!r} details disagree with the properties; the properties are used",
            line=line.number,
            record=line.id,
        )
    return detailed or entity


def _facts(props: _Props, homes: list[_Line], draft: EntityDraft) -> None:
    """Dates of birth, countries, identifiers and addresses of one entity."""
    for value in props.get("birthDate", []):
        add_once(draft.birth_dates, draft.attempt(partial(parse_iso_date, value), "birth date"))
    for prop, role in _COUNTRY_PROPS.items():
        for value in props.get(prop, []):
            _country(draft, value, role)
    for prop, kind in _ID_PROPS.items():
        for value in props.get(prop, []):
            make = partial(Identifier, kind=kind, value=value.strip())
            add_once(draft.identifiers, draft.attempt(make, prop))
    for value in props.get("address", []):
        add_once(draft.addresses, draft.attempt(partial(Address, full=value.strip()), "address"))
    for home in homes:
        _address_entity(home.props, draft)


def _names(props: _Props, draft: EntityDraft) -> None:
    values = {prop: props.get(prop, []) for prop, _, _ in _NAME_PROPS}
    if not values["name"] and draft.schema is Schema.PERSON:
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
            draft.add_name_once(full, kind, quality, given=given, family=family)


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


def _address_entity(props: _Props, draft: EntityDraft) -> None:
    country = None
    for value in props.get("country", []):
        country = _country(draft, value, CountryRole.ADDRESS) or country
    parts = ("street", "city", "postalCode", "region", "country")
    full = next(iter(props.get("full", [])), "") or ", ".join(
        props[p][0] for p in parts if props.get(p)
    )
    if full.strip():
        make = partial(Address, full=full.strip(), country=country)
        add_once(draft.addresses, draft.attempt(make, "address"))


def _helper(helper: _Line, draft: EntityDraft) -> list[str]:
    """Fold a linked Sanction or Identification into the draft; returns listing dates found."""
    props = helper.props
    if helper.schema == "Sanction":
        dates = props.get("listingDate", []) + props.get("startDate", [])
        draft.remarks += [f"Sanction: {r.strip()}" for r in props.get("reason", []) if r.strip()]
        draft.programs += props.get("program", []) + props.get("programId", [])
        return [d for d in map(_day, dates) if d]
    if helper.schema in {"Identification", "Passport"}:
        doc_type = next(iter(props.get("type", [])), "")
        kind = "national_id" if "national" in doc_type.lower() else "other"
        if helper.schema == "Passport" or "passport" in doc_type.lower():
            kind = "passport"
        country = next((_country(draft, c, None) for c in props.get("country", [])), None)
        for number in props.get("number", []):
            make = partial(
                Identifier, kind=kind, value=number.strip(), country=country, note=doc_type or None
            )
            add_once(draft.identifiers, draft.attempt(make, "identification"))
    return []


def _country(draft: EntityDraft, value: str, role: CountryRole | None) -> str | None:
    """An FtM country value (``ru``, ``suhh``, a name) as ISO alpha-2, attached with ``role``."""
    text = value.strip()
    code = text.upper() if re.fullmatch(r"[A-Za-z]{2}", text) else country_code(text)
    if code == "ZZ":  # FtM's "global / unknown"
        return None
    if code is None:
        draft.warn(f"country {text!r} is not known; dropped")
        return None
    return draft.keep_country(code, role)


def _day(text: str) -> str | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        return None


MAX_EXAMPLE_PARTIES = 20
"""Most parties one FtM example is screened as (its names × dates of birth × identifiers)."""
_EXAMPLE_NAMES = ("name", "alias", "previousName")
_EXAMPLE_COUNTRIES = (*_COUNTRY_PROPS, "mainCountry")
_EXAMPLE_HINT = (
    'send {"schema": "Person", "properties": {"name": ["…"], "birthDate": ["1975-04-21"]}}'
)


def read_example(key: str, example: object) -> list[Party]:
    """The parties to screen for one FtM example (a query of yente's ``/match``).

    ``example`` is ``{"schema", "properties": {prop: value or [values]}, "id"?}``. Each name
    (``name``, ``alias``, ``previousName``, else ``firstName`` + ``lastName``) is screened with
    each date of birth and each identifier, at most :data:`MAX_EXAMPLE_PARTIES` parties; all the
    countries go with every one. Properties we do not screen on (``address`` …) are ignored.
    """
    where = f"queries.{key}"
    if not isinstance(example, dict):
        raise BadInputError("a query must be an object", where=where, hint=_EXAMPLE_HINT)
    schema = example.get("schema")
    if schema not in _SCHEMAS:
        raise BadInputError(
            f"schema {str(schema)[:40]!r} is not one we screen",
            where=f"{where}.schema",
            hint=f"use one of: {', '.join(_SCHEMAS)}",
        )
    props = _example_props(example.get("properties"), f"{where}.properties")
    names = [v for p in _EXAMPLE_NAMES for v in props.get(p, [])]
    if not names:
        parts = [props[p][0] for p in ("firstName", "lastName") if props.get(p)]
        names = [" ".join(parts)] if parts else []
    if not names:
        raise BadInputError("no name", where=f"{where}.properties", hint=_EXAMPLE_HINT)
    dates: list[str | None] = [d[:10] for d in props.get("birthDate", [])] or [None]
    numbers: list[str | None] = [v for p in _ID_PROPS for v in props.get(p, [])] or [None]
    countries = [v for p in _EXAMPLE_COUNTRIES for v in props.get(p, [])]
    parties: list[Party] = []
    for name, date, number in product(dict.fromkeys(names), dates, numbers):
        fields = {
            "id": key,
            "name": name,
            "birth_date": date,
            "country": countries,
            "gender": next(iter(props.get("gender", [])), None),
            "id_number": number,
            "schema": _SCHEMAS[schema].value,
        }
        row = parse_party_fields(fields, 1)
        if row.party is None:
            reason = str(row.error).removeprefix("line 1: ")
            raise BadInputError(reason, where=f"{where}.properties", hint=_EXAMPLE_HINT)
        parties.append(row.party)
    return parties[:MAX_EXAMPLE_PARTIES]


def _example_props(value: object, where: str) -> dict[str, list[str]]:
    """Properties as lists of non-blank strings (yente accepts a single string too)."""
    if not isinstance(value, dict):
        raise BadInputError("properties must be an object", where=where, hint=_EXAMPLE_HINT)
    props: dict[str, list[str]] = {}
    for prop, values in value.items():
        items = values if isinstance(values, list) else [values]
        if not all(isinstance(v, str) for v in items):
            raise BadInputError(
                f"{prop} must be text or a list of texts", where=where, hint=_EXAMPLE_HINT
            )
        props[str(prop)] = [v.strip() for v in items if v.strip()]
    return props
