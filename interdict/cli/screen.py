"""``interdict screen``: screen a customer file against the loaded lists."""

from __future__ import annotations

import csv
import json
import os
import sys
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


def _parties(rows: list[PartyRow]) -> Iterator[Party]:
    for row in rows:
        if row.party is not None:
            yield row.party


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
    rows = list(read_parties(input_file))
    for row in rows:
        if row.error:
            console.print(f"[yellow]skipped[/] {row.error}", highlight=False)
    settings = settings_for(home)
    count = workers if workers is not None else settings.workers
    results = screener.screen_many(
        _parties(rows), threshold=threshold, limit=limit, workers=count or None
    )
    show_progress = console.is_terminal and len(rows) > 200
    summary: list[ScreeningResult] = []

    def paired() -> Iterator[tuple[PartyRow, ScreeningResult | None]]:
        with Progress(
            TextColumn("screening"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not show_progress,
        ) as progress:
            task = progress.add_task("screen", total=len(rows))
            for row in rows:
                result = next(results) if row.party is not None else None
                if result is not None and result.matches:
                    summary.append(result)
                progress.advance(task)
                yield row, result

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        _write(paired(), handle, as_csv=out.suffix.lower() == ".csv")
    os.replace(partial, out)
    _print_summary(rows, summary, out)


def _print_summary(rows: list[PartyRow], hits: list[ScreeningResult], out: Path) -> None:
    screened = sum(1 for r in rows if r.party is not None)
    broken = len(rows) - screened
    table = Table(title=f"{len(hits)} of {screened} records matched ({broken} unreadable) → {out}")
    for column in ("id", "list", "source id", "score", "matched name", "why"):
        table.add_column(column, overflow="fold")
    for result in hits[:25]:
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
