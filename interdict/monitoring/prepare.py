"""Turn a canonical transaction table into the compact form every monitoring job queries.

Jobs never touch account strings or timestamps directly: accounts become dense integer ids
(``src``, ``dst``), timestamps become epoch seconds (``ts``) and each transaction gets its
position (``row``). Integer keys keep joins and windows cheap on DuckDB and Spark alike, and
keep the SQL free of engine-specific date functions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from interdict.engines.base import Engine
from interdict.errors import BadInputError
from interdict.model.transaction import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TIMESTAMP_TYPE

__all__ = ["TXN_TABLE", "PreparedTransactions", "prepare", "register"]

TXN_TABLE = "txn"
"""Name under which the prepared transactions are registered on the engine."""

_TEXT_COLUMNS = ("currency", *OPTIONAL_COLUMNS)


@dataclass(frozen=True)
class PreparedTransactions:
    """The compact table and what is needed to map its ids back to the canonical table."""

    table: pa.Table
    """``row, ts, src, dst, amount`` and the text columns rules filter on."""
    accounts: pa.Array
    """Account id string of each integer id (``accounts[src]``)."""
    source: pa.Table
    """The canonical table, in the same order as ``table``."""

    def account(self, index: int) -> str:
        """Account id string of integer id ``index``."""
        return str(self.accounts[index].as_py())


def prepare(table: pa.Table) -> PreparedTransactions:
    """Compact a canonical table (see :mod:`interdict.model.transaction`) for the engine."""
    missing = [c for c in REQUIRED_COLUMNS if c not in table.column_names]
    if missing:
        raise BadInputError(
            f"transaction table lacks column(s) {', '.join(missing)}",
            hint="read it with interdict.readers.transactions",
        )
    table = table.combine_chunks()
    senders = table["from_account"].combine_chunks().cast(pa.string())
    receivers = table["to_account"].combine_chunks().cast(pa.string())
    accounts = pc.unique(pa.concat_arrays([senders, receivers]))
    micros = table["timestamp"].combine_chunks().cast(TIMESTAMP_TYPE).cast(pa.int64())
    columns: dict[str, pa.Array] = {
        "row": pa.array(np.arange(table.num_rows, dtype=np.int64)),
        "ts": pc.divide(micros, 1_000_000),
        "src": pc.index_in(senders, value_set=accounts).cast(pa.int32()),
        "dst": pc.index_in(receivers, value_set=accounts).cast(pa.int32()),
        "amount": table["amount"].combine_chunks().cast(pa.float64()),
    }
    for name in _TEXT_COLUMNS:
        if name in table.column_names:
            columns[name] = table[name].combine_chunks().cast(pa.string())
        else:
            columns[name] = pa.nulls(table.num_rows, type=pa.string())
    return PreparedTransactions(pa.table(columns), accounts, table)


def register(engine: Engine, prepared: PreparedTransactions) -> None:
    """Register the compact table on ``engine`` as :data:`TXN_TABLE`."""
    engine.register(TXN_TABLE, prepared.table)
