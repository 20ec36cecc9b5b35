"""The small interface every batch engine implements (DESIGN.md §3).

A batch job (transaction features, typology rules, network exposure, batch screening) is written
once against :class:`Engine`: register Arrow tables or files under a name, materialise a query as
a table, run a query with bound parameters and get an Arrow table back, drop a table. SQL in the
jobs is standard SQL that DuckDB and Spark SQL both accept; the few spellings that differ come
from the engine's :class:`Dialect`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from interdict.errors import BadInputError

__all__ = ["Dialect", "Engine", "Params", "check_identifier", "read_source"]

Params = Mapping[str, int | float | str | bool | None]
"""Named query parameters; a job writes ``dialect.param("name")`` where the value goes."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def check_identifier(name: str) -> str:
    """Refuse table and column names that are not plain identifiers (they are never quoted data)."""
    if not _IDENTIFIER.match(name):
        raise BadInputError(
            f"{name!r} is not a plain identifier",
            hint="use letters, digits and underscores, starting with a letter",
        )
    return name


class Dialect(ABC):
    """SQL spellings that differ between engines. Everything else in a job is plain SQL."""

    name: str

    @abstractmethod
    def param(self, name: str) -> str:
        """Placeholder for bound parameter ``name``: ``$name`` in DuckDB, ``:name`` in Spark."""

    @abstractmethod
    def quote(self, identifier: str) -> str:
        """Quoted identifier (``"x"`` in DuckDB, backticks in Spark)."""

    @abstractmethod
    def log(self, expression: str) -> str:
        """Natural logarithm of ``expression``."""


def read_source(source: pa.Table | Path) -> pa.Table:
    """An Arrow table from a table, a ``.parquet`` file or a ``.csv`` file (header row, UTF-8)."""
    if isinstance(source, pa.Table):
        return source
    if not source.is_file():
        raise BadInputError("file not found", where=str(source), hint="check the path")
    try:
        if source.name.lower().endswith(".parquet"):
            return pq.read_table(source)
        if source.name.lower().endswith((".csv", ".csv.gz")):
            return pa_csv.read_csv(source)
    except (pa.ArrowInvalid, OSError) as exc:
        raise BadInputError(f"cannot read table: {exc}", where=str(source)) from exc
    raise BadInputError("unknown table file type", where=str(source), hint="use .parquet or .csv")


class Engine(ABC):
    """One embedded or distributed SQL engine behind the same five calls."""

    name: str
    dialect: Dialect
    in_process: bool = False
    """True when query results already live in this process (DuckDB), so a job may fetch a
    large intermediate table as Arrow and work on it with numpy without moving data."""

    @abstractmethod
    def register(self, name: str, source: pa.Table | Path) -> None:
        """Make an Arrow table, a Parquet file or a CSV file queryable as ``name``."""

    @abstractmethod
    def create_table(self, name: str, query: str, params: Params | None = None) -> None:
        """Run ``query`` and keep its result as table ``name`` (replacing any previous one)."""

    @abstractmethod
    def sql(self, query: str, params: Params | None = None) -> pa.Table:
        """Run ``query`` with bound ``params`` and return its result as an Arrow table."""

    @abstractmethod
    def drop(self, name: str) -> None:
        """Forget table ``name``; no error if it does not exist."""

    def close(self) -> None:  # noqa: B027 - engines without resources need not override
        """Release connections and sessions."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
