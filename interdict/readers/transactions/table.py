"""What every transaction reader shares: row-level validation into the canonical Arrow table.

A reader collects raw column values (strings, or already-typed arrays) with the source line of
each row, and :func:`conform` checks them column by column with vectorised Arrow kernels. A row
with any bad value is kept out of the table and reported with its line and the reason; nothing is
guessed or silently repaired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from interdict.errors import BadInputError, where
from interdict.model.transaction import COLUMNS, LABEL_COLUMN, TIMESTAMP_TYPE, transaction_schema
from interdict.readers.base import decode_text, iter_csv_rows, read_limited

__all__ = [
    "MAX_PROBLEMS_LISTED",
    "TransactionFile",
    "conform",
    "parse_iso_timestamps",
    "read_csv_columns",
    "read_text",
]

MAX_PROBLEMS_LISTED = 1000
"""Bad rows listed one by one; beyond this only their number is kept."""

_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_ISO_ZONE = r"(Z|[+-]\d{2}:?\d{2})$"
_AMOUNT = r"^\d+(\.\d+)?$"
_CURRENCY = r"^[A-Z]{3}$"
_COUNTRY = r"^[A-Z]{2}$"
_MAX_ID = 200
_LABELS = {"0": 0, "1": 1, "false": 0, "true": 1}


@dataclass
class TransactionFile:
    """The canonical table read from one source, and the rows that were kept out."""

    table: pa.Table
    source_format: str
    problems: list[str] = field(default_factory=list)
    """One line per rejected row (the first :data:`MAX_PROBLEMS_LISTED`), naming its line."""
    rejected: int = 0
    """Number of rows kept out of ``table``."""


def read_text(path: Path) -> str:
    """Read a (possibly gzipped) text file safely as text."""
    data = read_limited(path)
    if path.suffix == ".gz":
        import gzip
        import zlib

        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise BadInputError(
                f"not a valid gzip file: {exc}", where=str(path), hint="download it again"
            ) from exc
    return decode_text(data, str(path))


def read_csv_columns(
    text: str, source: str, expected: list[str]
) -> tuple[dict[str, list[str]], np.ndarray, list[tuple[int, str]]]:
    """Split CSV text into columns by header name; rows with the wrong cell count are bad rows.

    ``expected`` columns must all be in the header (matched exactly, after trimming). Returns
    the columns (as lists of strings, by header position for duplicate names use ``name#2``),
    the line number of each kept row and the ``(line, reason)`` of each rejected row.
    """
    rows = iter_csv_rows(text, source)
    try:
        _line, header = next(rows)
    except StopIteration:
        raise BadInputError("no header row", where=source, hint="is the file empty?") from None
    names = _unique_names([cell.strip() for cell in header])
    missing = [name for name in expected if name not in names]
    if missing:
        raise BadInputError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(names)}",
            where=where(source, line=1),
            hint="is this the right layout?",
        )
    columns: list[list[str]] = [[] for _ in names]
    lines: list[int] = []
    bad: list[tuple[int, str]] = []
    width = len(names)
    for line, cells in rows:
        if len(cells) != width:
            bad.append((line, f"{len(cells)} cells where the header has {width}"))
            continue
        lines.append(line)
        for target, cell in zip(columns, cells, strict=True):
            target.append(cell)
    return dict(zip(names, columns, strict=True)), np.asarray(lines, dtype=np.int64), bad


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


def parse_iso_timestamps(values: pa.Array) -> pa.Array:
    """ISO 8601 strings to UTC timestamps; null where the text is not a valid ISO 8601 instant.

    A value without an offset is taken as UTC (documented convention of the canonical table).
    """
    strings = values.cast(pa.string())
    shaped = pc.fill_null(pc.match_substring_regex(strings, _ISO.pattern), False)
    zoned = pc.fill_null(pc.match_substring_regex(strings, _ISO_ZONE), False)
    out: list[datetime | None] = []
    result = _cast_or_none(strings, shaped, zoned)
    if result is not None:
        return result
    # Slow path, only when some shaped value is still invalid (e.g. month 13).
    for text, ok in zip(strings.to_pylist(), shaped.to_pylist(), strict=True):
        out.append(_parse_one(text) if ok else None)
    return pa.array(out, type=TIMESTAMP_TYPE)


def _cast_or_none(strings: pa.Array, shaped: pa.Array, zoned: pa.Array) -> pa.Array | None:
    placeholder = pa.scalar("1970-01-01T00:00:00Z")
    naive_placeholder = pa.scalar("1970-01-01T00:00:00")
    try:
        with_zone = pc.if_else(pc.and_(shaped, zoned), strings, placeholder).cast(TIMESTAMP_TYPE)
        without = pc.if_else(pc.and_(shaped, pc.invert(zoned)), strings, naive_placeholder)
        naive = without.cast(pa.timestamp("us")).cast(pa.int64()).cast(TIMESTAMP_TYPE)
    except pa.ArrowInvalid:
        return None
    merged = pc.if_else(zoned, with_zone, naive)
    return pc.if_else(shaped, merged, pa.scalar(None, TIMESTAMP_TYPE))


def _parse_one(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def conform(
    raw: Mapping[str, pa.Array | list[str] | list[str | None]],
    lines: np.ndarray,
    source: str,
    source_format: str,
    *,
    extra_bad: Iterable[tuple[int, str]] = (),
    unit: str = "line",
) -> TransactionFile:
    """Validate raw columns into the canonical table; rows with a bad value are kept out.

    ``raw`` maps canonical column names to arrays of strings (or already-typed values);
    ``lines`` gives the source line (or, with ``unit="row"``, the row number) of each row.
    """
    reasons: dict[int, str] = {}
    typed: dict[str, pa.Array] = {}
    for col in COLUMNS:
        if col.name not in raw:
            continue
        values = raw[col.name]
        array = values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())
        converted, bad = _convert(col.name, array)
        _note(reasons, bad, col.name, array)
        typed[col.name] = converted
    _note_duplicates(reasons, typed["txn_id"])
    keep = np.ones(len(lines), dtype=bool)
    keep[list(reasons)] = False
    schema = transaction_schema(list(typed))
    table = pa.table([typed[f.name] for f in schema], schema=schema).filter(pa.array(keep))
    rejected = [(int(lines[i]), reason) for i, reason in reasons.items()]
    rejected.extend(extra_bad)
    rejected.sort()
    listed = [
        f"{where(source, line=line) if unit == 'line' else f'{source} {unit} {line}'}: {reason}"
        for line, reason in rejected
    ]
    if len(listed) > MAX_PROBLEMS_LISTED:
        more = len(listed) - MAX_PROBLEMS_LISTED
        listed = [*listed[:MAX_PROBLEMS_LISTED], f"{source}: … and {more} more bad rows"]
    return TransactionFile(table, source_format, listed, len(rejected))


def _note(reasons: dict[int, str], bad: np.ndarray, name: str, array: pa.Array) -> None:
    for i in np.flatnonzero(bad).tolist():
        if i not in reasons:
            value = array[i].as_py()
            shown = repr(value if not isinstance(value, str) else value[:40])
            reasons[i] = f"bad {name} {shown}"


def _note_duplicates(reasons: dict[int, str], ids: pa.Array) -> None:
    if len(ids) == 0:
        return
    indices = pa.array(np.arange(len(ids)))
    grouped = (
        pa.table({"id": ids, "i": indices}).group_by("id").aggregate([("i", "min"), ("i", "count")])
    )
    repeated = grouped.filter(pc.greater(grouped["i_count"], 1))
    if repeated.num_rows == 0:
        return
    first = dict(zip(repeated["id"].to_pylist(), repeated["i_min"].to_pylist(), strict=True))
    member = _mask(pc.is_in(ids, value_set=repeated["id"]))
    for i in np.flatnonzero(member).tolist():
        value = ids[i].as_py()
        if first[value] != i and i not in reasons:
            reasons[i] = f"duplicate txn_id {value!r} (first at row {first[value] + 1})"


def _convert(name: str, array: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Convert one column; return the typed array and a mask of bad rows."""
    if name == "timestamp":
        parsed = array if array.type == TIMESTAMP_TYPE else parse_iso_timestamps(array)
        return parsed, _mask(pc.is_null(parsed))
    if name == "amount":
        return _convert_amount(array)
    if name == LABEL_COLUMN:
        lowered = pc.utf8_lower(array.cast(pa.string()))
        ok = pc.is_in(lowered, value_set=pa.array(list(_LABELS)))
        labels = pc.if_else(pc.equal(lowered, "1"), 1, 0)
        labels = pc.if_else(pc.equal(lowered, "true"), 1, labels).cast(pa.int8())
        return labels, ~_mask(ok)
    strings = array.cast(pa.string())
    empty = pc.fill_null(pc.equal(pc.utf8_length(strings), 0), True)
    too_long = pc.fill_null(pc.greater(pc.utf8_length(strings), _MAX_ID), False)
    if name in ("txn_id", "from_account", "to_account", "currency"):
        bad = _mask(empty) | _mask(too_long)
        if name == "currency":
            bad |= ~_mask(pc.match_substring_regex(strings, _CURRENCY))
        return strings, bad
    optional = pc.if_else(empty, pa.scalar(None, pa.string()), strings)
    bad = _mask(too_long)
    if name in ("country_from", "country_to"):
        bad |= _mask(pc.invert(pc.match_substring_regex(optional, _COUNTRY)))
    return optional, bad


def _convert_amount(array: pa.Array) -> tuple[pa.Array, np.ndarray]:
    if pa.types.is_floating(array.type) or pa.types.is_integer(array.type):
        values = array.cast(pa.float64())
        ok = pc.and_(pc.is_finite(values), pc.greater_equal(values, 0.0))
        return values, ~_mask(ok)
    strings = array.cast(pa.string())
    ok = pc.match_substring_regex(strings, _AMOUNT)
    values = pc.if_else(ok, strings, "0").cast(pa.float64())
    return values, ~_mask(ok)


def _mask(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Boolean Arrow array to numpy, nulls as False."""
    filled = pc.fill_null(array, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)
