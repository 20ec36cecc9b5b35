"""``interdict serve`` (the screening service) and ``interdict screen-message`` (files).

``serve`` runs :func:`interdict.service.create_app` under uvicorn. ``screen-message`` screens
payment messages (ISO 20022, SWIFT MT) and traveller manifests (PAXLST, PNRGOV) from files or
folders with the same library code as the service's routes, one JSON line per file.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from importlib.util import find_spec
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from interdict.cli.options import (
    HomeOption,
    ListsOption,
    MatcherOption,
    chosen_matcher,
    load_screener,
    open_workspace,
    settings_for,
    trail_for,
    wanted_lists,
)
from interdict.errors import BadInputError, InterdictError
from interdict.readers.base import read_limited
from interdict.readers.payments import read_payment
from interdict.readers.travel import read_manifest
from interdict.screening import DEFAULT_THRESHOLD, Screener
from interdict.screening.messages import (
    BicIndex,
    MessageKind,
    screen_manifest,
    screen_payments,
    sniff_message,
)
from interdict.store.alert_sources import keep_alerts, message_alerts

__all__ = ["screen_message_command", "serve_command"]

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
err = Console(stderr=True)


class LogLevel(StrEnum):
    """Log levels of ``interdict serve``."""

    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Processes, each with its own index.")
    ] = 1,
    reload_seconds: Annotated[
        float | None,
        typer.Option(
            "--reload-seconds", min=0, help="Check for new list versions this often (0: never)."
        ),
    ] = None,
    log_level: Annotated[
        LogLevel,
        typer.Option("--log-level", help="debug logs one line per request (no data)."),
    ] = LogLevel.info,
    matcher: MatcherOption = None,
    home: HomeOption = None,
) -> None:
    """Serve the screening API (OpenAPI at /docs) over the lists in the workspace."""
    if find_spec("uvicorn") is None or find_spec("fastapi") is None:
        raise InterdictError(
            "the service needs FastAPI and uvicorn",
            hint="pip install 'interdict[service]'",
        )
    import uvicorn

    from interdict.service.app import create_app
    from interdict.service.config import load_service_settings

    resolved = settings_for(home).home
    os.environ["INTERDICT_HOME"] = str(resolved)  # for worker processes
    os.environ["INTERDICT_MATCHER"] = chosen_matcher(matcher, home)
    if reload_seconds is not None:
        os.environ["INTERDICT_RELOAD_SECONDS"] = str(reload_seconds)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "access_log": False,
        "server_header": False,
        "log_level": log_level.value,
        "timeout_graceful_shutdown": 30,
        "log_config": _logging(log_level.value.upper()),  # applied in every worker process too
    }
    if workers > 1:
        uvicorn.run("interdict.service.asgi:app", workers=workers, **options)
    else:
        uvicorn.run(create_app(load_service_settings()), **options)


def _logging(level: str) -> dict[str, Any]:
    """``key=value`` lines on standard error; uvicorn's and ours alike."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {"uvicorn": {"level": level}, "uvicorn.error": {"level": level}},
    }


