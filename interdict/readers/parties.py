"""Screening input: customer files (CSV or JSON Lines) read one party at a time.

A customer file can hold millions of rows, so it is streamed, never loaded whole. A broken row
(no name, a bad date, an unknown schema…) becomes a :class:`PartyRow` carrying an error that names
the line, and reading goes on; only a broken *file* (no ``id``/``name`` column, undecodable,
not JSON objects at all) raises :class:`~interdict.errors.BadInputError`.

Columns / keys: ``id`` and ``name`` required; ``birth_date`` (YYYY, YYYY-MM, YYYY-MM-DD,
DD.MM.YYYY, DD/MM/YYYY), ``country`` (ISO alpha-2/3 or a name), ``gender`` (m/f/male/female),
``id_number`` and ``schema`` (Person, Organization, Vessel, Aircraft, LegalEntity) optional.
Common synonyms are read as these (:data:`SYNONYMS`: ``dob`` → ``birth_date``, ``full_name`` →
``name`` …); other columns are ignored, and :func:`inspect_parties` says which. A CSV's
delimiter (comma, semicolon, tab or pipe) is sniffed from its header unless given.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import json
import re
import unicodedata
from collections.abc import Generator, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from interdict.errors import BadInputError, where
from interdict.model import CountryRole, EntityCountry, PartialDate, Party, Schema
from interdict.model.countries import country_code
from interdict.model.entity import MAX_NAME_LENGTH
from interdict.readers.base import describe_validation_error

if TYPE_CHECKING:
    import _csv

__all__ = [
    "DELIMITERS",
    "FIELDS",
    "SYNONYMS",
    "PartyLayout",
    "PartyRow",
    "inspect_parties",
    "parse_party_fields",
    "read_parties",
]

FIELDS = ("id", "name", "birth_date", "country", "gender", "id_number", "schema")
"""The fields a party record may carry; ``id`` and ``name`` are required."""
SYNONYMS = {
    "full_name": "name",
    "dob": "birth_date",
    "date_of_birth": "birth_date",
    "birthdate": "birth_date",
    "nationality": "country",
    "citizenship": "country",
    "passport": "id_number",
    "passport_number": "id_number",
    "document": "id_number",
}
"""Column names read as one of :data:`FIELDS` (when that field's own column is absent)."""
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
"""CSV delimiters the header is sniffed for, with the names errors use."""

_HEAD_BYTES = 65536
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_GENDERS = {"m": "male", "male": "male", "f": "female", "female": "female"}
_NO_GENDER = {"", "u", "unknown", "x", "n/a", "-"}
_SCHEMAS = {s.value.lower(): s for s in Schema}
_DAY_FIRST = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", re.ASCII)
_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?", re.ASCII)


@dataclass(frozen=True)
class PartyRow:
    """One record of the input: a party, or the error that kept it from being one."""

    line: int
    party: Party | None
    error: str | None
    raw_id: str | None


@dataclass(frozen=True)
class PartyLayout:
    """How a customer file is laid out: what :func:`read_parties` will read from it."""

    format: str
    """``csv`` or ``jsonl``."""
    delimiter: str | None
    """The CSV delimiter (given or sniffed); ``None`` for JSON Lines."""
    columns: dict[str, str]
    """Field → the column (or first record's key) it is read from, e.g. ``birth_date: dob``."""
    ignored: tuple[str, ...]
    """Columns (or keys of the first record) that are not read."""


class _RowError(ValueError):
    """A field of one record is unusable; the record becomes an error row."""


def inspect_parties(path: Path, *, delimiter: str | None = None) -> PartyLayout:
    """Check a customer file's structure (found, readable, ``id`` and ``name`` present) and
    say how it will be read; raises :class:`BadInputError` for a file that cannot be screened.

    Cheap (it reads the head only): call it before costly work so that a wrong file is
    reported at once.
    """
    src = _inspect(path)
    if _is_jsonl(src):
        keys = list(_check_first_object(src))
        columns, ignored = _column_map(keys)
        return PartyLayout("jsonl", None, columns, ignored)
    chosen = delimiter or _sniff_delimiter(src.head)
    with closing(_lines(src)) as lines:
        reader = csv.reader(lines, delimiter=chosen, strict=True)
        _, columns, ignored = _csv_header(reader, src.name)
    return PartyLayout("csv", chosen, columns, ignored)


def read_parties(path: Path, *, delimiter: str | None = None) -> Iterator[PartyRow]:
    """Stream the parties of a CSV or JSON Lines file, one :class:`PartyRow` per record.

    The format comes from the extension (.csv, .jsonl, .ndjson, .json) or else from the content;
    a CSV's ``delimiter`` is sniffed from its header unless given.
    File-level problems raise :class:`BadInputError` here, before the first row; the returned
    iterator opens the file again when first used and closes it when exhausted or discarded.
    """
    layout = inspect_parties(path, delimiter=delimiter)
    src = _inspect(path)
    if layout.format == "jsonl":
        return _jsonl_rows(src)
    assert layout.delimiter is not None
    return _csv_rows(src, layout.delimiter)


def _is_jsonl(src: _Source) -> bool:
    suffix = src.path.suffix.lower()
    first = src.head.lstrip("\ufeff \t\r\n")[:1]
    return suffix in (".jsonl", ".ndjson", ".json") or (suffix != ".csv" and first in ("{", "["))


def _column_key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip()).lower()


