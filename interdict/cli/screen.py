"""``interdict screen``: screen a customer file against the loaded lists."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from interdict.cli.lookup import BirthDateOption, CountryOption, party_from_options
from interdict.cli.options import (
    EngineOption,
    HomeOption,
    ListsOption,
    MatcherOption,
    chosen_engine,
    chosen_matcher,
    load_screener,
    open_workspace,
    settings_for,
    trail_for,
    wanted_lists,
)
from interdict.engines.commit import StagedOutput, is_uri
from interdict.errors import BadInputError
from interdict.readers.parties import (
    DELIMITERS,
    PartyLayout,
    PartyRow,
    inspect_parties,
    read_parties,
)
from interdict.screening import DEFAULT_THRESHOLD, Screener, ScreeningResult
from interdict.screening.batch import (
    CSV_HEADER,
    STDOUT,
    csv_rows,
    output_encoding,
    output_kind,
    run_batch_screening,
)
from interdict.screening.partitioned import BatchOptions, RowFeed
from interdict.store.alert_sources import keep_alerts, screening_alerts_from_files

__all__ = ["screen_command"]

console = Console(stderr=True)
SUMMARY_ROWS = 25


class OutputFormat(StrEnum):
    """What ``--out`` is written as, when its name does not say (or says otherwise)."""

    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def _write(
    results: Iterator[tuple[PartyRow, ScreeningResult | None]], out: IO[str], as_csv: bool
) -> None:
    writer = csv.writer(out) if as_csv else None
    if writer:
        writer.writerow(CSV_HEADER)
    for row, result in results:
        if result is None:
            data: dict[str, Any] = {
                "id": row.raw_id or f"line {row.line}",
                "matches": [],
                "error": row.error,
            }
        else:
            data = result.to_dict()
        if writer:
            writer.writerows(csv_rows(data))
        else:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")


def screen_command(
    ctx: typer.Context,
    input_file: Annotated[
        str | None,
        typer.Argument(
            metavar="INPUT",
            help="CSV, JSONL or Parquet: id,name [,birth_date,country,gender,id_number,schema].",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            help="Where to write results: .jsonl/.json (one object per input record), .csv"
            " (UTF-8 with a BOM, for Excel), .parquet or a folder (Parquet), or - (JSON lines"
            " on standard output). Other extensions are refused: give --format.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            help="Write --out as this whatever its name: jsonl, csv or parquet.",
            show_default=False,
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="CSV delimiter: , ; | or tab (default: sniffed from the header).",
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="Screen this one name instead of a file.", show_default=False),
    ] = None,
    birth_date: BirthDateOption = None,
    country: CountryOption = None,
    lists: ListsOption = None,
    threshold: Annotated[
        float,
        typer.Option("--threshold", "-t", min=0.0, max=1.0, help="Report scores at or above this."),
    ] = DEFAULT_THRESHOLD,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many matches per record.")
    ] = 10,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=0, help="Processes (default: one per core)."),
    ] = None,
    engine: EngineOption = None,
    matcher: MatcherOption = None,
    keep: Annotated[
        bool,
        typer.Option("--keep-alerts", help="Also keep the hits in the alert store (JSONL out)."),
    ] = False,
    home: HomeOption = None,
) -> None:
    """Screen every record of INPUT against the lists; write one result per record, in order.

    INPUT may also be Parquet (a file or a folder of part files, local or on shared storage
    with --engine spark), and OUT a Parquet folder. On DuckDB, CSV/JSONL in and out are
    streamed record by record in this process; anything else runs as a batch job on the engine
    (the same scorer in every partition) and is committed to OUT only when complete. Both
    write the same records, matches and scores. With --name (and --birth-date, --country) one
    name typed here is screened and its matches printed, or written to --out as one JSON line.
    """
    wanted = wanted_lists(lists)
    chosen = output_format.value if output_format is not None else None
    kind = output_kind(out, chosen) if out is not None else None  # before any work
    if name is not None:
        if input_file is not None:
            ctx.fail("Give INPUT or --name, not both.")
        if kind not in (None, "jsonl"):
            ctx.fail("--name writes one JSON line: give --out a .jsonl name or -.")
        party = party_from_options(name, birth_date, country)
        result = load_screener(home, wanted, matcher).screen(
            party, threshold=threshold, limit=limit
        )
        _print_one(result, out)
        return
    if input_file is None:
        ctx.fail("Missing argument 'INPUT' (or --name NAME for one name).")
    if out is None or kind is None:
        ctx.fail("Missing option '--out'.")
    layout = _check_input(input_file, _delimiter(delimiter))  # before the index is loaded
    engine_name, engine_options = chosen_engine(engine, home)
    settings = settings_for(home)
    count = (workers if workers is not None else settings.workers) or None
    matcher_name = chosen_matcher(matcher, home)
    if engine_name == "duckdb" and _streamable(input_file, kind):
        options = BatchOptions(threshold=threshold, limit=limit)
        chosen_delimiter = layout.delimiter if layout is not None else None
        feed = RowFeed(read_parties(Path(input_file), delimiter=chosen_delimiter))
        _screen_streaming(
            load_screener(home, wanted, matcher_name),
            feed,
            Path(input_file),
            out,
            kind,
            options,
            count,
        )
        if keep:
            _keep(Path(input_file), Path(out), home, layout)
        return
    with console.status(f"screening {input_file} on {engine_name}"):
        report = run_batch_screening(
            engine_name,
            input_file,
            out,
            wanted,
            threshold,
            limit,
            settings.home,
            workers=count,
            engine_options=engine_options,
            matcher=matcher_name,
            output_format=kind,
            delimiter=layout.delimiter if layout is not None else None,
        )
    for line in report.problems:
        console.print(f"[yellow]skipped[/] {line}", highlight=False)
    _print_summary(report.tally, report.hits, out)
    if keep:
        _keep(Path(input_file), Path(out), home, layout)


def _keep(input_file: Path, out: Path, home: Path | None, layout: PartyLayout | None) -> None:
    if out.suffix.lower() != ".jsonl" or input_file.suffix.lower() not in (".csv", ".jsonl"):
        raise BadInputError(
            "--keep-alerts reads the hits back from a .jsonl output of a CSV/JSONL input",
            where=str(out),
            hint="write the results to a .jsonl file",
        )
    with open_workspace(home) as workspace:
        added = keep_alerts(
            workspace,
            screening_alerts_from_files(
                input_file, out, delimiter=layout.delimiter if layout is not None else None
            ),
            job=f"screen {input_file}",
        )
        trail_for(workspace, home).flush()
    console.print(f"kept {added} new alert(s) in the alert store", highlight=False)


def _print_one(result: ScreeningResult, out: str | None) -> None:
    """One name's result: a JSON line to ``out`` (``-``: standard output), else readable."""
    if out is not None:
        line = json.dumps(result.to_dict(), ensure_ascii=False) + "\n"
        if out == "-":
            sys.stdout.write(line)
        else:
            with StagedOutput(Path(out)) as staging:
                Path(staging).write_text(line, encoding="utf-8")
        return
    screen = Console(file=sys.stdout)
    if not result.matches:
        screen.print("no match at or above the threshold", highlight=False)
    for match in result.matches:
        screen.print(f"{match.score:.2f} {match.entity_id} {match.matched_name}", highlight=False)
        for reason in match.explanation:
            screen.print(f"     {reason}", highlight=False)


