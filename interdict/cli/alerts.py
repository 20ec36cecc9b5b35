"""``interdict alerts ls``: every stored alert, whatever raised it, with filters."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from interdict.cli.options import HomeOption, open_workspace
from interdict.store.alert_sources import AlertFilter, list_alerts, parse_age

__all__ = ["app"]

app = typer.Typer(help="The alert store: screening, rescreen and monitoring alerts.")
console = Console()


@app.command("ls")
def list_command(
    status: Annotated[
        str | None, typer.Option("--status", help="open, true_match, false_positive, …")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="screening, rescreen, monitoring or exchange.")
    ] = None,
    min_score: Annotated[float | None, typer.Option("--min-score", help="Score at least.")] = None,
    list_name: Annotated[str | None, typer.Option("--list", help="Raised on this list.")] = None,
    max_age: Annotated[
        str | None, typer.Option("--max-age", help="Raised within this age: 90m, 12h, 7d.")
    ] = None,
    case: Annotated[str | None, typer.Option("--case", help="Alerts in this case.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    home: HomeOption = None,
) -> None:
    """List stored alerts, oldest first."""
    wanted = AlertFilter(
        source=source,
        status=status,
        min_score=min_score,
        list_name=list_name,
        max_age=parse_age(max_age) if max_age else None,
        case_id=case,
    )
    with open_workspace(home) as workspace:
        alerts = list_alerts(workspace, wanted)
    if as_json:
        for alert in alerts:
            sys.stdout.write(json.dumps(alert, ensure_ascii=False) + "\n")
        return
    table = Table("alert", "source", "status", "customer/account", "score", "list", "case")
    for a in alerts:
        table.add_row(
            a["alert_id"],
            a["source"],
            a["status"],
            a["customer_id"],
            f"{a['score']:.2f}",
            a["list"] or a["matcher"],
            a["case_id"] or "",
        )
    console.print(table)
