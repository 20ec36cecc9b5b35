"""The generic CSV for in-house lists: a small, strict contract.

Contract (keep it exactly; users write these files by hand or export them from their own tools):

- a header row; ``id`` and ``name`` are required columns;
- optional ``schema`` (Person, Organization, Vessel, Aircraft; missing means LegalEntity),
  ``alias_quality`` (strong, weak), ``birth_date`` (YYYY or YYYY-MM-DD), ``country`` (ISO
  alpha-2 code or an English name), ``gender`` (male, female, m, f), ``id_number``;
- several rows with one ``id`` are one entity: the first row's name is the primary name, later
  rows' names are aliases; their other fields are merged;
- unknown columns are ignored with a warning.

A file that is not sound (no header, no ``id`` or ``name`` column, a row with the wrong number of
fields or no id, rows of one id with different schemas) is refused with the line and what to do.
An attribute value the reader cannot interpret inside a sound row (a misspelt country, an odd
date, an unknown gender, schema or alias quality) never refuses the list: it is kept as written
in the entity's remarks (``country as written: Belrus``) and reported as a warning naming the
file and line. A row without a name only contributes its other fields (with a warning).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from interdict.errors import BadInputError, where
from interdict.model import CountryRole, NameKind, NameQuality, PartialDate, Schema
from interdict.model.countries import country_code
from interdict.readers.base import ListFile, decode_text, iter_csv_rows, read_limited
from interdict.readers.draft import GENDERS, EntityDraft, ReadContext

__all__ = ["COLUMNS", "read_csv_list"]

COLUMNS = ("id", "name", "schema", "alias_quality", "birth_date", "country", "gender", "id_number")
"""Every column the contract knows, the two required ones first."""

_SCHEMAS = {s.value.lower(): s for s in Schema}
_QUALITIES = {"": NameQuality.STRONG, "strong": NameQuality.STRONG, "weak": NameQuality.WEAK}
_DATE = re.compile(r"\d{4}(-\d{2}-\d{2})?", re.ASCII)


def read_csv_list(path: Path) -> ListFile:
    """Read an in-house list in the generic CSV contract (see the module docstring)."""
    source = str(path)
    rows = iter_csv_rows(decode_text(read_limited(path), source), source)
    ctx = ReadContext(source)
    header_line, header = next(rows, (1, []))
    columns = {" ".join(name.split()).lower(): i for i, name in reversed(list(enumerate(header)))}
    missing = [name for name in COLUMNS[:2] if name not in columns]
    if missing:
        raise BadInputError(
            f"missing column(s) {', '.join(missing)} in the header",
            where=where(source, line=header_line),
            hint=f"the first row must name the columns, e.g. {','.join(COLUMNS)}",
        )
    unknown = [name for name in columns if name not in COLUMNS]
    if unknown:
        ctx.warn(f"unknown columns ignored: {', '.join(unknown)}", line=header_line)
    drafts: dict[str, EntityDraft] = {}
    for line, cells in rows:
        if len(cells) != len(header):
            raise BadInputError(
                f"{len(cells)} fields where the header has {len(header)}",
                where=where(source, line=line),
                hint="quote values that contain commas, and give every row every column",
            )
        row = {name: cells[i].strip() for name, i in columns.items() if name in COLUMNS}
        _add_row(drafts, ctx, row, line)
    for draft in drafts.values():
        ctx.keep(draft.build())
    return ctx.list_file(
        "csv", None, empty="the list has no entities", hint="add rows under the header row"
    )


def _add_row(
    drafts: dict[str, EntityDraft], ctx: ReadContext, row: dict[str, str], line: int
) -> None:
    """Merge one row into its entity, refusing any value the contract does not allow."""
    source = ctx.source
    entity_id = row["id"]
    if not entity_id:
        hint = "every row needs the id of the entity it belongs to"
        raise BadInputError("id is empty", where=where(source, line=line), hint=hint)
    schema = _SCHEMAS.get(row.get("schema", "").lower())
    draft = drafts.get(entity_id)
    if draft is None:
        draft = drafts[entity_id] = EntityDraft(ctx, entity_id, schema or Schema.LEGAL_ENTITY, line)
    elif schema is not None and schema is not draft.schema:
        raise BadInputError(
            f"schema {schema.value} differs from {draft.schema.value} on an earlier row",
            where=where(source, line=line),
            hint="give all rows of one id the same schema, or leave it empty on alias rows",
        )
    draft.line = line  # warnings name the row being read
    if row.get("schema") and schema is None:
        _kept(draft, "schema", row["schema"], "write Person, Organization, Vessel or Aircraft")
    quality = _QUALITIES.get(row.get("alias_quality", "").lower())
    if quality is None:
        _kept(draft, "alias_quality", row["alias_quality"], "write strong or weak")
    kind = NameKind.ALIAS if draft.names else NameKind.PRIMARY
    if row["name"]:
        draft.add_name(row["name"], kind, quality or NameQuality.STRONG, list_order=False)
    else:
        ctx.warn("row has no name; only its other fields are used", line=line, record=entity_id)
    _add_attributes(draft, row)


def _add_attributes(draft: EntityDraft, row: dict[str, str]) -> None:
    """Date of birth, country, gender and document of one row; odd values are kept as written."""
    if row.get("birth_date"):
        birth_date = _birth_date(row["birth_date"])
        if birth_date is None:
            hint = "write YYYY or YYYY-MM-DD, e.g. 1970 or 1970-05-31"
            _kept(draft, "birth_date", row["birth_date"], hint)
        else:
            draft.birth_dates.append(birth_date)
    if row.get("country"):
        code = country_code(row["country"])
        if code is None:
            hint = "use an ISO code such as KZ, or a name"
            _kept(draft, "country", row["country"], hint)
        else:
            draft.add_country(code, CountryRole.OTHER)
    if row.get("gender"):
        gender = GENDERS.get(row["gender"].lower())
        if gender is None:
            _kept(draft, "gender", row["gender"], "write male, female, m or f")
        else:
            draft.set_gender(gender)
    if row.get("id_number"):
        draft.add_identifier("id_number", row["id_number"], None)


def _birth_date(text: str) -> PartialDate | None:
    if _DATE.fullmatch(text):
        try:
            if len(text) == 10:
                datetime.date.fromisoformat(text)  # rejects 1970-02-30
            return PartialDate.parse(text)
        except ValueError:
            pass
    return None


def _kept(draft: EntityDraft, column: str, value: str, hint: str) -> None:
    """Keep a value the reader cannot interpret as written (in remarks) and warn about it."""
    draft.remarks.append(f"{column} as written: {value[:200]}")
    draft.warn(f"{column} {value[:60]!r} not understood, kept as written in remarks ({hint})")