def _delimiter(given: str | None) -> str | None:
    """The ``--delimiter`` character (``tab`` or ``\\t`` for a tab), checked."""
    if given is None:
        return None
    character = "\t" if given.lower() in ("tab", "\\t") else given
    if character not in DELIMITERS:
        raise BadInputError(f"unsupported --delimiter {given!r}", hint="use one of , ; | or tab")
    return character


def _check_input(source: str, delimiter: str | None) -> PartyLayout | None:
    """Check the input before any costly work; say which columns are read and ignored.

    CSV and JSON Lines are checked in full (found, readable, id and name present); Parquet
    and shared storage are checked by the engine.
    """
    if is_uri(source):
        return None
    path = Path(source)
    if not path.exists():
        raise BadInputError("file not found", where=source, hint="check the path")
    if path.is_dir() or source.lower().endswith(".parquet"):
        return None
    layout = inspect_parties(path, delimiter=delimiter)
    renamed = [
        f"{column} as {field}" for field, column in layout.columns.items() if column != field
    ]
    if renamed:
        console.print(f"reading {', '.join(renamed)}", highlight=False)
    if layout.ignored:
        console.print(
            f"[yellow]ignored[/] column(s) {', '.join(layout.ignored)}: not screening fields"
            " (id, name, birth_date, country, gender, id_number, schema)",
            highlight=False,
        )
    return layout


