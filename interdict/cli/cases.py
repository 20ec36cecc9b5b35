"""``interdict cases …``: open cases from alerts, work on them, decide with four eyes."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from interdict.cases import CaseStore, ProposalVerdict, approve, propose
from interdict.cases.foureyes import reject
from interdict.cli.options import (
    AnalystOption,
    HomeOption,
    acting_analyst,
    open_workspace,
    trail_for,
)

__all__ = ["app", "case_store"]

app = typer.Typer(help="Cases: triage, investigation, four-eyes decisions.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

CaseArg = Annotated[str, typer.Argument(metavar="CASE", help="A case id (CASE-000001).")]


@contextmanager
def case_store(home: Path | None) -> Iterator[CaseStore]:
    """The workspace's cases, with the audit trail their events go to."""
    with open_workspace(home) as workspace:
        yield CaseStore(workspace, trail_for(workspace, home))


@app.command("open")
def open_command(
    alert_ids: Annotated[list[str], typer.Argument(metavar="ALERT_ID...", help="Alerts to work.")],
    title: Annotated[
        str, typer.Option("--title", help="Short title (default: from the alert).")
    ] = "",
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Open a case from one or more alerts; prints the new case id on its last line."""
    with case_store(home) as store:
        case_id = store.open(alert_ids, analyst=acting_analyst(analyst, home), title=title)
        due = store.get(case_id)["due_at"]
    err.print(f"case opened, due {due:%Y-%m-%d %H:%M} UTC", highlight=False)
    sys.stdout.write(case_id + "\n")


@app.command("show")
def show_command(
    case_id: CaseArg,
    as_json: Annotated[
        bool, typer.Option("--json", help="The whole case as one JSON object.")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Show a case: state, state hash, alerts, proposals, freezes, events."""
    with case_store(home) as store:
        case = store.show(case_id)
    if as_json:
        sys.stdout.write(json.dumps(case, ensure_ascii=False, default=str) + "\n")
        return
    console.print(
        f"{case['case_id']} [{case['status']}] {case['title']} — due {case['due_at']},"
        f" assignee {case['assignee']}, state {case['state_hash'][:16]}…"
        + (" — FROZEN" if case["frozen"] else ""),
        highlight=False,
    )
    table = Table("#", "at", "actor", "action", "detail")
    for event in case["events"]:
        detail = json.dumps(event["detail"], ensure_ascii=False)
        table.add_row(str(event["number"]), event["at"], event["actor"], event["action"], detail)
    console.print(table)


@app.command("ls")
def list_command(
    status: Annotated[str | None, typer.Option("--status", help="open, proposed, …")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    home: HomeOption = None,
) -> None:
    """List cases."""
    with case_store(home) as store:
        cases = store.all(status)
    if as_json:
        for case in cases:
            sys.stdout.write(json.dumps(case, ensure_ascii=False, default=str) + "\n")
        return
    table = Table("case", "kind", "status", "verdict", "assignee", "due (UTC)", "title")
    for c in cases:
        table.add_row(
            c["case_id"], c["kind"], c["status"], c["verdict"] or "", c["assignee"] or "",
            c["due_at"], c["title"],
        )  # fmt: skip
    console.print(table)


@app.command("propose")
def propose_command(
    case_id: CaseArg,
    verdict: Annotated[ProposalVerdict, typer.Option("--verdict", help="The proposed verdict.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: what was checked.")],
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Propose a verdict for a second analyst to approve; a true match freezes at once."""
    with case_store(home) as store:
        proposal = propose(store, case_id, verdict, reason, analyst=acting_analyst(analyst, home))
        frozen = store.freezes(case_id)
    line = f"proposal {proposal['proposal_id']}: {case_id} is {proposal['verdict']}"
    line += f" (by {proposal['author']}, on state {proposal['state_hash'][:16]}…)"
    if frozen:
        line += f"; frozen now: {', '.join(f['freeze_id'] for f in frozen)}"
    console.print(line + " — a different analyst must approve", highlight=False)


@app.command("approve")
def approve_command(
    case_id: CaseArg,
    state_hash: Annotated[
        str | None,
        typer.Option("--state", help="The state hash the proposal rests on (from 'cases show')."),
    ] = None,
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Approve the pending proposal as the second analyst (never its author)."""
    with case_store(home) as store:
        done = approve(store, case_id, analyst=acting_analyst(analyst, home), state_hash=state_hash)
        status = store.get(case_id)["status"]
    console.print(
        f"approved {done['proposal_id']}: {case_id} is {done['verdict']} (proposed by"
        f" {done['author']}, approved by {done['approver']}); case {status}",
        highlight=False,
    )


@app.command("reject")
def reject_command(
    case_id: CaseArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the proposal goes back.")],
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Send the pending proposal back; the case is open again (a freeze stays)."""
    with case_store(home) as store:
        reject(store, case_id, reason, analyst=acting_analyst(analyst, home))
    console.print(f"proposal on {case_id} rejected; the case is open again", highlight=False)


@app.command("attach")
def attach_command(
    case_id: CaseArg,
    alert_ids: Annotated[list[str], typer.Argument(metavar="ALERT_ID...")],
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Put more alerts in an open case."""
    with case_store(home) as store:
        store.attach(case_id, alert_ids, analyst=acting_analyst(analyst, home))
    console.print(f"{len(alert_ids)} alert(s) attached to {case_id}", highlight=False)


@app.command("assign")
def assign_command(
    case_id: CaseArg,
    to: Annotated[str, typer.Option("--to", help="The registered analyst to work it.")],
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Assign (or reassign) a case."""
    with case_store(home) as store:
        store.assign(case_id, to, analyst=acting_analyst(analyst, home))
    console.print(f"{case_id} assigned to {to}", highlight=False)


@app.command("comment")
def comment_command(
    case_id: CaseArg,
    text: Annotated[str, typer.Argument(metavar="TEXT")],
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Add a comment to a case."""
    with case_store(home) as store:
        store.comment(case_id, text, analyst=acting_analyst(analyst, home))
    console.print(f"comment added to {case_id}", highlight=False)


@app.command("evidence")
def evidence_command(
    case_id: CaseArg,
    path: Annotated[Path, typer.Argument(metavar="FILE")],
    note: Annotated[str, typer.Option("--note", help="What the file shows.")] = "",
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Attach an evidence file (stored once, by its SHA-256)."""
    with case_store(home) as store:
        digest = store.add_evidence(case_id, path, analyst=acting_analyst(analyst, home), note=note)
    console.print(f"evidence {digest} attached to {case_id}", highlight=False)


@app.command("link")
def link_command(
    case_id: CaseArg,
    other: Annotated[str, typer.Argument(metavar="OTHER_CASE")],
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Link two related cases."""
    with case_store(home) as store:
        store.link(case_id, other, analyst=acting_analyst(analyst, home))
    console.print(f"{case_id} and {other} linked", highlight=False)


@app.command("close")
def close_command(
    case_id: CaseArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the case is closed.")],
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Close a case with a reason."""
    with case_store(home) as store:
        store.close(case_id, reason, analyst=acting_analyst(analyst, home))
    console.print(f"{case_id} closed", highlight=False)
