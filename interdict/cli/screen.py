"""``interdict screen``: screen a customer file against the loaded lists."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from interdict.cli.options import HomeOption, open_workspace, settings_for
from interdict.errors import BadInputError
from interdict.model import Party
from interdict.readers.parties import PartyRow, read_parties
from interdict.screening import DEFAULT_THRESHOLD, Screener, ScreeningResult

__all__ = ["screen_command"]

console = Console(stderr=True)
SUMMARY_ROWS = 25


class _RowFeed:
    """Feeds parties to the screener while remembering every row, to pair results in order.

    The file is streamed: rows are read as the screener asks for parties, and unreadable rows
    are emitted (with their error) between the results around them.
    """

    def __init__(self, rows: Iterator[PartyRow]) -> None:
        self.rows = rows
        self.pending: deque[PartyRow] = deque()

    def parties(self) -> Iterator[Party]:
        for row in self.rows:
            self.pending.append(row)
            if row.party is not None:
                yield row.party

    def paired(
        self, results: Iterator[ScreeningResult]
    ) -> Iterator[tuple[PartyRow, ScreeningResult | None]]:
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


def _write(
    results: Iterator[tuple[PartyRow, ScreeningResult | None]], out: IO[str], as_csv: bool
) -> None:
    writer = csv.writer(out) if as_csv else None
    if writer:
        writer.writerow(
            ["id", "list", "source_id", "score", "matched_name", "explanation", "error"]
        )
    for row, result in results:
        if result is None:
            record_id = row.raw_id or f"line {row.line}"
            if writer:
                writer.writerow([record_id, "", "", "", "", "", row.error])
            else:
                out.write(
                    json.dumps(
                        {"id": record_id, "matches": [], "error": row.error}, ensure_ascii=False
                    )
                    + "\n"
                )
            continue
        if writer:
            for m in result.matches or ():
                writer.writerow(
                    [
                        result.id,
                        m.list_name,
                        m.source_id,
                        f"{m.score:.6f}",
                        m.matched_name,
                        " | ".join(m.explanation),
                        "",
                    ]
                )
            if not result.matches:
                writer.writerow([result.id, "", "", "", "", "", ""])
        else:
            out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")


def screen_command(
    input_file: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="CSV or JSONL: id,name [,birth_date,country,gender,id_number,schema].",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Where to write results: .jsonl (one object per input record) or .csv."
        ),
    ],
    lists: Annotated[
        str | None,
        typer.Option("--lists", help="Comma-separated list names (default: all loaded)."),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help="Report scores at or above this.")
    ] = DEFAULT_THRESHOLD,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="At most this many matches per record.")
    ] = 10,
    workers: Annotated[
        int | None, typer.Option("--workers", min=0, help="Processes (default: one per core).")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Screen every record of INPUT against the lists; write one result per record, in order."""
    wanted = [n.strip() for n in lists.split(",") if n.strip()] if lists else None
    with open_workspace(home, read_only=True) as workspace:
        entities = list(workspace.entities(wanted))
    if not entities:
        raise BadInputError("no lists are loaded", hint="import one with 'interdict lists import'")
    screener = Screener(entities)
    settings = settings_for(home)
    count = workers if workers is not None else settings.workers
    feed = _RowFeed(read_parties(input_file))
    results = screener.screen_many(
        feed.parties(), threshold=threshold, limit=limit, workers=count or None
    )
    show_progress = console.is_terminal
    hits: list[ScreeningResult] = []
    tally = {"screened": 0, "unreadable": 0, "matched": 0}

    def tracked() -> Iterator[tuple[PartyRow, ScreeningResult | None]]:
        columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, disable=not show_progress) as progress:
            task = progress.add_task("screen", total=_count_records(input_file))
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

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        _write(tracked(), handle, as_csv=out.suffix.lower() == ".csv")
    os.replace(partial, out)
    _print_summary(tally, hits, out)


def _count_records(path: Path) -> int | None:
    """Rough record count for the progress bar (lines minus a header), or None if unknown."""
    try:
        with path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return None
    return max(0, lines - (1 if path.suffix.lower() == ".csv" else 0))


def _print_summary(tally: dict[str, int], hits: list[ScreeningResult], out: Path) -> None:
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
    Console(file=sys.stdout).print(table)