def _column_map(names: list[str]) -> tuple[dict[str, str], tuple[str, ...]]:
    """Field → the column read for it (its own name first, else a synonym), and the rest."""
    columns: dict[str, str] = {}
    for name in names:
        key = _column_key(name)
        if key in FIELDS and key not in columns:
            columns[key] = name
    for name in names:
        field = SYNONYMS.get(_column_key(name))
        if field is not None and field not in columns:
            columns[field] = name
    used = set(columns.values())
    return columns, tuple(name for name in names if name not in used and name.strip())


def _canonical(mapping: Mapping[str, object]) -> dict[str, object]:
    """A record's fields under their :data:`FIELDS` names (synonyms read, the rest dropped)."""
    names = [str(k) for k in mapping]
    columns, _ = _column_map(names[::-1])  # as in a dict: a later key wins over an earlier
    by_name = {str(k): v for k, v in mapping.items()}
    return {field: by_name[name] for field, name in columns.items()}


def parse_party_fields(mapping: Mapping[str, object], line: int) -> PartyRow:
    """Validate one record's fields (CSV row or JSON object) into a :class:`PartyRow`.

    Keys are matched case-insensitively, :data:`SYNONYMS` read as their field; unknown keys
    are ignored. Never raises: every problem becomes the row's ``error``, which names the line.
    """
    fields = _canonical(mapping)
    raw_id: str | None = None
    try:
        raw_id = _text(fields, "id") or None
        if raw_id is None:
            raise _RowError("no id")
        name = " ".join(_text(fields, "name").split())
        if not name:
            raise _RowError("no name")
        if not any(_visible(char) for char in name):
            raise _RowError(
                "name has no visible character (only spaces, marks, formatting or invisible"
                " characters)"
            )
        if len(name) > MAX_NAME_LENGTH:
            raise _RowError(f"name is {len(name)} characters, more than {MAX_NAME_LENGTH}")
        party = Party(
            id=raw_id,
            name=name,
            birth_date=_birth_date(_text(fields, "birth_date")),
            countries=_countries(fields.get("country")),
            gender=_gender(_text(fields, "gender")),
            id_number=_text(fields, "id_number") or None,
            schema=_schema(_text(fields, "schema")),
        )
    except _RowError as exc:
        return PartyRow(line, None, f"line {line}: {exc}", raw_id)
    except ValidationError as exc:
        return PartyRow(line, None, f"line {line}: {describe_validation_error(exc)}", raw_id)
    return PartyRow(line, party, None, raw_id)


