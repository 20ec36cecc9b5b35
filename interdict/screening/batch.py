"""Screen a whole customer base on an engine — DuckDB here, or Spark on a cluster.

:func:`run_batch_screening` is ``interdict screen --engine {duckdb,spark}``: it loads the lists
from the workspace, registers the customer file on the engine, runs the partitioned screening
job (:mod:`interdict.screening.partitioned`) and commits the output — JSON Lines or CSV exactly
as ``interdict screen`` writes them (same records, same order, same matches and scores), or a
Parquet folder of the results table for shared storage. Output is staged and renamed into place
at the end (:class:`~interdict.engines.commit.StagedOutput`): a failed run leaves no output
behind that looks complete, and its error names the input and the reason.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from interdict.engines import partitions
from interdict.engines.base import Engine
from interdict.engines.commit import FileSystem, LocalFileSystem, StagedOutput, is_uri
from interdict.engines.factory import open_engine
from interdict.engines.partitions import PartitionedEngine
from interdict.errors import BadInputError, InterdictError
from interdict.model import Entity, Party
from interdict.screening.partitioned import (
    CUSTOMERS,
    RESULTS,
    BatchOptions,
    parties_table,
    register_customers,
    result_from_dict,
    screen_table,
)
from interdict.screening.result import ScreeningResult
from interdict.screening.scorer import DEFAULT_THRESHOLD
from interdict.screening.screener import Screener

__all__ = [
    "CSV_HEADER",
    "OUTPUT_FORMATS",
    "STDOUT",
    "BatchReport",
    "csv_rows",
    "output_kind",
    "run_batch_screening",
    "screen_file",
    "screen_parties",
    "write_results",
]

CSV_HEADER = (
    "id",
    "name",
    "list",
    "source_id",
    "score",
    "matched_name",
    "subject",
    "explanation",
    "error",
)
"""One row per match (one row with empty match columns for a record without); ``name`` is the
screened name, ``subject`` the designee the match is a listing of (rows of one subject share it)."""
"""Columns of CSV output, as ``interdict screen --out x.csv`` writes them."""
SUMMARY_HITS = 25
_ORDERED = f"SELECT {{columns}} FROM {RESULTS} ORDER BY part, record"


@dataclass
class BatchReport:
    """What a batch screening run did: counts, the first hits, where the output went."""

    engine: str
    input: str
    output: str
    records: int
    unreadable: int
    matched: int
    seconds: float
    hits: list[ScreeningResult] = field(default_factory=list)
    """The first :data:`SUMMARY_HITS` records with matches, in input order."""
    problems: list[str] = field(default_factory=list)
    """Why the first :data:`SUMMARY_HITS` unreadable records could not be screened."""

    @property
    def screened(self) -> int:
        """Records that could be read and were screened."""
        return self.records - self.unreadable

    @property
    def tally(self) -> dict[str, int]:
        """Counts in the shape the CLI's summary table takes."""
        return {"screened": self.screened, "unreadable": self.unreadable, "matched": self.matched}


OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
"""What screening results can be written as (``--format``)."""
STDOUT = "-"
"""The output location that means standard output (JSON lines)."""
_SUFFIX_KIND = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}
_SUFFIX_KIND |= {".parquet": "parquet", "": "parquet"}


def output_kind(location: str, chosen: str | None = None) -> str:
    """``jsonl``, ``csv`` or ``parquet`` for the output ``location``: ``chosen`` (``--format``)
    if given, else from the name — ``.jsonl``/``.ndjson``/``.json``, ``.csv``, ``.parquet`` or a
    folder (no extension, a trailing ``/``, or an existing folder); ``-`` is JSON lines on
    standard output. Anything else is refused before any work is done."""
    if chosen is not None:
        if chosen not in OUTPUT_FORMATS:
            raise BadInputError(
                f"unknown output format {chosen!r}", hint=f"use one of {', '.join(OUTPUT_FORMATS)}"
            )
        if location == STDOUT and chosen != "jsonl":
            raise BadInputError(
                f"{chosen.upper()} cannot be written to standard output",
                where="--out -",
                hint="standard output takes JSON lines; name a file for CSV or Parquet",
            )
        return chosen
    if location == STDOUT:
        return "jsonl"
    if location.endswith("/") or (not is_uri(location) and Path(location).is_dir()):
        return "parquet"
    suffix = PurePosixPath(location.lower()).suffix
    kind = _SUFFIX_KIND.get(suffix)
    if kind is None:
        raise BadInputError(
            f"cannot tell what to write from the extension {suffix!r}",
            where=location,
            hint="name the output .jsonl, .csv, .parquet or a folder, or give --format"
            f" {'|'.join(OUTPUT_FORMATS)} ('-' writes JSON lines to standard output)",
        )
    return kind


