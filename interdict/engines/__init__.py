"""Batch engines behind one small interface: DuckDB (default, embedded) and, later, Spark.

Jobs call :func:`create_engine` with the name a user chose (``--engine duckdb``) and then use
only the :class:`~interdict.engines.base.Engine` methods.
"""

from __future__ import annotations

from typing import Any

from interdict.engines.base import Dialect, Engine, Params
from interdict.errors import BadInputError

__all__ = ["ENGINES", "Dialect", "Engine", "Params", "create_engine"]

ENGINES = ("duckdb", "spark")
"""Engine names the faces accept."""


def create_engine(name: str = "duckdb", **options: Any) -> Engine:
    """A new engine by name; ``options`` go to its constructor (e.g. ``threads=2``)."""
    if name == "duckdb":
        from interdict.engines.duckdb import DuckDBEngine

        return DuckDBEngine(**options)
    if name == "spark":
        try:
            from interdict.engines import spark  # type: ignore[attr-defined, unused-ignore]
        except ImportError:
            raise BadInputError(
                "the spark engine is not yet available", hint="use --engine duckdb"
            ) from None
        engine: Engine = spark.SparkEngine(**options)
        return engine
    raise BadInputError(f"unknown engine {name!r}", hint=f"use one of {', '.join(ENGINES)}")
