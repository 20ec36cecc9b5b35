"""Read and write the canonical transaction table as CSV (optionally gzipped) or Parquet.

The CSV header names the canonical columns (any order; unknown columns are ignored);
timestamps are ISO 8601. Parquet files may carry typed columns or strings.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from interdict.errors import BadInputError
from interdict.model.transaction import (
    COLUMNS,
    LABEL_COLUMN,
    REQUIRED_COLUMNS,
    TIMESTAMP_TYPE,
)
from interdict.readers.transactions.table import (
    TransactionFile,
    conform,
    read_csv_columns,
    read_text,
)

__all__ = ["read_transactions", "write_transactions"]

_KNOWN = [c.name for c in COLUMNS]


def read_transactions(path: Path, *, require_label: bool = False) -> TransactionFile:
    """Read a canonical table from ``.csv``, ``.csv.gz`` or ``.parquet``; bad rows are kept out."""
    name = path.name.lower()
    if name.endswith(".parquet"):
        result = _read_parquet(path)
    elif name.endswith((".csv", ".csv.gz", ".txt")):
        text = read_text(path)
        columns, lines, bad = read_csv_columns(text, str(path), list(REQUIRED_COLUMNS))
        raw = {key: value for key, value in columns.items() if key in _KNOWN}
        result = conform(raw, lines, str(path), "canonical-csv", extra_bad=bad)
    else:
        raise BadInputError(
            "unknown file type", where=str(path), hint="use .csv, .csv.gz or .parquet"
        )
    if require_label and LABEL_COLUMN not in result.table.column_names:
        raise BadInputError(
            f"no {LABEL_COLUMN} column", where=str(path), hint="training needs labelled data"
        )
    return result


def _read_parquet(path: Path) -> TransactionFile:
    if not path.is_file():
        raise BadInputError("file not found", where=str(path), hint="check the path")
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise BadInputError(
            f"not a readable Parquet file: {exc}", where=str(path), hint="write it again"
        ) from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in table.column_names]
    if missing:
        raise BadInputError(
            f"missing column(s) {', '.join(missing)}",
            where=str(path),
            hint="is this the canonical transaction table?",
        )
    raw: dict[str, pa.Array] = {}
    for key in table.column_names:
        if key not in _KNOWN:
            continue
        column = table[key].combine_chunks()
        if key == "timestamp" and pa.types.is_timestamp(column.type):
            column = _as_utc(column)
        raw[key] = column
    rows = np.arange(1, table.num_rows + 1, dtype=np.int64)
    return conform(raw, rows, str(path), "canonical-parquet", unit="row")


def _as_utc(column: pa.Array) -> pa.Array:
    if column.type.tz is None:
        return column.cast(pa.timestamp("us")).cast(pa.int64()).cast(TIMESTAMP_TYPE)
    return column.cast(TIMESTAMP_TYPE)


def write_transactions(table: pa.Table, path: Path) -> None:
    """Write a canonical table to ``.parquet`` or ``.csv`` (ISO 8601 timestamps in UTC)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.lower().endswith(".parquet"):
        pq.write_table(table, path)
        return
    if not path.name.lower().endswith(".csv"):
        raise BadInputError("unknown output type", where=str(path), hint="use .csv or .parquet")
    stamps = table["timestamp"]
    with contextlib.suppress(pa.ArrowInvalid):  # whole seconds print without a fraction
        stamps = stamps.cast(pa.timestamp("s", tz="UTC"))
    stamps = pc.strftime(stamps, format="%Y-%m-%dT%H:%M:%SZ")
    out = table.set_column(table.schema.get_field_index("timestamp"), "timestamp", stamps)
    pa_csv.write_csv(out, path, write_options=pa_csv.WriteOptions(quoting_style="needed"))