_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Hangul fillers and the blank Braille pattern: letters or symbols by category, drawn blank."""


def _visible(char: str) -> bool:
    """Whether ``char`` draws something: a letter, digit, punctuation or symbol (not a space,
    a combining mark alone, a format or bidi control, a zero-width character)."""
    return unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_LETTERS


def _text(fields: Mapping[str, object], key: str) -> str:
    value = fields.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _RowError(f"{key} must be text, not {type(value).__name__}")
    text = str(value).strip()
    if _CONTROL.search(text):
        raise _RowError(f"{key} contains a control character")
    return text


def _birth_date(text: str) -> PartialDate | None:
    if not text:
        return None
    day_first = _DAY_FIRST.fullmatch(text)
    iso = f"{day_first[3]}-{int(day_first[2]):02d}-{int(day_first[1]):02d}" if day_first else text
    try:
        if not _ISO.fullmatch(iso):
            raise ValueError(iso)
        if len(iso) == 10:
            datetime.date.fromisoformat(iso)  # rejects 31.02.1970
        return PartialDate.parse(iso)
    except ValueError:
        hint = "use YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY"
        raise _RowError(f"birth_date {text[:40]!r} not understood ({hint})") from None


def _countries(value: object) -> tuple[EntityCountry, ...]:
    items = value if isinstance(value, list) else [value]
    codes: list[str] = []
    for item in items:
        text = _text({"country": item}, "country")
        if not text:
            continue
        code = country_code(text)
        if code is None:
            raise _RowError(f"country {text[:40]!r} not recognised (use ISO codes or names)")
        codes.append(code)
    return tuple(EntityCountry(code=c, role=CountryRole.OTHER) for c in dict.fromkeys(codes))


def _gender(text: str) -> str | None:
    if text.lower() in _NO_GENDER:
        return None
    gender = _GENDERS.get(text.lower())
    if gender is None:
        raise _RowError(f"gender {text[:20]!r} not understood (use m, f, male or female)")
    return gender


def _schema(text: str) -> Schema | None:
    if not text:
        return None
    schema = _SCHEMAS.get(text.lower())
    if schema is None:
        known = ", ".join(s.value for s in Schema)
        raise _RowError(f"schema {text[:40]!r} unknown (use one of {known})")
    return schema


# --- files -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """A file to stream, with the encoding its first bytes show."""

    path: Path
    encoding: str
    errors: str
    head: str
    complete: bool
    """The head is the whole file."""

    @property
    def name(self) -> str:
        return str(self.path)


def _inspect(path: Path) -> _Source:
    """Read the head of the file to choose its encoding; refuse missing, empty, binary files."""
    if not path.is_file():
        raise BadInputError("file not found", where=str(path), hint="check the path")
    with path.open("rb") as raw:
        head = raw.read(_HEAD_BYTES)
    encoding, errors = _encoding(head, str(path))
    text = head.decode(encoding, errors="ignore")
    if not text.strip("\ufeff \t\r\n"):
        raise BadInputError("file is empty", where=str(path), hint="is this the right file?")
    return _Source(path, encoding, errors, text, len(head) < _HEAD_BYTES)


def _lines(src: _Source) -> Generator[str, None, None]:
    """The file's lines, decoded one by one so that an undecodable line is named exactly."""
    if src.encoding == "utf-16":  # not line-aligned in bytes: decode as a stream
        with src.path.open(encoding="utf-16", newline="") as handle:
            number = 0
            try:
                for text in handle:
                    number += 1
                    yield text
            except UnicodeDecodeError as exc:
                raise _decode_error(exc, src.name, number + 1) from exc
        return
    with src.path.open("rb") as raw:
        for number, data in enumerate(raw, 1):
            try:
                yield data.decode(src.encoding, src.errors)
            except UnicodeDecodeError as exc:
                raise _decode_error(exc, src.name, number) from exc


def _encoding(head: bytes, source: str) -> tuple[str, str]:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "strict"
    if b"\x00" in head:
        raise BadInputError(
            "file contains NUL bytes: binary, or UTF-16 without a byte-order mark",
            where=source,
            hint="save it as UTF-8 CSV or JSON Lines",
        )
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3 or len(head) < _HEAD_BYTES:
            return "cp1252", "replace"  # a Windows export; never fails to decode
    return "utf-8-sig", "strict"


