"""``interdict rescreen``: screen what changed since the last rescreen; write the new alerts."""

from __future__ import annotations

import json
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.console import Console
from rich.table import Table

from interdict.cli.options import (
    EngineOption,
    HomeOption,
    MatcherOption,
    chosen_engine,
    chosen_matcher,
    open_workspace,
    settings_for,
)
from interdict.engines import open_engine
from interdict.engines.commit import StagedOutput
from interdict.lifecycle.rescreen import RescreenReport, rescreen
from interdict.screening import DEFAULT_THRESHOLD
from interdict.store import AlertStore, Workspace
from interdict.store.alerts import Alert
from interdict.store.deliveries import Deliveries

__all__ = ["rescreen_command"]

console = Console(stderr=True)


def _write(alerts: list[Alert], handle: IO[str]) -> None:
    for alert in alerts:
        handle.write(json.dumps(alert.to_dict(), ensure_ascii=False) + "\n")


def rescreen_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write new alerts and releases here (JSONL); default: standard output.",
        ),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option("--threshold", "-t", min=0.0, max=1.0, help="Alert at or above this score."),
    ] = DEFAULT_THRESHOLD,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=0, help="Processes (default: one per core)."),
    ] = None,
    engine: EngineOption = None,
    matcher: MatcherOption = None,
    home: HomeOption = None,
) -> None:
    """Rescreen after list or customer updates; one JSON object per new alert or release.

    After a list update all customers are checked against the added and changed entities (and
    customers holding alerts on removed entities get releases); after a customer import the new
    and changed customers are screened against all lists. Pairs an analyst already decided on
    are not raised again until either side changes in a way that matters to the match.
    Alerts from an earlier run that were not yet written out are included. On DuckDB the
    screening runs in this process next to the workspace; with --engine spark the changed
    customers are screened as a Spark job. The alerts are the same.
    """
    count = workers if workers is not None else settings_for(home).workers
    engine_name, engine_options = chosen_engine(engine, home)
    with ExitStack() as stack:
        workspace = stack.enter_context(open_workspace(home))
        batch_engine = (
            stack.enter_context(open_engine(engine_name, **engine_options))
            if engine_name != "duckdb"
            else None
        )
        report = rescreen(
            workspace,
            threshold=threshold,
            workers=count or None,
            engine=batch_engine,
            matcher=chosen_matcher(matcher, home),
        )
        store = AlertStore(workspace)
        if out is None:
            pending = store.all(undelivered_only=True)
            _write(pending, sys.stdout)  # a reader of stdout deduplicates by alert_id
            sys.stdout.flush()
            store.mark_delivered([a.alert_id for a in pending])
        else:
            pending = _deliver(workspace, store, out)
    _summary(report, pending, out)


def _deliver(workspace: Workspace, store: AlertStore, out: Path) -> list[Alert]:
    """Write the undelivered alerts to ``out`` so that a crash at any step delivers each once
    (:mod:`interdict.store.deliveries`)."""
    deliveries = Deliveries(workspace)
    deliveries.recover()
    pending = store.all(undelivered_only=True)
    staged = StagedOutput(out)
    with staged as staging:
        with open(staging, "w", encoding="utf-8") as handle:
            _write(pending, handle)
            handle.flush()
            os.fsync(handle.fileno())
        delivery = deliveries.begin([a.alert_id for a in pending], str(out), staging)
        try:
            staged.commit()
        except BaseException:
            deliveries.undo(delivery)
            raise
    deliveries.finish(delivery)
    return pending


def _summary(report: RescreenReport, pending: list[Alert], out: Path | None) -> None:
    changes = ", ".join(
        f"{c['list']} {c['from_version'] or 0}→{c['to_version']}"
        f" (+{c['added']} -{c['removed']} ~{c['changed']})"
        for c in report.list_changes
    )
    console.print(
        f"rescreen {report.run_id}: {len(report.alerts)} new alerts, {len(report.releases)}"
        f" releases; {report.customers_changed:,} changed customers screened;"
        f" {report.candidates:,} customers met changed entities; {report.already_raised} already"
        f" raised, {report.decided} already decided. Lists: {changes or 'no change'}."
        + (f" Written to {out}." if out else ""),
        highlight=False,
    )
    if not pending or not console.is_terminal:
        return
    table = Table("alert", "kind", "customer", "list", "source id", "score", "cause")
    for alert in pending[:25]:
        table.add_row(
            alert.alert_id,
            alert.kind,
            f"{alert.customer_id} {alert.customer_name}",
            alert.list_name,
            alert.source_id,
            f"{alert.score:.2f}",
            alert.cause.summary,
        )
    console.print(table)
