"""The default engine: DuckDB, embedded and in process, over Arrow tables without copies."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow as pa

from interdict.engines.base import Dialect, Engine, Params, check_identifier, read_source
from interdict.errors import BadInputError, InterdictError

__all__ = ["DuckDBDialect", "DuckDBEngine"]

_BUG = "this is a bug in a job; please report it"
_MEMORY = re.compile(r"^\d+(\.\d+)?\s?[KMGT]i?B$")


class DuckDBDialect(Dialect):
    """DuckDB spellings."""

    name = "duckdb"

    def param(self, name: str) -> str:
        return f"${check_identifier(name)}"

    def quote(self, identifier: str) -> str:
        return '"' + identifier.replace('"', '""') + '"'

    def log(self, expression: str) -> str:
        return f"LN({expression})"


class DuckDBEngine(Engine):
    """An in-memory DuckDB database; ``threads`` defaults to all cores."""

    name = "duckdb"
    in_process = True

    def __init__(self, *, threads: int | None = None, memory_limit: str | None = None) -> None:
        self.dialect = DuckDBDialect()
        self._con = duckdb.connect(":memory:")
        if threads is not None:
            self._con.execute(f"SET threads = {int(threads)}")
        if memory_limit is not None:
            if not _MEMORY.match(memory_limit):
                raise BadInputError(
                    f"memory limit {memory_limit!r} is not a size", hint="write it like 4GB"
                )
            self._con.execute(f"SET memory_limit = '{memory_limit}'")
        self._con.execute("SET preserve_insertion_order = false")
        self._con.execute("SET enable_progress_bar = false")
        self._registered: set[str] = set()

    def register(self, name: str, source: pa.Table | Path) -> None:
        check_identifier(name)
        self.drop(name)
        self._con.register(name, read_source(source))
        self._registered.add(name)

    def create_table(self, name: str, query: str, params: Params | None = None) -> None:
        check_identifier(name)
        self.drop(name)
        self._execute(f"CREATE TEMP TABLE {self.dialect.quote(name)} AS {query}", params)

    def sql(self, query: str, params: Params | None = None) -> pa.Table:
        try:
            relation = self._con.sql(query, params=dict(params) if params else None)
        except duckdb.Error as exc:
            raise InterdictError(f"query failed: {exc}", hint=_BUG) from exc
        if relation is None:
            return pa.table({})
        return relation.to_arrow_table()

    def drop(self, name: str) -> None:
        check_identifier(name)
        if name in self._registered:
            self._con.unregister(name)
            self._registered.discard(name)
        self._con.execute(f"DROP TABLE IF EXISTS {self.dialect.quote(name)}")

    def close(self) -> None:
        self._con.close()

    def _execute(self, statement: str, params: Params | None) -> None:
        try:
            self._con.execute(statement, dict(params) if params else None)
        except duckdb.Error as exc:
            raise InterdictError(f"query failed: {exc}", hint=_BUG) from exc
