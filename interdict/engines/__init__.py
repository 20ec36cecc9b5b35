"""Batch engines behind one small interface: DuckDB (default, embedded) and Spark.

Jobs call :func:`open_engine` with the name a user chose (``--engine duckdb``) and then use
only the :class:`~interdict.engines.base.Engine` methods.
"""

from __future__ import annotations

from interdict.engines.base import Dialect, Engine, Params
from interdict.engines.factory import ENGINE_NAMES, open_engine, spark_unavailable

__all__ = ["ENGINE_NAMES", "Dialect", "Engine", "Params", "open_engine", "spark_unavailable"]
