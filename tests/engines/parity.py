"""Run one test body on every engine, as splink's ``tests/decorator.py`` does.

>>> @on_engines()                                  # doctest: +SKIP
... def test_something(engine_name: str) -> None:
...     with engine_for(engine_name) as engine:
...         ...

:func:`on_engines` parametrises the test with ``engine_name`` (``duckdb``, ``spark``); the Spark
case carries the ``spark`` mark and is skipped, with the reason, when pyspark or Java is
missing. All Spark cases of a test session share one local Spark (``local[2]``, few shuffle
partitions); every :func:`engine_for` opens its own Spark *session* on it — own views, started
in milliseconds — so tests stay independent and the JVM starts once.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest

from interdict.engines.base import Engine
from interdict.engines.factory import ENGINE_NAMES, open_engine, spark_unavailable

__all__ = [
    "SPARK_MISSING",
    "engine_for",
    "engine_params",
    "ensure_engine",
    "on_engines",
    "spark_session",
]

SPARK_MISSING = spark_unavailable()
"""Why Spark cannot run here (``None`` when it can)."""

SPARK_CONFIG = {
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.sql.adaptive.coalescePartitions.initialPartitionNum": "4",
}

Test = TypeVar("Test", bound=Callable[..., Any])
_SESSION: list[Any] = []


def spark_session() -> Any:
    """The test session's one local Spark, started on first use and stopped at exit."""
    if SPARK_MISSING is not None:
        pytest.skip(f"the spark engine cannot run here: {SPARK_MISSING}")
    if not _SESSION:
        from interdict.engines.spark import build_session

        session = build_session("local[2]", app_name="interdict-tests", config=SPARK_CONFIG)
        _SESSION.append(session)
        atexit.register(session.stop)
    return _SESSION[0]


def engine_params(*, exclude: tuple[str, ...] = ()) -> list[Any]:
    """``pytest.param`` per engine, Spark marked ``spark`` and skipped when unavailable."""
    spark_marks = [
        pytest.mark.spark,
        pytest.mark.skipif(
            SPARK_MISSING is not None, reason=f"the spark engine cannot run here: {SPARK_MISSING}"
        ),
    ]
    params = {
        "duckdb": pytest.param("duckdb", id="duckdb"),
        "spark": pytest.param("spark", id="spark", marks=spark_marks),
    }
    return [params[name] for name in ENGINE_NAMES if name not in exclude]


def on_engines(*, exclude: tuple[str, ...] = ()) -> Callable[[Test], Test]:
    """Decorator: run the test once per engine; it receives ``engine_name``."""

    def decorate(test: Test) -> Test:
        marked: Test = pytest.mark.parametrize("engine_name", engine_params(exclude=exclude))(test)
        return marked

    return decorate


@contextmanager
def engine_for(engine_name: str) -> Iterator[Engine]:
    """A fresh engine of that name (Spark: a new session on the shared local Spark)."""
    options: dict[str, Any] = {"threads": 2} if engine_name == "duckdb" else {}
    if engine_name == "spark":
        spark_session()
    with open_engine(engine_name, **options) as engine:
        yield engine


def ensure_engine(engine_name: str) -> None:
    """Start what ``engine_name`` needs before a job opens the engine by name itself."""
    if engine_name == "spark":
        spark_session()
