"""The distributed engine: Apache Spark, in local mode by default or on a cluster.

A :class:`SparkEngine` runs the same batch jobs as DuckDB: Arrow tables become Spark DataFrames
(Arrow-enabled conversion), a materialised table is a cached temporary view, and query results
come back as Arrow tables. Each engine works in its own Spark *session* (own views, own SQL
settings) on the one shared SparkContext, so several jobs in one process cannot see each
other's tables and starting a second engine costs nothing.

Beyond the five :class:`~interdict.engines.base.Engine` calls it implements
:class:`~interdict.engines.partitions.PartitionedEngine`: Python code over partitions
(``mapInArrow``), streamed results, distributed Parquet writes and file system renames for
output commits — what batch screening needs to run the scorer on every executor core.

Sessions: under ``spark-submit`` (or when a SparkContext is already running) the engine joins
it; otherwise it starts one — ``local[*]`` unless ``master`` or ``cores`` say otherwise — with
Arrow on, UTC as the session time zone, the web UI and console progress bars off in local mode,
and Spark's own logging reduced to errors.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
from py4j.protocol import Py4JError  # type: ignore[import-untyped]
from pyspark import StorageLevel
from pyspark.errors import PySparkException
from pyspark.logger import PySparkLogger
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.pandas.types import from_arrow_schema

from interdict.engines.base import Dialect, Engine, Params, check_identifier, read_source
from interdict.engines.partitions import BatchFunction
from interdict.errors import BadInputError, InterdictError

__all__ = ["JOB_SETTINGS", "SparkDialect", "SparkEngine", "build_session", "spark_reason"]

_BUG = "this is a bug in a job; please report it"
_QUIET_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
"""
_PYSPARK_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")
_ROWS_PER_BATCH = 8192
JOB_SETTINGS = {
    "spark.sql.autoBroadcastJoinThreshold": "-1",
    "spark.sql.adaptive.autoBroadcastJoinThreshold": "-1",
}
"""SQL settings of every engine session: no broadcast joins. Self-joins of the payment graph
can be estimated small and turn out millions of rows, and even sides *measured* small at run
time, broadcast by many stages at once, exhausted the driver's memory ("Not enough memory to
build and broadcast the table") on 8,000 payments. Sort-merge joins cost a shuffle and never
fail for size."""
_SUBMITTED = "PYSPARK_GATEWAY_PORT"
"""Set by ``spark-submit`` (and ``pyspark``) for the Python driver it launches."""
_READING = re.compile(r"error while reading file (\S+?)\.?(?:\s|$)")


class SparkDialect(Dialect):
    """Spark SQL spellings."""

    name = "spark"

    def param(self, name: str) -> str:
        return f":{check_identifier(name)}"

    def quote(self, identifier: str) -> str:
        return "`" + identifier.replace("`", "``") + "`"

    def log(self, expression: str) -> str:
        return f"LN({expression})"