def csv_rows(data: Mapping[str, Any]) -> Iterator[list[str]]:
    """The CSV rows (:data:`CSV_HEADER`) of one result in its JSON form."""
    matches = data.get("matches") or []
    screened = [str(data["id"]), data.get("name") or ""]
    if not matches:
        yield [*screened, "", "", "", "", "", "", data.get("error") or ""]
    for m in matches:
        yield [
            *screened,
            m["list"],
            m["source_id"],
            f"{m['score']:.6f}",
            m["matched_name"],
            m.get("subject") or m["entity_id"],
            " | ".join(m["explanation"]),
            "",
        ]


def _write_lines(engine: Engine, handle: IO[str], kind: str) -> None:
    writer = csv.writer(handle) if kind == "csv" else None
    if writer is not None:
        writer.writerow(CSV_HEADER)
    for batch in partitions.stream(engine, _ORDERED.format(columns="result")):
        for line in batch.column(0).to_pylist():
            if writer is None:
                handle.write(line + "\n")
            else:
                writer.writerows(csv_rows(json.loads(line)))


def write_results(engine: Engine, location: str, output_format: str | None = None) -> None:
    """Commit the results table to ``location`` in input order (see :func:`output_kind`);
    CSV starts with a UTF-8 byte-order mark, so that Excel reads it as UTF-8."""
    kind = output_kind(location, output_format)
    if location == STDOUT:
        _write_lines(engine, sys.stdout, kind)
        sys.stdout.flush()
        return
    if kind == "parquet":
        filesystem: FileSystem = (
            engine if isinstance(engine, PartitionedEngine) else LocalFileSystem()
        )
        with StagedOutput(location, filesystem) as staging:
            partitions.write_parquet(engine, _ORDERED.format(columns="*"), staging)
        return
    if is_uri(location):
        raise BadInputError(
            f"{kind.upper()} output is written by this machine: give a local path",
            where=location,
            hint="or name a folder to write a Parquet results table to shared storage",
        )
    with (
        StagedOutput(location) as staging,
        open(staging, "w", encoding=output_encoding(kind), newline="") as handle,
    ):
        _write_lines(engine, handle, kind)


def output_encoding(kind: str) -> str:
    """The text encoding of an output of ``kind``: CSV with a byte-order mark (for Excel)."""
    return "utf-8-sig" if kind == "csv" else "utf-8"


def _summary(engine: Engine, name: str, source: str, output: str, started: float) -> BatchReport:
    counts = engine.sql(
        "SELECT COUNT(*) AS records,"
        " SUM(CASE WHEN error IS NULL THEN 0 ELSE 1 END) AS unreadable,"
        f" SUM(CASE WHEN matched THEN 1 ELSE 0 END) AS matched FROM {RESULTS}"
    ).to_pylist()[0]
    first = engine.sql(
        f"SELECT result FROM {RESULTS} WHERE matched ORDER BY part, record LIMIT {SUMMARY_HITS}"
    )
    problems = engine.sql(
        f"SELECT error FROM {RESULTS} WHERE error IS NOT NULL ORDER BY part, record"
        f" LIMIT {SUMMARY_HITS}"
    )
    return BatchReport(
        engine=name,
        input=source,
        output=output,
        records=int(counts["records"] or 0),
        unreadable=int(counts["unreadable"] or 0),
        matched=int(counts["matched"] or 0),
        seconds=time.perf_counter() - started,
        hits=[result_from_dict(json.loads(line)) for line in first.column(0).to_pylist()],
        problems=[str(error) for error in problems.column(0).to_pylist()],
    )


