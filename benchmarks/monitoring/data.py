"""The labelled AMLSim sets, read with our reader, with each laundering transaction's typology."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from interdict.monitoring.metrics import temporal_split
from interdict.readers.transactions import read_amlsim

__all__ = ["DEFAULT_DATA", "LabelledSet", "load_set"]

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@dataclass
class LabelledSet:
    """A canonical table, its labels, typologies and the 60/20/20 temporal split."""

    name: str
    table: pa.Table
    labels: np.ndarray
    typology: np.ndarray
    """Typology of each laundering transaction ('' for normal ones)."""
    timestamps: np.ndarray
    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray


def load_set(data: Path, name: str) -> LabelledSet:
    """Read ``transactions/amlsim/<name>`` and split it 60/20/20 in time (ties in file order)."""
    folder = data / "transactions" / "amlsim" / name
    result = read_amlsim(folder)
    table = result.table
    labels = np.asarray(table["is_laundering"].to_numpy(zero_copy_only=False), dtype=np.int8)
    kinds: dict[str, str] = {}
    with (folder / "alert_transactions.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kinds[row["tran_id"]] = row["alert_type"]
    typology = np.array([kinds.get(t, "") for t in table["txn_id"].to_pylist()], dtype=object)
    timestamps = table["timestamp"].cast(pa.int64()).to_numpy() // 1_000_000
    train, valid, test = temporal_split(timestamps, (0.6, 0.2, 0.2))
    return LabelledSet(name, table, labels, typology, timestamps, train, valid, test)