@contextmanager
def _pyspark_calls() -> Iterator[None]:
    """Silence PySpark's notice about pandas 3 (it is not used on our paths: Arrow is)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
        )
        yield


def spark_reason(exc: BaseException) -> str:
    """One readable line from a Spark, Py4J or executor Python error.

    Python errors on executors come back as tracebacks: their last ``Type: message`` line
    is the reason. JVM errors come wrapped ("An error occurred while calling o101.count"):
    the innermost cause says what went wrong (a file that is not Parquet, a lost executor).
    """
    text = str(exc).strip()
    if "Traceback (most recent call last)" in text:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        errors = [line for line in lines if not line.startswith(("File ", "^", "~", "at "))]
        meaningful = [line for line in errors if ": " in line]
        if meaningful:
            return meaningful[-1][:400]
    java = _java_cause(exc)
    if java:
        text = java
    first = text.splitlines()[0] if text else type(exc).__name__
    return first[:400]


def _java_cause(exc: BaseException) -> str | None:
    """The innermost JVM cause of a Py4J-wrapped error, with the file Spark was reading."""
    cause: Any = getattr(exc, "java_exception", None)
    chain: list[str] = []
    while cause is not None and len(chain) < 12:
        try:
            chain.append(str(cause.toString()))
            cause = cause.getCause()
        except Py4JError:
            break
    if not chain or "Traceback (most recent call last)" in chain[-1]:
        return None  # a Python error inside a JVM one: the Python text is the better reason
    files = [m.group(1) for text in chain if (m := _READING.search(text))]
    return f"{files[-1]}: {chain[-1]}" if files else chain[-1]


def _quiet_log_config() -> str:
    path = Path(tempfile.gettempdir()) / "interdict-spark-log4j2.properties"
    if not path.is_file() or path.read_text(encoding="utf-8") != _QUIET_LOG4J:
        path.write_text(_QUIET_LOG4J, encoding="utf-8")
    return path.as_uri()


def build_session(
    master: str | None = None,
    *,
    cores: int | None = None,
    app_name: str = "interdict",
    config: Mapping[str, str] | None = None,
) -> SparkSession:
    """Start (or join) the process's Spark session with Interdict's defaults.

    ``master`` wins; else ``cores`` means ``local[cores]``; else, under ``spark-submit``, the
    master, resources and name it was given are kept; else ``local[*]``. In local mode the
    driver gets 2 GB, the web UI is off and Spark logs only errors. ``config`` entries override
    the defaults.
    """
    submitted = _SUBMITTED in os.environ
    chosen = master or (f"local[{int(cores)}]" if cores else None)
    if chosen is None and not submitted:
        chosen = "local[*]"
    settings: dict[str, str] = {
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.showConsoleProgress": "false",
    }
    if chosen is not None and chosen.startswith("local"):
        # Executors of a local master are this machine's Python: use this interpreter.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        log_config = _quiet_log_config()
        settings.update(
            {
                "spark.driver.memory": "2g",
                "spark.ui.enabled": "false",
                "spark.sql.shuffle.partitions": str(max(4, 4 * _local_cores(chosen))),
                "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={log_config}",
            }
        )
    settings.update(config or {})
    builder: Any = SparkSession.builder
    if chosen is not None:
        builder = builder.master(chosen)
    if not submitted:
        builder = builder.appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        with _pyspark_calls():
            session: SparkSession = builder.getOrCreate()
    except (PySparkException, Py4JError, OSError, RuntimeError) as exc:
        raise InterdictError(
            f"cannot start Spark ({chosen or 'spark-submit'}): {spark_reason(exc)}",
            hint="check Java 17 (JAVA_HOME) and the master URL, or use --engine duckdb",
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def _local_cores(master: str) -> int:
    """Cores of a ``local``, ``local[N]``, ``local[*]`` or ``local[N,F]`` master."""
    inside = master[master.find("[") + 1 : master.find("]")] if "[" in master else "1"
    head = inside.split(",")[0]
    return int(head) if head.isdigit() else os.cpu_count() or 2


class SparkEngine(Engine):
    """Spark SQL behind the engine interface, plus partition-parallel Python.

    ``session`` uses that session (the caller owns it; :data:`JOB_SETTINGS` are applied to
    it). Otherwise, if Spark already
    runs in this process the engine opens a fresh session on it and leaves Spark running when
    closed; if not, it starts Spark with :func:`build_session` and stops it when closed.
    """

    name = "spark"

    def __init__(
        self,
        *,
        master: str | None = None,
        cores: int | None = None,
        session: SparkSession | None = None,
        config: Mapping[str, str] | None = None,
        partitions: int | None = None,
    ) -> None:
        self.dialect = SparkDialect()
        for logger_name in _PYSPARK_LOGGERS:
            PySparkLogger.getLogger(logger_name).setLevel(logging.CRITICAL)
        self._owns_spark = False
        if session is not None:
            self.spark = session
        elif SparkSession.getActiveSession() is not None or _context_running():
            with _pyspark_calls():
                self.spark = SparkSession.builder.getOrCreate().newSession()
        else:
            self.spark = build_session(master, cores=cores, config=config)
            self._owns_spark = True
        for key, value in JOB_SETTINGS.items():
            self.spark.conf.set(key, value)
        self.partitions = partitions
        self._views: dict[str, DataFrame] = {}

    @property
    def parallelism(self) -> int:
        """Cores Spark schedules tasks on (the default parallelism)."""
        return int(self.spark.sparkContext.defaultParallelism)

    # -- the Engine interface -------------------------------------------------------------

    def register(self, name: str, source: pa.Table | Path) -> None:
        """Parquet files stay on disk and are read by the executors; an Arrow table (or a CSV
        file read here) is cached in Spark's memory at once, as DuckDB holds it in memory.

        Cached, not a local relation: queries that use a table many times (self-joins of the
        payment graph) then scan one cached copy instead of carrying the rows in every plan.
        """
        check_identifier(name)
        self.drop(name)
        if isinstance(source, Path) and (
            source.is_dir() or source.name.lower().endswith(".parquet")
        ):
            frame = self._run(lambda: self.spark.read.parquet(str(source)), where=str(source))
            frame.createOrReplaceTempView(name)
            self._views[name] = frame
            return
        table = read_source(source)
        frame = self._run(lambda: self.spark.createDataFrame(table), where=name)
        self._materialise(name, frame.persist(StorageLevel.MEMORY_AND_DISK))

    def create_table(self, name: str, query: str, params: Params | None = None) -> None:
        check_identifier(name)
        self.drop(name)
        frame = self._query(query, params).persist(StorageLevel.MEMORY_AND_DISK)
        self._materialise(name, frame)

    def sql(self, query: str, params: Params | None = None) -> pa.Table:
        frame = self._query(query, params)
        table: pa.Table = self._run(frame.toArrow)
        return table

    def drop(self, name: str) -> None:
        check_identifier(name)
        frame = self._views.pop(name, None)
        if frame is not None and frame.is_cached:
            frame.unpersist(blocking=False)
        self._run(lambda: self.spark.catalog.dropTempView(name))

    def close(self) -> None:
        for name in list(self._views):
            self.drop(name)
        if self._owns_spark:
            # Adaptive execution may still run stages of finished queries (subqueries it
            # started early); cancel them so that stopping Spark does not race them.
            self.spark.sparkContext.cancelAllJobs()
            self.spark.stop()

    # -- partition-parallel work (PartitionedEngine) --------------------------------------

    def map_batches(
        self,
        source: str,
        target: str,
        function: BatchFunction,
        schema: pa.Schema,
        *,
        partitions: int | None = None,
    ) -> None:
        """Run ``function`` over the record batches of each partition of ``source``, in parallel.

        The input is spread round-robin over ``partitions`` tasks (default: three per core)
        so that every core gets work; ``function`` is pickled once per job and ships to the
        executors. The output is materialised as ``target``: it is computed exactly once.
        """
        check_identifier(target)
        self.drop(target)
        count = partitions or self.partitions or 3 * self.parallelism
        spark_schema = from_arrow_schema(schema)
        frame = self._run(lambda: self.spark.table(check_identifier(source)).repartition(count))
        with _pyspark_calls():
            mapped = frame.mapInArrow(function, spark_schema)
        self._materialise(target, mapped.persist(StorageLevel.MEMORY_AND_DISK))

    def stream(self, query: str, params: Params | None = None) -> Iterator[pa.RecordBatch]:
        """The rows of ``query`` as Arrow batches, in order, one partition at a time."""
        frame = self._query(query, params)
        schema = from_spark_types(frame)
        names = schema.names
        rows = self._run(lambda: frame.toLocalIterator(prefetchPartitions=True))
        chunk: list[tuple[Any, ...]] = []
        try:
            for row in rows:
                chunk.append(tuple(row))
                if len(chunk) >= _ROWS_PER_BATCH:
                    yield _batch(chunk, names, schema)
                    chunk = []
        except (PySparkException, Py4JError) as exc:
            raise _failure(exc, None) from exc
        if chunk:
            yield _batch(chunk, names, schema)

    def write_parquet(self, query: str, location: str, params: Params | None = None) -> None:
        """Write the result of ``query`` as a Parquet folder at ``location`` (any Hadoop URI)."""
        frame = self._query(query, params)
        self._run(lambda: frame.write.mode("errorifexists").parquet(location), where=location)

    def register_rows(self, name: str, location: str) -> None:
        """Register a Parquet file or folder, each row with its place in the input.

        Added columns (see :data:`~interdict.engines.partitions.ROW_COLUMNS`): ``src_file``
        the part file's name, ``src_part`` its rank among the folder's files by name,
        ``src_record`` the row's 1-based position in its file — a stable order for any input.
        """
        check_identifier(name)
        self.drop(name)
        frame = self._run(lambda: self.spark.read.parquet(location), where=location)
        files = sorted({_file_name(uri) for uri in self._run(frame.inputFiles, where=location)})
        ranks = self._run(
            lambda: self.spark.createDataFrame(
                pa.table({"src_file": files, "src_part": pa.array(range(len(files)), pa.int32())})
            )
        )
        with_meta = frame.selectExpr(
            "*", "_metadata.file_name AS src_file", "_metadata.row_index + 1 AS src_record"
        )
        numbered = with_meta.join(ranks, on="src_file", how="left")
        numbered.createOrReplaceTempView(name)
        self._views[name] = numbered

    def exists(self, location: str) -> bool:
        """Whether ``location`` exists on its file system (local, HDFS, S3…)."""
        filesystem, path = self._hadoop(location)
        return bool(self._run(lambda: filesystem.exists(path), where=location))

    def rename(self, source: str, target: str) -> None:
        """Rename ``source`` to ``target`` on their (shared) file system."""
        filesystem, src = self._hadoop(source)
        _, dst = self._hadoop(target)
        if not self._run(lambda: filesystem.rename(src, dst), where=source):
            raise InterdictError(f"cannot rename to {target}", where=source)

    def delete(self, location: str) -> None:
        """Delete ``location`` (recursively); no error if it does not exist."""
        filesystem, path = self._hadoop(location)
        self._run(lambda: filesystem.delete(path, True), where=location)

    # -- internals ------------------------------------------------------------------------

    def _hadoop(self, location: str) -> tuple[Any, Any]:
        jvm: Any = self.spark.sparkContext._jvm
        path = jvm.org.apache.hadoop.fs.Path(location)
        conf = self.spark.sparkContext._jsc.hadoopConfiguration()
        return path.getFileSystem(conf), path

    def _query(self, query: str, params: Params | None) -> DataFrame:
        args = dict(params) if params else None
        frame: DataFrame = self._run(lambda: self.spark.sql(query, args=args))
        return frame

    def _materialise(self, name: str, frame: DataFrame) -> None:
        try:
            self._run(frame.count)
        except InterdictError:
            frame.unpersist(blocking=False)
            raise
        frame.createOrReplaceTempView(name)
        self._views[name] = frame

    def _run(self, call: Any, *, where: str | None = None) -> Any:
        try:
            with _pyspark_calls():
                return call()
        except (PySparkException, Py4JError) as exc:
            raise _failure(exc, where) from exc


def _context_running() -> bool:
    from pyspark import SparkContext

    return SparkContext._active_spark_context is not None


def _file_name(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _failure(exc: BaseException, where: str | None) -> InterdictError:
    """Spark's error as ours: analysis errors are job bugs, the rest are run failures."""
    reason = spark_reason(exc)
    condition = getattr(exc, "getCondition", lambda: None)()
    if condition and condition.startswith(("PATH_NOT_FOUND", "UNABLE_TO_INFER_SCHEMA")):
        return BadInputError(f"cannot read input: {reason}", where=where, hint="check the path")
    if isinstance(exc, PySparkException) and type(exc).__name__ in (
        "AnalysisException",
        "ParseException",
    ):
        return InterdictError(f"query failed: {reason}", where=where, hint=_BUG)
    return InterdictError(
        f"Spark job failed: {reason}",
        where=where,
        hint="see the executor logs; the output was not written",
    )


def from_spark_types(frame: DataFrame) -> pa.Schema:
    """The Arrow schema Spark would convert ``frame``'s rows to."""
    from pyspark.sql.pandas.types import to_arrow_schema

    schema: pa.Schema = to_arrow_schema(frame.schema, timezone="UTC")
    return schema


def _batch(rows: list[tuple[Any, ...]], names: list[str], schema: pa.Schema) -> pa.RecordBatch:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    arrays = [
        pa.array(list(values), type=field.type)
        for values, field in zip(columns, schema, strict=True)
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
