"""The batch screening job over partitions of a customer table: customers in, results out.

:mod:`interdict.screening.batch` runs it end to end (lists, input file, output commit); this
module is the job itself.

The job runs the very scorer ``interdict screen`` runs (:meth:`Screener.screen_many`, and so
:func:`~interdict.screening.scorer.score_name`) over the customer table's record batches:

* on DuckDB, in this process, on all cores (forked workers, as the CLI does);
* on Spark, inside every partition (``mapInArrow``). The screener is pickled once per job and
  compressed; PySpark ships a payload this size to the executors as a broadcast, and each
  executor's Python worker unpickles it once and keeps it in a module-level cache keyed by its
  digest, so later tasks and jobs with the same lists start scoring at once.

Each output row carries the exact JSON line ``interdict screen`` writes for that record (its
matches, or the reason the record was unreadable), plus ``part``/``record`` for input order,
``matched`` and ``best_score`` for SQL over the results. Customer files: CSV or JSON Lines are
read with :func:`~interdict.readers.parties.read_parties` on the driver (the same rows, line
numbers and errors as the CLI); Parquet files or folders — the form for a national customer
base on shared storage — are read by the engine and parsed inside the partitions with the
reader's own :func:`~interdict.readers.parties.parse_party_fields`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import zlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from interdict.engines import partitions
from interdict.engines.base import Engine
from interdict.engines.commit import is_uri
from interdict.errors import BadInputError
from interdict.model import Party
from interdict.readers.parties import FIELDS, parse_party_fields, read_parties
from interdict.screening.result import Match, ScreeningResult
from interdict.screening.screener import Screener

__all__ = [
    "CUSTOMERS",
    "RESULTS",
    "RESULT_SCHEMA",
    "BatchOptions",
    "RowFeed",
    "SharedScreener",
    "customer_table",
    "is_parquet",
    "parties_table",
    "register_customers",
    "result_from_dict",
    "screen_partition",
    "screen_table",
]

CUSTOMERS = "batch_customers"
"""Engine table the customers are registered under."""
RESULTS = "batch_results"
"""Engine table the results are kept in."""

RESULT_SCHEMA = pa.schema(
    [
        pa.field("part", pa.int32(), nullable=False),
        pa.field("record", pa.int64(), nullable=False),
        pa.field("id", pa.string()),
        pa.field("matched", pa.bool_(), nullable=False),
        pa.field("best_score", pa.float64()),
        pa.field("error", pa.string()),
        pa.field("result", pa.string(), nullable=False),
    ]
)
"""One row per input record: input position, id, whether and how well it matched, the reason
it could not be read, and ``result`` — the JSON line of ``interdict screen``."""

_PREPARED = pa.schema(
    [
        pa.field("part", pa.int32()),
        pa.field("record", pa.int64()),
        pa.field("id", pa.string()),
        pa.field("party", pa.string()),
        pa.field("error", pa.string()),
    ]
)
_CHUNK = 50_000
_OUTPUT_ROWS = 2048
_TEMPORAL = (pa.types.is_date, pa.types.is_timestamp)


@dataclass(frozen=True)
class BatchOptions:
    """What ``interdict screen`` takes besides the input: threshold, limit, list filter."""

    threshold: float
    limit: int = 10
    lists: frozenset[str] | None = None


_SCREENERS: dict[str, Screener] = {}
"""Screeners rebuilt in this process (an executor's Python worker), by digest."""


class SharedScreener:
    """A screener that travels to executors as compressed bytes and is rebuilt once there.

    In the process that made it, it is simply the screener. Pickled, it becomes its digest
    and zlib-compressed pickle; unpickled, it finds the screener in :data:`_SCREENERS` or
    rebuilds it from the bytes and keeps only that one (a worker serves one list set at a time).
    """

    def __init__(self, screener: Screener) -> None:
        self._screener: Screener | None = screener
        self._blob: bytes | None = None
        self.digest: str | None = None

    def get(self) -> Screener:
        """The screener, rebuilt at most once per process."""
        if self._screener is None:
            assert self.digest is not None and self._blob is not None
            cached = _SCREENERS.get(self.digest)
            if cached is None:
                cached = pickle.loads(zlib.decompress(self._blob))  # our own bytes, this job
                _SCREENERS.clear()
                _SCREENERS[self.digest] = cached
            self._screener = cached
        return self._screener

    def __getstate__(self) -> dict[str, Any]:
        if self._blob is None:
            self._blob = zlib.compress(pickle.dumps(self.get(), protocol=5), 1)
            self.digest = hashlib.sha256(self._blob).hexdigest()
        return {"blob": self._blob, "digest": self.digest}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._screener = None
        self._blob = state["blob"]
        self.digest = state["digest"]


@dataclass(frozen=True, slots=True)
class _Row:
    part: int
    record: int
    id: str
    party: Party | None
    error: str | None


class _HasParty(Protocol):
    @property
    def party(self) -> Party | None: ...


RowT = TypeVar("RowT", bound=_HasParty)


class RowFeed(Generic[RowT]):
    """Feeds parties to the screener while remembering every row, to pair results in order.

    Rows are read as the screener asks for parties (a file is streamed, never held whole);
    rows without a party (unreadable ones) are paired with ``None`` between the results
    around them.
    """

    def __init__(self, rows: Iterable[RowT]) -> None:
        self.rows = rows
        self.pending: deque[RowT] = deque()

    def parties(self) -> Iterator[Party]:
        for row in self.rows:
            self.pending.append(row)
            if row.party is not None:
                yield row.party

    def paired(
        self, results: Iterable[ScreeningResult]
    ) -> Iterator[tuple[RowT, ScreeningResult | None]]:
        for result in results:
            while self.pending:
                row = self.pending.popleft()
                if row.party is None:
                    yield row, None
                    continue
                yield row, result
                break
        while self.pending:
            yield self.pending.popleft(), None


def _prepared_rows(batch: pa.RecordBatch) -> Iterator[_Row]:
    columns = batch.to_pydict()
    for part, record, rid, party, error in zip(
        columns["part"],
        columns["record"],
        columns["id"],
        columns["party"],
        columns["error"],
        strict=True,
    ):
        parsed = Party.model_validate_json(party) if party is not None else None
        yield _Row(part, record, rid, parsed, error)


def _text_columns(batch: pa.RecordBatch) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {}
    names = {name.lower(): name for name in batch.schema.names}
    for field in FIELDS:
        name = names.get(field)
        if name is None:
            continue
        column = batch.column(name)
        if any(test(column.type) for test in _TEMPORAL):
            column = pc.cast(column, pa.string())
        columns[field] = column.to_pylist()
    return columns


def _raw_rows(batch: pa.RecordBatch) -> Iterator[_Row]:
    fields = _text_columns(batch)
    parts = batch.column("src_part").to_pylist()
    files = batch.column("src_file").to_pylist()
    records = batch.column("src_record").to_pylist()
    for i, (part, file, record) in enumerate(zip(parts, files, records, strict=True)):
        row = parse_party_fields({k: values[i] for k, values in fields.items()}, record)
        label = f"{file} record {record}"
        error = None
        if row.error is not None:
            error = f"{label}: {row.error.removeprefix(f'line {record}: ')}"
        yield _Row(part, record, row.raw_id or label, row.party, error)


def _rows(batches: Iterable[pa.RecordBatch]) -> Iterator[_Row]:
    for batch in batches:
        if "party" in batch.schema.names:
            yield from _prepared_rows(batch)
        else:
            yield from _raw_rows(batch)


class _Output:
    """Result rows collected into record batches of :data:`RESULT_SCHEMA`."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in RESULT_SCHEMA.names}

    def __len__(self) -> int:
        return len(self.columns["record"])

    def add(self, row: _Row, result: ScreeningResult | None) -> None:
        if result is None:
            data: dict[str, Any] = {"id": row.id, "matches": [], "error": row.error}
            best = None
        else:
            data = result.to_dict()
            best = result.matches[0].score if result.matches else None
        columns = self.columns
        columns["part"].append(row.part)
        columns["record"].append(row.record)
        columns["id"].append(data["id"])
        columns["matched"].append(best is not None)
        columns["best_score"].append(best)
        columns["error"].append(row.error)
        columns["result"].append(json.dumps(data, ensure_ascii=False))

    def flush(self) -> pa.RecordBatch:
        batch = pa.RecordBatch.from_pydict(self.columns, schema=RESULT_SCHEMA)
        self.columns = {name: [] for name in RESULT_SCHEMA.names}
        return batch


def screen_partition(
    batches: Iterator[pa.RecordBatch],
    shared: SharedScreener,
    options: BatchOptions,
    workers: int | None = 1,
) -> Iterator[pa.RecordBatch]:
    """Screen the customer rows of one partition; yield :data:`RESULT_SCHEMA` batches.

    This is the function Spark runs on its executors (``workers=1``: one task, one core) and
    DuckDB runs over the whole table here (``workers=None``: all cores).
    """
    screener = shared.get()
    feed = RowFeed(_rows(batches))
    lists = set(options.lists) if options.lists else None
    results = screener.screen_many(
        feed.parties(),
        threshold=options.threshold,
        limit=options.limit,
        lists=lists,
        workers=workers,
    )
    output = _Output()
    for row, result in feed.paired(results):
        output.add(row, result)
        if len(output) >= _OUTPUT_ROWS:
            yield output.flush()
    if len(output):
        yield output.flush()


def screen_table(
    engine: Engine,
    screener: Screener,
    options: BatchOptions,
    *,
    source: str = CUSTOMERS,
    target: str = RESULTS,
    workers: int | None = None,
    partitions_hint: int | None = None,
) -> None:
    """Screen every row of table ``source`` (see :func:`register_customers`) into ``target``.

    ``workers`` applies to in-process engines (default: all cores); a partitioned engine runs
    one core per task and as many tasks at once as it has cores.
    """
    inside = partitions.parallel_inside(engine)
    job = functools.partial(
        screen_partition,
        shared=SharedScreener(screener),
        options=options,
        workers=1 if inside else workers,
    )
    partitions.map_batches(
        engine, source, target, job, RESULT_SCHEMA, partitions=partitions_hint if inside else None
    )


def customer_table(path: Path, *, delimiter: str | None = None) -> pa.Table:
    """A CSV or JSON Lines customer file as the job's input table, read as ``interdict screen``
    reads it: ``part`` 0, ``record`` the line, ``id`` (or ``line N``), the party as JSON or the
    row's ``error``."""
    batches: list[pa.RecordBatch] = []
    columns: dict[str, list[Any]] = {name: [] for name in _PREPARED.names}
    for row in read_parties(path, delimiter=delimiter):
        party = row.party.model_dump_json(by_alias=True, exclude_none=True) if row.party else None
        rid = row.party.id if row.party else row.raw_id or f"line {row.line}"
        for name, value in zip(_PREPARED.names, (0, row.line, rid, party, row.error), strict=True):
            columns[name].append(value)
        if len(columns["record"]) >= _CHUNK:
            batches.append(pa.RecordBatch.from_pydict(columns, schema=_PREPARED))
            columns = {name: [] for name in _PREPARED.names}
    batches.append(pa.RecordBatch.from_pydict(columns, schema=_PREPARED))
    return pa.Table.from_batches(batches, schema=_PREPARED)


def is_parquet(location: str) -> bool:
    """Parquet input: a ``.parquet`` file, a folder, or a URI on shared storage."""
    path = Path(location)
    return location.lower().endswith(".parquet") or is_uri(location) or path.is_dir()


def register_customers(
    engine: Engine, source: str | Path, *, name: str = CUSTOMERS, delimiter: str | None = None
) -> None:
    """Register a customer file (CSV, JSON Lines, Parquet file or folder) as table ``name``;
    a CSV is split at ``delimiter``, else at the one its header shows."""
    location = str(source)
    if not is_parquet(location):
        engine.register(name, customer_table(Path(location), delimiter=delimiter))
        return
    partitions.register_rows(engine, name, location)
    table = engine.dialect.quote(name)
    present = {c.lower() for c in engine.sql(f"SELECT * FROM {table} LIMIT 0").column_names}
    missing = [c for c in ("id", "name") if c not in present]
    if missing:
        engine.drop(name)
        raise BadInputError(
            f"no {' or '.join(missing)} column",
            where=location,
            hint=f"a customer table has id and name, optionally {', '.join(FIELDS[2:])}",
        )


def result_from_dict(data: dict[str, Any]) -> ScreeningResult:
    """A :class:`ScreeningResult` back from its JSON line (the inverse of ``to_dict``)."""
    matches = tuple(
        Match(
            list_name=m["list"],
            list_version=int(m["list_version"]),
            source_id=m["source_id"],
            entity_id=m["entity_id"],
            schema=m["schema"],
            score=float(m["score"]),
            matched_name=m["matched_name"],
            explanation=tuple(m["explanation"]),
            subject=m.get("subject"),
            subject_reason=m.get("subject_reason"),
        )
        for m in data.get("matches", ())
    )
    versions = {str(k): int(v) for k, v in data.get("list_versions", {}).items()}
    return ScreeningResult(
        str(data["id"]),
        matches,
        str(data.get("matcher", "")),
        versions,
        data.get("error"),
        name=data.get("name"),
    )


def parties_table(parties: Sequence[Party]) -> pa.Table:
    """Parties already validated (stored customers, say) as the job's input table."""
    return pa.table(
        {
            "part": pa.array([0] * len(parties), pa.int32()),
            "record": pa.array(range(1, len(parties) + 1), pa.int64()),
            "id": [p.id for p in parties],
            "party": [p.model_dump_json(by_alias=True, exclude_none=True) for p in parties],
            "error": pa.nulls(len(parties), pa.string()),
        },
        schema=_PREPARED,
    )
