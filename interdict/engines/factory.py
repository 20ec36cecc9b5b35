"""Open a batch engine by the name a user chose (``--engine duckdb|spark``), or say why not.

DuckDB is always there. Spark needs the ``spark`` extra (``pyspark``) and a Java runtime
(17 or 21); when either is missing :func:`open_engine` says which and what to do, before
anything slow starts. :func:`spark_unavailable` answers the same question without raising, for
tests and ``--help`` texts.
"""

from __future__ import annotations

import os
import shutil
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from interdict.engines.base import Engine
from interdict.errors import BadInputError

__all__ = ["ENGINE_NAMES", "java_executable", "open_engine", "spark_unavailable"]

ENGINE_NAMES = ("duckdb", "spark")
"""Engine names the faces accept; ``duckdb`` is the default."""


def java_executable() -> Path | None:
    """The ``java`` Spark would start: ``$JAVA_HOME/bin/java``, else ``java`` on the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return candidate if candidate.is_file() else None
    found = shutil.which("java")
    return Path(found) if found else None


def spark_unavailable() -> str | None:
    """Why the Spark engine cannot run here, or ``None`` when it can."""
    if find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'interdict[spark]')"
    if java_executable() is None:
        home = os.environ.get("JAVA_HOME")
        if home:
            return f"JAVA_HOME={home} holds no bin/java"
        return "no Java runtime found (install Java 17 or set JAVA_HOME)"
    return None


def open_engine(name: str = "duckdb", **options: Any) -> Engine:
    """A new engine: ``duckdb`` (options ``threads``, ``memory_limit``) or ``spark`` (options
    ``master``, ``cores``, ``session``, ``config``, ``partitions``). Close it when done."""
    if name == "duckdb":
        from interdict.engines.duckdb import DuckDBEngine

        return DuckDBEngine(**options)
    if name == "spark":
        reason = spark_unavailable()
        if reason is not None:
            raise BadInputError(
                f"the spark engine cannot start: {reason}", hint="or use --engine duckdb"
            )
        from interdict.engines.spark import SparkEngine

        return SparkEngine(**options)
    raise BadInputError(f"unknown engine {name!r}", hint=f"use one of {', '.join(ENGINE_NAMES)}")
