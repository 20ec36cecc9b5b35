"""Read IBM AMLSim outputs into the canonical transaction table.

Two layouts, told apart by the header of ``transactions.csv[.gz]``:

* the AMLSim "output" layout (the ``interdict_1K``/``interdict_10K`` sets): ``tran_id, orig_acct,
  bene_acct, tx_type, base_amt, tran_timestamp, is_sar, alert_id``; when ``accounts.csv[.gz]``
  sits beside it, each account's ``bank_id`` fills ``from_bank``/``to_bank`` and its reporting
  currency fills ``currency``;
* IBM's sample layout (``ibm_sample_20K_*``): ``sourceNodeId, targetNodeId, value, time`` with
  ``time`` a simulation step. Step *n* becomes ``origin`` + *n* days (2017-01-01 by default,
  the AMLSim base date) and ``txn_id`` is the line number; these samples carry node labels
  only, so there is no ``is_laundering``.

AMLSim amounts are in its single base currency, USD, which is used when no accounts file says
otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from interdict.errors import BadInputError
from interdict.readers.transactions.table import (
    TransactionFile,
    conform,
    read_csv_columns,
    read_text,
)

__all__ = ["read_amlsim"]

_OUTPUT = ["tran_id", "orig_acct", "bene_acct", "tx_type", "base_amt", "tran_timestamp", "is_sar"]
_SAMPLE = ["sourceNodeId", "targetNodeId", "value", "time"]
_DEFAULT_ORIGIN = datetime(2017, 1, 1, tzinfo=UTC)
_DEFAULT_CURRENCY = "USD"


def read_amlsim(path: Path, *, origin: datetime = _DEFAULT_ORIGIN) -> TransactionFile:
    """Read an AMLSim folder (or its ``transactions.csv[.gz]``) in either layout."""
    file = _transactions_file(path)
    text = read_text(file)
    first_line = text.split("\n", 1)[0]
    header = {cell.strip() for cell in first_line.split(",")}
    if set(_OUTPUT) <= header:
        return _read_output(file, text)
    if set(_SAMPLE) <= header:
        return _read_sample(file, text, origin)
    raise BadInputError(
        f"header {first_line[:120]!r} is neither AMLSim layout",
        where=f"{file} line 1",
        hint=f"expected {', '.join(_OUTPUT)} or {', '.join(_SAMPLE)}",
    )


def _transactions_file(path: Path) -> Path:
    if path.is_file():
        return path
    for name in ("transactions.csv.gz", "transactions.csv"):
        if (path / name).is_file():
            return path / name
    raise BadInputError(
        "no transactions.csv or transactions.csv.gz", where=str(path), hint="check the folder"
    )


def _read_output(file: Path, text: str) -> TransactionFile:
    source = str(file)
    columns, lines, bad = read_csv_columns(text, source, _OUTPUT)
    raw: dict[str, pa.Array | list[str]] = {
        "txn_id": columns["tran_id"],
        "timestamp": columns["tran_timestamp"],
        "from_account": columns["orig_acct"],
        "to_account": columns["bene_acct"],
        "amount": columns["base_amt"],
        "payment_format": columns["tx_type"],
        "is_laundering": columns["is_sar"],
    }
    accounts = _accounts(file.parent)
    origin = pa.array(columns["orig_acct"], type=pa.string())
    currency = pa.array([_DEFAULT_CURRENCY] * len(lines), type=pa.string())
    if accounts is not None:
        ids, banks, currencies = accounts
        raw["from_bank"] = pc.take(banks, pc.index_in(origin, value_set=ids))
        beneficiary = pa.array(columns["bene_acct"], type=pa.string())
        raw["to_bank"] = pc.take(banks, pc.index_in(beneficiary, value_set=ids))
        known = pc.take(currencies, pc.index_in(origin, value_set=ids))
        currency = pc.fill_null(known, _DEFAULT_CURRENCY)
    raw["currency"] = currency
    return conform(raw, lines, source, "amlsim", extra_bad=bad)


def _accounts(folder: Path) -> tuple[pa.Array, pa.Array, pa.Array] | None:
    for name in ("accounts.csv.gz", "accounts.csv"):
        file = folder / name
        if file.is_file():
            columns, _lines, _bad = read_csv_columns(
                read_text(file), str(file), ["acct_id", "bank_id"]
            )
            ids = pa.array(columns["acct_id"], type=pa.string())
            banks = pa.array(columns["bank_id"], type=pa.string())
            currencies = pa.array(
                columns.get("acct_rptng_crncy", [_DEFAULT_CURRENCY] * len(ids)), type=pa.string()
            )
            return ids, banks, currencies
    return None


def _read_sample(file: Path, text: str, origin: datetime) -> TransactionFile:
    source = str(file)
    columns, lines, bad = read_csv_columns(text, source, _SAMPLE)
    steps = pa.array(columns["time"], type=pa.string())
    ok = np.asarray(pc.fill_null(pc.match_substring_regex(steps, r"^\d{1,6}$"), False), dtype=bool)
    for i in np.flatnonzero(~ok).tolist():
        bad.append((int(lines[i]), f"bad time step {columns['time'][i][:40]!r}"))
    keep = pa.array(ok)
    seconds = pc.multiply(pc.if_else(keep, steps, "0").cast(pa.int64()), 86_400)
    base = int(origin.timestamp())
    stamps = pc.add(seconds, base).cast(pa.timestamp("s", tz="UTC"))
    raw: dict[str, pa.Array] = {
        "txn_id": pa.array([str(line) for line in lines.tolist()], type=pa.string()),
        "timestamp": stamps.cast(pa.timestamp("us", tz="UTC")),
        "from_account": pa.array(columns["sourceNodeId"], type=pa.string()),
        "to_account": pa.array(columns["targetNodeId"], type=pa.string()),
        "amount": pa.array(columns["value"], type=pa.string()),
        "currency": pa.array([_DEFAULT_CURRENCY] * len(lines), type=pa.string()),
    }
    kept = {key: value.filter(keep) for key, value in raw.items()}
    return conform(kept, lines[ok], source, "amlsim-sample", extra_bad=bad)
