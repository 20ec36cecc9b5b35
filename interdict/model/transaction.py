"""The canonical transaction table: its columns, their types and meaning, as data.

Every transaction reader (AMLSim, IBM AMLworld, ISO 20022 pacs.008, the canonical CSV/Parquet
itself) produces an Arrow table with exactly this schema, and every monitoring job reads it.
Timestamps are UTC instants; amounts are non-negative decimals in ``currency``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

__all__ = [
    "COLUMNS",
    "LABEL_COLUMN",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "TIMESTAMP_TYPE",
    "Column",
    "column",
    "transaction_schema",
]

TIMESTAMP_TYPE = pa.timestamp("us", tz="UTC")
"""Arrow type of ``timestamp``; CSV files hold ISO 8601 text (``2017-01-01T00:00:00Z``)."""


@dataclass(frozen=True)
class Column:
    """One column of the canonical table."""

    name: str
    type: pa.DataType
    required: bool
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("txn_id", pa.string(), True, "identifier of the transaction, unique in the table"),
    Column("timestamp", TIMESTAMP_TYPE, True, "when it was executed, ISO 8601, UTC if no offset"),
    Column("from_account", pa.string(), True, "account debited (originator)"),
    Column("to_account", pa.string(), True, "account credited (beneficiary)"),
    Column("amount", pa.float64(), True, "amount moved, non-negative, in currency"),
    Column("currency", pa.string(), True, "ISO 4217 code of amount"),
    Column("from_bank", pa.string(), False, "originator's institution (BIC or internal code)"),
    Column("to_bank", pa.string(), False, "beneficiary's institution (BIC or internal code)"),
    Column(
        "payment_format", pa.string(), False, "wire, ACH, cash, cheque, card, crypto, pacs.008…"
    ),
    Column("channel", pa.string(), False, "branch, online, mobile, agent, ATM…"),
    Column("country_from", pa.string(), False, "ISO 3166 alpha-2 of the originator"),
    Column("country_to", pa.string(), False, "ISO 3166 alpha-2 of the beneficiary"),
    Column("purpose", pa.string(), False, "purpose code or free text (ISO 20022 Purp)"),
    Column("is_laundering", pa.int8(), False, "label for training and backtesting: 1 or 0"),
)
"""All columns, required ones first, in the order tables are written."""

REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in COLUMNS if not c.required and c.name != "is_laundering"
)
LABEL_COLUMN = "is_laundering"

_BY_NAME = {c.name: c for c in COLUMNS}


def column(name: str) -> Column:
    """The column called ``name``; KeyError for a name that is not canonical."""
    return _BY_NAME[name]


def transaction_schema(names: list[str] | tuple[str, ...] | None = None) -> pa.Schema:
    """Arrow schema for the required columns plus those optional ``names`` present, in order."""
    wanted = set(REQUIRED_COLUMNS) | set(names or ())
    return pa.schema([pa.field(c.name, c.type) for c in COLUMNS if c.name in wanted])
