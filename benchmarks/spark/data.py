"""Inputs of the Spark benchmark: a synthetic customer base and a replicated AMLSim table.

Customers come from the rescreen benchmark's generator (realistic names from OpenSanctions'
candidate-generation negatives, ~110 nationalities, 9 scripts, with planted designees).
Transactions are the earliest ``base`` payments of AMLSim ``interdict_1K``; the ×k table holds
k copies, each on its own accounts (``ACCOUNT~c``), so the graph grows k-fold and every copy
has the same structure: the work, not its shape, is what scales.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from benchmarks.rescreen.customers import write_customers
from interdict.readers.transactions import read_amlsim

__all__ = ["AMLSIM_SET", "YENTE", "base_transactions", "customers_file", "replicate"]

YENTE = Path("benchmarks") / "yente_candidate_generation"
AMLSIM_SET = Path("transactions") / "amlsim" / "interdict_1K"


def customers_file(folder: Path, data: Path, count: int) -> Path:
    """A CSV of ``count`` synthetic customers (written once per size)."""
    path = folder / f"customers_{count}.csv"
    if not path.is_file():
        write_customers(path, count, data / YENTE)
    return path


def base_transactions(data: Path, count: int) -> pa.Table:
    """The first ``count`` AMLSim payments in time (label column dropped)."""
    table = read_amlsim(data / AMLSIM_SET).table
    table = table.sort_by([("timestamp", "ascending"), ("txn_id", "ascending")]).slice(0, count)
    if "is_laundering" in table.column_names:
        table = table.drop_columns(["is_laundering"])
    return table


def replicate(table: pa.Table, copies: int) -> pa.Table:
    """``copies`` disjoint copies of ``table`` (same times, accounts and ids suffixed ``~c``)."""
    if copies == 1:
        return table
    parts = []
    for copy in range(copies):
        suffix = f"~{copy}"
        part = table
        for name in ("txn_id", "from_account", "to_account"):
            column = pc.binary_join_element_wise(part[name].cast(pa.string()), suffix, "")
            part = part.set_column(part.schema.get_field_index(name), name, column)
        parts.append(part)
    return pa.concat_tables(parts)