def _screen_streaming(
    screener: Screener,
    feed: RowFeed[PartyRow],
    source: Path,
    out: str,
    kind: str,
    options: BatchOptions,
    workers: int | None,
) -> None:
    """Stream ``feed`` (the rows of ``source``) through the screener in this process, results
    in input order, to ``out`` as ``kind`` (``jsonl`` or ``csv``; ``-``: JSON lines on
    standard output)."""
    results = screener.screen_many(
        feed.parties(), threshold=options.threshold, limit=options.limit, workers=workers
    )
    show_progress = console.is_terminal
    hits: list[ScreeningResult] = []
    tally = {"screened": 0, "unreadable": 0, "matched": 0}

    def tracked() -> Iterator[tuple[PartyRow, ScreeningResult | None]]:
        columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, disable=not show_progress) as progress:
            task = progress.add_task("screen", total=_count_records(source))
            for row, result in feed.paired(results):
                if result is None:
                    tally["unreadable"] += 1
                    console.print(f"[yellow]skipped[/] {row.error}", highlight=False)
                else:
                    tally["screened"] += 1
                    tally["matched"] += bool(result.matches)
                    if result.matches and len(hits) < SUMMARY_ROWS:
                        hits.append(result)
                progress.advance(task)
                yield row, result

    if out == STDOUT:
        _write(tracked(), sys.stdout, as_csv=False)
        sys.stdout.flush()
    else:
        with (
            StagedOutput(Path(out)) as staging,
            open(staging, "w", encoding=output_encoding(kind), newline="") as handle,
        ):
            _write(tracked(), handle, as_csv=kind == "csv")
    _print_summary(tally, hits, out)


def _streamable(source: str, kind: str) -> bool:
    """Whether the streaming path can do the job: local CSV/JSONL in and out."""
    if is_uri(source) or Path(source).is_dir() or source.lower().endswith(".parquet"):
        return False
    return kind != "parquet"


def _count_records(path: Path) -> int | None:
    """Rough record count for the progress bar (lines minus a header), or None if unknown."""
    try:
        with path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return None
    return max(0, lines - (1 if path.suffix.lower() == ".csv" else 0))


def _print_summary(tally: dict[str, int], hits: list[ScreeningResult], out: str) -> None:
    title = (
        f"{tally['matched']} of {tally['screened']} records matched "
        f"({tally['unreadable']} unreadable) → {out}"
    )
    table = Table(title=title)
    for column in ("id", "list", "source id", "score", "matched name", "why"):
        table.add_column(column, overflow="fold")
    for result in hits:
        best = result.matches[0]
        reasons = "; ".join(best.explanation[:3])
        table.add_row(
            result.id,
            best.list_name,
            best.source_id,
            f"{best.score:.2f}",
            best.matched_name,
            reasons,
        )
    Console(file=sys.stderr if out == STDOUT else sys.stdout).print(table)