def _decode_error(exc: UnicodeDecodeError, source: str, line: int) -> BadInputError:
    return BadInputError(
        f"undecodable text ({exc.reason})",
        where=where(source, line=line),
        hint="the file mixes encodings; save it as UTF-8",
    )


def _sniff_delimiter(head: str) -> str:
    """The delimiter of the header line (the first non-blank one); a comma if unclear."""
    header = next((line for line in head.lstrip("\ufeff").splitlines() if line.strip()), "")
    try:
        return csv.Sniffer().sniff(header, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","


def _csv_header(
    reader: _csv.Reader, source: str
) -> tuple[list[str], dict[str, str], tuple[str, ...]]:
    """The header row, field → column name, and the columns not read; refuses a header
    without ``id`` and ``name``, naming the delimiter it was split with."""
    try:
        header: list[str] = next((row for row in reader if any(c.strip() for c in row)), [])
    except csv.Error as exc:
        raise BadInputError(f"malformed CSV header: {exc}", where=source) from exc
    columns, ignored = _column_map(header)
    missing = [name for name in FIELDS[:2] if name not in columns]
    if missing:
        delimiter = reader.dialect.delimiter
        seen = ", ".join(repr(c) for c in header[:6])
        raise BadInputError(
            f"missing column(s) {', '.join(missing)} in the header, read as"
            f" {DELIMITERS.get(delimiter, repr(delimiter))}-separated (columns seen: {seen})",
            where=where(source, line=reader.line_num),
            hint=f"the first row must name the columns, e.g. {','.join(FIELDS)};"
            " for another separator give --delimiter",
        )
    return header, columns, ignored


def _csv_rows(src: _Source, delimiter: str) -> Iterator[PartyRow]:
    with closing(_lines(src)) as lines:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        header, named, _ = _csv_header(reader, src.name)
        columns = {field: header.index(name) for field, name in named.items()}
        width = max(columns.values()) + 1
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield PartyRow(line, None, f"line {line}: malformed CSV: {exc}", None)
                continue
            if any(cell.strip() for cell in cells):
                cells += [""] * (width - len(cells))
                yield parse_party_fields({k: cells[i] for k, i in columns.items()}, line)


def _check_first_object(src: _Source) -> list[str]:
    """The keys of the first record; refuses a first line that is not a JSON object, or one
    with no ``id`` or ``name`` (nor a synonym)."""
    lines = src.head.lstrip("\ufeff").splitlines(keepends=True)
    first = next((line for line in lines if line.strip()), "")
    if not first.endswith(("\n", "\r")) and not src.complete:
        return []  # the first line is longer than the head; the rows will speak for themselves
    try:
        value = json.loads(first)
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise BadInputError(
            "the first line is not a JSON object",
            where=where(src.name, line=1),
            hint='write JSON Lines: one object per line, e.g. {"id": "1", "name": "…"}',
        )
    keys = [str(k) for k in value]
    columns, _ = _column_map(keys)
    missing = [name for name in FIELDS[:2] if name not in columns]
    if missing:
        seen = ", ".join(repr(k) for k in keys[:6])
        raise BadInputError(
            f"the first record has no {' or '.join(missing)} key (keys seen: {seen})",
            where=where(src.name, line=1),
            hint=f"records need id and name, optionally {', '.join(FIELDS[2:])}",
        )
    return keys


def _jsonl_rows(src: _Source) -> Iterator[PartyRow]:
    with closing(_lines(src)) as lines:
        for line, text in enumerate(lines, 1):
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except (ValueError, RecursionError) as exc:
                yield PartyRow(line, None, f"line {line}: not JSON ({str(exc)[:80]})", None)
                continue
            if isinstance(value, dict):
                yield parse_party_fields(value, line)
            else:
                yield PartyRow(line, None, f"line {line}: not a JSON object", None)
