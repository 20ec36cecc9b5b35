"""Partition-parallel batch work on any engine: Python over record batches, streams, Parquet.

Some batch jobs are not SQL: batch screening runs the Python scorer over every customer. An
engine that can run Python next to its data (Spark: ``mapInArrow`` on every executor core)
implements :class:`PartitionedEngine`; for the others (DuckDB, in process) the functions here
do the same work in this process, so a job calls :func:`map_batches`, :func:`stream`,
:func:`write_parquet` and :func:`register_rows` once and runs on either engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyarrow as pa
import pyarrow.parquet as pq

from interdict.engines.base import Engine, Params, check_identifier
from interdict.engines.commit import is_uri
from interdict.errors import BadInputError

__all__ = [
    "ROW_COLUMNS",
    "BatchFunction",
    "PartitionedEngine",
    "map_batches",
    "parallel_inside",
    "register_rows",
    "stream",
    "write_parquet",
]

BatchFunction = Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]
"""Record batches of one partition in, record batches of the output out (any number)."""

ROW_COLUMNS = ("src_part", "src_file", "src_record")
"""Columns :func:`register_rows` adds: file rank, file name, 1-based row in the file."""

_BATCH_ROWS = 8192


@runtime_checkable
class PartitionedEngine(Protocol):
    """An engine that runs Python over partitions of its tables itself, in parallel."""

    def map_batches(
        self,
        source: str,
        target: str,
        function: BatchFunction,
        schema: pa.Schema,
        *,
        partitions: int | None = None,
    ) -> None:
        """Materialise ``function`` over the batches of ``source`` as table ``target``."""

    def stream(self, query: str, params: Params | None = None) -> Iterator[pa.RecordBatch]:
        """The rows of ``query``, in order, a batch at a time."""

    def write_parquet(self, query: str, location: str, params: Params | None = None) -> None:
        """Write the result of ``query`` as a Parquet folder at ``location``."""

    def register_rows(self, name: str, location: str) -> None:
        """Register a Parquet file or folder with :data:`ROW_COLUMNS` added."""

    def exists(self, location: str) -> bool:
        """Whether ``location`` exists."""

    def rename(self, source: str, target: str) -> None:
        """Rename ``source`` to ``target``."""

    def delete(self, location: str) -> None:
        """Delete ``location`` recursively; no error when absent."""


def parallel_inside(engine: Engine) -> bool:
    """Whether ``engine`` parallelises :func:`map_batches` itself (else the job may, in process)."""
    return isinstance(engine, PartitionedEngine)


def map_batches(
    engine: Engine,
    source: str,
    target: str,
    function: BatchFunction,
    schema: pa.Schema,
    *,
    partitions: int | None = None,
) -> None:
    """Run ``function`` over the record batches of table ``source``; keep the output as ``target``.

    On a :class:`PartitionedEngine` this runs on every partition in parallel; otherwise the
    whole table streams through ``function`` once, here.
    """
    if isinstance(engine, PartitionedEngine):
        engine.map_batches(source, target, function, schema, partitions=partitions)
        return
    table = engine.sql(f"SELECT * FROM {engine.dialect.quote(check_identifier(source))}")
    batches = iter(table.to_batches(max_chunksize=_BATCH_ROWS))
    output = pa.Table.from_batches(list(function(batches)), schema=schema)
    engine.register(target, output)


def stream(engine: Engine, query: str, params: Params | None = None) -> Iterator[pa.RecordBatch]:
    """The rows of ``query`` as record batches, in the query's order."""
    if isinstance(engine, PartitionedEngine):
        yield from engine.stream(query, params)
        return
    yield from engine.sql(query, params).to_batches(max_chunksize=_BATCH_ROWS)


def write_parquet(engine: Engine, query: str, location: str, params: Params | None = None) -> None:
    """Write the result of ``query`` as a Parquet folder (``part-00000.parquet``, ``_SUCCESS``).

    In-process engines write to local folders only; a URI (``s3a://``, ``hdfs://``…) needs an
    engine with its own file system access (Spark).
    """
    if isinstance(engine, PartitionedEngine):
        engine.write_parquet(query, location, params)
        return
    folder = _local(location)
    folder.mkdir(parents=True)
    pq.write_table(engine.sql(query, params), folder / "part-00000.parquet")
    (folder / "_SUCCESS").touch()


def register_rows(engine: Engine, name: str, location: str) -> None:
    """Register a Parquet file or folder as ``name``, each row with :data:`ROW_COLUMNS`.

    A folder's files are taken in name order, skipping names that start with ``_`` or ``.``
    (markers and checksums), as Spark does.
    """
    if isinstance(engine, PartitionedEngine):
        engine.register_rows(name, location)
        return
    path = _local(location)
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.is_file() and not p.name.startswith(("_", "."))
        )
    elif path.is_file():
        files = [path]
    else:
        raise BadInputError("file or folder not found", where=location, hint="check the path")
    if not files:
        raise BadInputError("no Parquet files in the folder", where=location)
    tables = [_numbered(file, rank) for rank, file in enumerate(files)]
    engine.register(name, pa.concat_tables(tables, promote_options="default"))


def _numbered(file: Path, rank: int) -> pa.Table:
    try:
        table = pq.read_table(file)
    except (pa.ArrowInvalid, OSError) as exc:
        raise BadInputError(f"cannot read Parquet: {exc}", where=str(file)) from exc
    rows = table.num_rows
    table = table.append_column("src_file", pa.array([file.name] * rows, pa.string()))
    table = table.append_column("src_record", pa.array(range(1, rows + 1), pa.int64()))
    return table.append_column("src_part", pa.array([rank] * rows, pa.int32()))


def _local(location: str) -> Path:
    if is_uri(location):
        if location.startswith("file:"):
            return Path("/" + location.removeprefix("file:").lstrip("/"))
        raise BadInputError(
            "this engine reads and writes local paths only",
            where=location,
            hint="use --engine spark for shared storage, or a local path",
        )
    return Path(location)
