"""Read IBM AMLworld transaction CSVs (Altman et al., NeurIPS 2023) into the canonical table.

Layout (``HI-Small_Trans.csv`` and siblings)::

    Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,
    Amount Paid,Payment Currency,Payment Format,Is Laundering

``Timestamp`` is ``YYYY/MM/DD HH:MM`` (read as UTC). The transaction is taken from the payer's
side: ``amount``/``currency`` are the amount paid and its currency. Currency names ("US Dollar",
"Bitcoin") map to codes through ``data/amlworld_currencies.csv``; an unknown name is a bad row.
The files have no transaction id, so ``txn_id`` is the line number.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from interdict.readers.transactions.table import (
    TransactionFile,
    conform,
    read_csv_columns,
    read_text,
)

__all__ = ["read_amlworld"]

_HEADER = [
    "Timestamp",
    "From Bank",
    "Account",
    "To Bank",
    "Account#2",
    "Amount Received",
    "Receiving Currency",
    "Amount Paid",
    "Payment Currency",
    "Payment Format",
]
_FORMAT = "%Y/%m/%d %H:%M"


@cache
def _currencies() -> dict[str, str]:
    text = resources.files("interdict.readers.transactions").joinpath(
        "data/amlworld_currencies.csv"
    )
    with text.open(encoding="utf-8") as handle:
        return {row["name"]: row["code"] for row in csv.DictReader(handle)}


def read_amlworld(path: Path) -> TransactionFile:
    """Read one AMLworld ``*_Trans.csv`` file; bad rows are reported and kept out."""
    source = str(path)
    columns, lines, bad = read_csv_columns(read_text(path), source, _HEADER)
    stamps = pa.array(columns["Timestamp"], type=pa.string())
    parsed = pc.strptime(stamps, format=_FORMAT, unit="us", error_is_null=True)
    # strptime rolls impossible dates over (09/31 → 10/01): keep only values that print back.
    same = pc.equal(pc.strftime(parsed, format=_FORMAT), stamps)
    parsed = pc.if_else(pc.fill_null(same, False), parsed, pa.scalar(None, parsed.type))
    currency_names = pa.array(columns["Payment Currency"], type=pa.string())
    table = _currencies()
    codes = pc.take(
        pa.array(list(table.values()), type=pa.string()),
        pc.index_in(currency_names, value_set=pa.array(list(table), type=pa.string())),
    )
    ok = np.asarray(
        pc.and_(pc.is_valid(parsed), pc.is_valid(codes)).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    for i in np.flatnonzero(~ok).tolist():
        if parsed[i].is_valid:
            what = f"unknown currency {columns['Payment Currency'][i][:40]!r}"
        else:
            what = f"bad Timestamp {columns['Timestamp'][i][:40]!r} (expected {_FORMAT})"
        bad.append((int(lines[i]), what))
    raw: dict[str, pa.Array] = {
        "txn_id": pa.array([str(line) for line in lines.tolist()], type=pa.string()),
        "timestamp": parsed.cast(pa.int64()).cast(pa.timestamp("us", tz="UTC")),
        "from_account": pa.array(columns["Account"], type=pa.string()),
        "to_account": pa.array(columns["Account#2"], type=pa.string()),
        "amount": pa.array(columns["Amount Paid"], type=pa.string()),
        "currency": codes,
        "from_bank": pa.array(columns["From Bank"], type=pa.string()),
        "to_bank": pa.array(columns["To Bank"], type=pa.string()),
        "payment_format": pa.array(columns["Payment Format"], type=pa.string()),
    }
    if "Is Laundering" in columns:
        raw["is_laundering"] = pa.array(columns["Is Laundering"], type=pa.string())
    keep = pa.array(ok)
    kept = {key: value.filter(keep) for key, value in raw.items()}
    return conform(kept, lines[ok], source, "amlworld", extra_bad=bad)