def screen_message_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE|DIR...",
            help="Payment messages (ISO 20022 XML, SWIFT MT) or manifests (PAXLST, PNRGOV).",
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write one JSON line per file here (default: standard output)."
        ),
    ] = None,
    lists: ListsOption = None,
    threshold: Annotated[
        float,
        typer.Option("--threshold", "-t", min=0.0, max=1.0, help="Report scores at or above this."),
    ] = DEFAULT_THRESHOLD,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many matches per party.")
    ] = 10,
    matcher: MatcherOption = None,
    keep: Annotated[
        bool, typer.Option("--keep-alerts", help="Also keep the hits in the alert store.")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Screen every party of payment messages and every traveller of manifests.

    One JSON line per file: the same answer as POST /screen/payment or /screen/manifest,
    with the file name, or the error that kept the file from being read.
    """
    wanted = wanted_lists(lists)
    screener = load_screener(home, wanted, matcher)
    with open_workspace(home, read_only=True, lists_only=True) as workspace:
        bics = BicIndex(workspace.entities(wanted))
    files = list(_files(paths))
    if not files:
        raise BadInputError("no files to screen", where=", ".join(map(str, paths)))
    summary: list[dict[str, Any]] = []
    handle: IO[str] = out.open("w", encoding="utf-8") if out else sys.stdout
    chosen = set(wanted) if wanted else None
    try:
        for path, named in files:
            record = _screen_file(path, screener, bics, threshold, limit, chosen)
            if not named and "kind" in record and record["kind"] is None:
                # Only a file that is no message at all is skipped; a broken one is an error.
                record = {"file": str(path), "skipped": "not a payment message or manifest"}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            summary.append(record)
    finally:
        if out:
            handle.close()
    _print_summary(summary, to_stdout=out is not None)
    if keep:
        with open_workspace(home) as workspace:
            added = keep_alerts(workspace, message_alerts(summary), job="screen-message")
            trail_for(workspace, home).flush()
        Console(stderr=True).print(f"kept {added} new alert(s) in the alert store")
    failed = [r for r in summary if "error" in r]
    if all("skipped" in r for r in summary):
        raise BadInputError(
            "no payment message or manifest found",
            where=", ".join(map(str, paths)),
            hint="screen-message reads ISO 20022, MT103 and PAXLST/PNRGOV files",
        )
    if failed:
        raise BadInputError(
            f"{len(failed)} of {len(summary)} file(s) could not be screened",
            where=str(failed[0]["file"]),
            hint="each has an 'error' line in the output",
        )


def _files(paths: list[Path]) -> Iterator[tuple[Path, bool]]:
    """Each file to screen, and whether it was named (not found in a folder)."""
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            yield from ((p, False) for p in sorted(found))
        else:
            yield path, True


def _screen_file(
    path: Path,
    screener: Screener,
    bics: BicIndex,
    threshold: float,
    limit: int,
    lists: set[str] | None,
) -> dict[str, Any]:
    try:
        data = read_limited(path, MAX_MESSAGE_BYTES)
        kind: MessageKind | None = sniff_message(data)
        if kind is None:
            raise _NotAMessage(
                "neither XML, SWIFT MT nor EDIFACT",
                where=str(path),
                hint="screen-message reads ISO 20022, MT103 and PAXLST/PNRGOV files",
            )
        if kind == "edifact":
            manifest = read_manifest(data, str(path))
            result = screen_manifest(
                manifest, screener, threshold=threshold, limit=limit, lists=lists
            ).to_dict()
        else:
            messages = read_payment(data, str(path), kind)
            result = screen_payments(
                messages, screener, bics, threshold=threshold, limit=limit, lists=lists
            ).to_dict()
    except _NotAMessage as exc:
        return {"file": str(path), "kind": None, "error": exc.message}
    except BadInputError as exc:
        return {"file": str(path), "error": exc.message}
    return {"file": str(path), "kind": kind, **result}


class _NotAMessage(BadInputError):
    """The file is neither XML, SWIFT MT nor EDIFACT."""


def _print_summary(records: list[dict[str, Any]], *, to_stdout: bool) -> None:
    table = Table(title=f"{len(records)} file(s) screened")
    for column in ("file", "messages", "screened", "hits", "R.16 findings", "error"):
        table.add_column(column, overflow="fold")
    for record in records:
        screened = len(record.get("parties", record.get("results", [])))
        table.add_row(
            Path(record["file"]).name,
            ", ".join(sorted({m["type"] for m in record.get("messages", [])})),
            str(screened),
            str(record.get("hits", "")),
            str(len(record.get("findings", []))) if "findings" in record else "",
            str(record.get("error", record.get("skipped", ""))),
        )
    Console(file=sys.stdout if to_stdout else sys.stderr).print(table)
