"""Opening engines by name, and saying clearly why Spark cannot start."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdict.engines import factory
from interdict.engines.duckdb import DuckDBEngine
from interdict.engines.factory import ENGINE_NAMES, open_engine, spark_unavailable
from interdict.errors import BadInputError


def test_duckdb_by_default() -> None:
    with open_engine() as engine:
        assert isinstance(engine, DuckDBEngine)
        assert engine.sql("SELECT 41 + 1 AS n").column("n").to_pylist() == [42]


def test_unknown_engine() -> None:
    assert ENGINE_NAMES == ("duckdb", "spark")
    with pytest.raises(BadInputError, match=r"unknown engine 'oracle'.*duckdb, spark"):
        open_engine("oracle")


def test_java_home_without_java(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    reason = spark_unavailable()
    assert reason is not None and f"JAVA_HOME={tmp_path}" in reason
    with pytest.raises(BadInputError, match=r"spark engine cannot start.*--engine duckdb"):
        open_engine("spark")


def test_no_java_on_the_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert spark_unavailable() == "no Java runtime found (install Java 17 or set JAVA_HOME)"


def test_no_pyspark(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(factory, "find_spec", lambda name: None)
    reason = spark_unavailable()
    assert reason is not None and "pip install 'interdict[spark]'" in reason


def test_java_from_java_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    java = tmp_path / "bin" / "java"
    java.parent.mkdir()
    java.write_text("#!/bin/sh\n")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    assert factory.java_executable() == java
