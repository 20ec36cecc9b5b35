"""In-process fallbacks of the partition functions (DuckDB); Spark's are in test_spark.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from interdict.engines import partitions
from interdict.engines.duckdb import DuckDBEngine
from interdict.errors import BadInputError


@pytest.fixture
def engine() -> Iterator[DuckDBEngine]:
    with DuckDBEngine(threads=1) as db:
        yield db


def _evens(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        values = [v for v in batch.column("a").to_pylist() if v % 2 == 0]
        if values:
            yield pa.RecordBatch.from_pydict({"a": values}, schema=pa.schema([("a", pa.int64())]))


def test_map_batches_may_drop_rows_and_output_nothing(engine: DuckDBEngine) -> None:
    schema = pa.schema([("a", pa.int64())])
    engine.register("n", pa.table({"a": pa.array([1, 2, 3, 4], pa.int64())}))
    partitions.map_batches(engine, "n", "even", _evens, schema)
    assert engine.sql("SELECT a FROM even ORDER BY a").column("a").to_pylist() == [2, 4]
    engine.register("odd", pa.table({"a": pa.array([1, 3], pa.int64())}))
    partitions.map_batches(engine, "odd", "none", _evens, schema)
    assert engine.sql("SELECT COUNT(*) AS n FROM none").column("n").to_pylist() == [0]


def test_shared_storage_needs_spark(engine: DuckDBEngine) -> None:
    engine.register("t", pa.table({"a": [1]}))
    with pytest.raises(BadInputError, match=r"local paths only.*--engine spark"):
        partitions.write_parquet(engine, "SELECT a FROM t", "s3a://bucket/out")
    with pytest.raises(BadInputError, match="local paths only"):
        partitions.register_rows(engine, "r", "hdfs://nn/in")


def test_file_uris_are_local(engine: DuckDBEngine, tmp_path: Path) -> None:
    pq.write_table(pa.table({"a": [5]}), tmp_path / "one.parquet")
    partitions.register_rows(engine, "r", (tmp_path / "one.parquet").as_uri())
    row = engine.sql("SELECT a, src_part, src_file, src_record FROM r").to_pylist()
    assert row == [{"a": 5, "src_part": 0, "src_file": "one.parquet", "src_record": 1}]


def test_register_rows_errors_name_the_file(engine: DuckDBEngine, tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="not found"):
        partitions.register_rows(engine, "r", str(tmp_path / "missing"))
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "_SUCCESS").touch()
    with pytest.raises(BadInputError, match="no Parquet files"):
        partitions.register_rows(engine, "r", str(tmp_path / "empty"))
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(BadInputError, match="cannot read Parquet") as caught:
        partitions.register_rows(engine, "r", str(tmp_path / "bad.parquet"))
    assert str(tmp_path / "bad.parquet") in caught.value.message


def test_write_parquet_refuses_an_existing_folder(engine: DuckDBEngine, tmp_path: Path) -> None:
    engine.register("t", pa.table({"a": [1]}))
    (tmp_path / "out").mkdir()
    with pytest.raises(FileExistsError):
        partitions.write_parquet(engine, "SELECT a FROM t", str(tmp_path / "out"))
