"""Readers that turn transaction files into the canonical transaction table.

Each returns a :class:`TransactionFile`: the Arrow table (schema in
:mod:`interdict.model.transaction`) and the bad rows kept out of it, each naming its line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from interdict.errors import BadInputError
from interdict.readers.transactions.amlsim import read_amlsim
from interdict.readers.transactions.amlworld import read_amlworld
from interdict.readers.transactions.canonical import read_transactions, write_transactions
from interdict.readers.transactions.pacs008 import read_pacs008
from interdict.readers.transactions.table import TransactionFile

__all__ = [
    "FORMATS",
    "TransactionFile",
    "read_amlsim",
    "read_amlworld",
    "read_as",
    "read_pacs008",
    "read_transactions",
    "write_transactions",
]

FORMATS: dict[str, Callable[[Path], TransactionFile]] = {
    "canonical": read_transactions,
    "amlsim": read_amlsim,
    "amlworld": read_amlworld,
    "pacs008": read_pacs008,
}
"""Input formats by the name the CLI accepts."""


def read_as(path: Path, source_format: str) -> TransactionFile:
    """Read ``path`` with the reader for ``source_format`` (a key of :data:`FORMATS`)."""
    reader = FORMATS.get(source_format)
    if reader is None:
        raise BadInputError(
            f"unknown format {source_format!r}",
            hint=f"use one of {', '.join(sorted(FORMATS))}",
        )
    return reader(path)