def screen_file(
    engine: Engine,
    screener: Screener,
    source: str | Path,
    output: str | Path,
    options: BatchOptions,
    *,
    workers: int | None = None,
    output_format: str | None = None,
    delimiter: str | None = None,
) -> BatchReport:
    """Screen the customer file ``source`` on an open ``engine``; commit results to ``output``
    (as ``output_format``, else as its name says: :func:`output_kind`); a CSV ``source`` is
    split at ``delimiter``, else at the one its header shows."""
    output_kind(str(output), output_format)  # an unusable output is refused before any work
    started = time.perf_counter()
    register_customers(engine, source, delimiter=delimiter)
    try:
        screen_table(engine, screener, options, workers=workers)
        report = _summary(engine, engine.name, str(source), str(output), started)
        write_results(engine, str(output), output_format)
    finally:
        engine.drop(CUSTOMERS)
        engine.drop(RESULTS)
    report.seconds = time.perf_counter() - started
    return report


def _load_entities(home: Path | None, lists: Sequence[str] | None) -> list[Entity]:
    from interdict.settings import load_settings
    from interdict.store import Workspace

    with Workspace(
        load_settings(home=home).home, read_only=True, create=True, lists_only=True
    ) as workspace:
        entities = list(workspace.entities(list(lists) if lists else None))
    if not entities:
        raise BadInputError("no lists are loaded", hint="import one with 'interdict lists import'")
    return entities


def run_batch_screening(
    engine_name: str,
    input_path: str | Path,
    out_path: str | Path,
    lists: Sequence[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
    home: Path | None = None,
    *,
    workers: int | None = None,
    engine_options: Mapping[str, Any] | None = None,
    matcher: str | None = None,
    output_format: str | None = None,
    delimiter: str | None = None,
) -> BatchReport:
    """Screen a customer file against the workspace's lists on engine ``engine_name``.

    INPUT is CSV or JSON Lines (as for ``interdict screen``) or Parquet (file, folder or URI);
    OUT is ``.jsonl``/``.csv`` (the CLI's output, in input order), a Parquet folder, or ``-``
    (JSON lines on standard output); ``output_format`` overrides what OUT's name says.
    ``workers`` applies to DuckDB; ``engine_options`` go to the engine (``master``, ``cores``…);
    ``matcher`` names the registered matcher (default: the registry's default).
    Any failure is reported against the input and leaves no output in place.
    """
    source, output = str(input_path), str(out_path)
    output_kind(output, output_format)  # refused before the lists are loaded
    entities = _load_entities(home, lists)
    options = BatchOptions(threshold=threshold, limit=limit)
    try:
        with open_engine(engine_name, **dict(engine_options or {})) as engine:
            return screen_file(
                engine,
                Screener(entities, matcher=matcher),
                source,
                output,
                options,
                workers=workers,
                output_format=output_format,
                delimiter=delimiter,
            )
    except InterdictError as exc:
        raise type(exc)(
            f"screening {source} on {engine_name} failed: {exc.what}",
            where=exc.where,
            hint=exc.hint,
        ) from exc
    except OSError as exc:
        raise InterdictError(
            f"screening {source} on {engine_name} failed: {exc}",
            hint="check the output folder and free space; nothing was written",
        ) from exc


def screen_parties(
    engine: Engine,
    screener: Screener,
    parties: Iterable[Party],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
    lists: set[str] | None = None,
    workers: int | None = None,
) -> list[ScreeningResult]:
    """What :meth:`Screener.screen_many` returns, computed as an engine job (e.g. on Spark).

    For jobs that hold validated parties already — a rescreen of stored customers, say.
    """
    chosen = frozenset(lists) if lists else None
    engine.register(CUSTOMERS, parties_table(list(parties)))
    try:
        options = BatchOptions(threshold=threshold, limit=limit, lists=chosen)
        screen_table(engine, screener, options, workers=workers)
        return [
            result_from_dict(json.loads(line))
            for batch in partitions.stream(engine, _ORDERED.format(columns="result"))
            for line in batch.column(0).to_pylist()
        ]
    finally:
        engine.drop(CUSTOMERS)
        engine.drop(RESULTS)
