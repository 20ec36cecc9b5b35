"""``interdict decisions …``: record analysts' decisions on alerts, export them, list freezes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from interdict.cases.policy import load_policy
from interdict.cli.options import (
    AnalystOption,
    HomeOption,
    acting_analyst,
    open_workspace,
    trail_for,
)
from interdict.cli.tables import JsonOption, print_rows
from interdict.engines.commit import StagedOutput
from interdict.store import DecisionStore, Verdict

__all__ = ["app"]

app = typer.Typer(help="Decide on alerts (audited), export decisions, see freezes.")
console = Console()


@app.command("record")
def record_command(
    alert_id: Annotated[str, typer.Argument(metavar="ALERT_ID", help="From 'interdict rescreen'.")],
    verdict: Annotated[Verdict, typer.Option("--verdict", help="true_match or false_positive.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: what the analyst checked.")],
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Record a decision on an alert by a registered analyst. A true match becomes a freeze
    record; a false positive clears the pair until the customer's data or the listing changes
    in a way that matters. Clearing a frozen or high-score pair needs a case (four eyes)."""
    analyst = acting_analyst(analyst, home)
    with open_workspace(home) as workspace:
        store = DecisionStore(workspace, high_score=load_policy(workspace.home).high_score)
        decision, freeze = store.record(alert_id, verdict=verdict, reason=reason, analyst=analyst)
        trail_for(workspace, home).flush()
    line = f"recorded {decision.decision_id}: {alert_id} is {decision.verdict} ({analyst})"
    if freeze is not None:
        line += f"; freeze record {freeze.freeze_id} for customer {freeze.customer_id}"
    console.print(line, highlight=False)


@app.command("export")
def export_command(
    out: Annotated[
        Path | None, typer.Option("--out", help="JSONL file (default: standard output).")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Export every decision (who, when, why, on which data) as JSON lines."""
    with open_workspace(home, read_only=True) as workspace:
        store = DecisionStore(workspace)
        lines = []
        for decision in store.decisions():
            alert = store.alerts.get(decision.alert_id)
            data = decision.to_dict()
            data.update(
                list=alert.list_name,
                source_id=alert.source_id,
                customer_name=alert.customer_name,
                score=round(alert.score, 6),
                matched_name=alert.matched_name,
            )
            lines.append(json.dumps(data, ensure_ascii=False))
    text = "".join(line + "\n" for line in lines)
    if out is None:
        sys.stdout.write(text)
        return
    with StagedOutput(out) as staging:
        Path(staging).write_text(text, encoding="utf-8")
    console.print(f"{len(lines)} decisions written to {out}")


@app.command("freezes")
def freezes_command(
    all_records: Annotated[bool, typer.Option("--all", help="Include released freezes.")] = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Show freeze records (customers confirmed as designated persons)."""
    with open_workspace(home, read_only=True) as workspace:
        freezes = DecisionStore(workspace).freezes(active_only=not all_records)
    rows = [
        {
            "freeze": f.freeze_id,
            "customer": f.customer_id,
            "entity": f.entity_id,
            "frozen_at": f.frozen_at,
            "analyst": f.analyst,
            "released_at": f.released_at,
            "release_reason": f.release_reason,
        }
        for f in freezes
    ]
    columns = {"freeze": "freeze", "customer": "customer", "entity": "entity"}
    columns |= {"frozen_at": "frozen (UTC)", "analyst": "analyst", "released_at": "released"}
    print_rows(rows, {**columns, "release_reason": "why released"}, as_json=as_json)
