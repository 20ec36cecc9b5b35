"""The DuckDB engine behind the small engine interface."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from interdict.engines import ENGINE_NAMES, open_engine
from interdict.engines.duckdb import DuckDBEngine
from interdict.errors import BadInputError, InterdictError


@pytest.fixture
def engine() -> DuckDBEngine:
    db = open_engine("duckdb", threads=1)
    assert isinstance(db, DuckDBEngine)
    return db


def test_register_and_query_with_bound_parameters(engine: DuckDBEngine) -> None:
    engine.register("t", pa.table({"a": [1, 2, 3], "b": ["x", "y", "z"]}))
    p = engine.dialect.param
    result = engine.sql(f"SELECT b FROM t WHERE a >= {p('low')} ORDER BY a", {"low": 2})
    assert result.column("b").to_pylist() == ["y", "z"]


def test_bound_text_is_data_not_sql(engine: DuckDBEngine) -> None:
    engine.register("t", pa.table({"b": ["x"]}))
    hostile = "x' OR '1'='1"
    query = f"SELECT COUNT(*) AS n FROM t WHERE b = {engine.dialect.param('v')}"
    assert engine.sql(query, {"v": hostile}).column("n").to_pylist() == [0]


def test_create_table_replace_and_drop(engine: DuckDBEngine) -> None:
    engine.create_table("u", "SELECT 1 AS a")
    engine.create_table("u", "SELECT 2 AS a")
    assert engine.sql("SELECT a FROM u").column("a").to_pylist() == [2]
    engine.drop("u")
    engine.drop("u")  # no error when absent
    with pytest.raises(InterdictError, match="query failed"):
        engine.sql("SELECT * FROM u")


def test_register_files(engine: DuckDBEngine, tmp_path: Path) -> None:
    pq.write_table(pa.table({"a": [1, 2]}), tmp_path / "t.parquet")
    (tmp_path / "t.csv").write_text("a,b\n1,x\n")
    engine.register("p", tmp_path / "t.parquet")
    engine.register("c", tmp_path / "t.csv")
    assert engine.sql("SELECT SUM(a) AS s FROM p").column("s").to_pylist() == [3]
    assert engine.sql("SELECT b FROM c").column("b").to_pylist() == ["x"]
    with pytest.raises(BadInputError, match="file not found"):
        engine.register("m", tmp_path / "missing.parquet")


@pytest.mark.parametrize("name", ["t; DROP TABLE x", "1abc", "a-b", ""])
def test_identifiers_are_checked(engine: DuckDBEngine, name: str) -> None:
    with pytest.raises(BadInputError, match="identifier"):
        engine.register(name, pa.table({"a": [1]}))


def test_engine_names() -> None:
    assert ENGINE_NAMES == ("duckdb", "spark")
    with pytest.raises(BadInputError, match="unknown engine"):
        open_engine("oracle")


def test_context_manager_closes() -> None:
    with open_engine() as db:
        assert db.sql("SELECT 1 AS one").column("one").to_pylist() == [1]
