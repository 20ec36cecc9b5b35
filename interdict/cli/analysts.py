"""``interdict analysts …``: register the people who decide, and change their roles (audited)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from interdict.cli.options import HomeOption, open_workspace, trail_for
from interdict.store.analysts import AnalystRole, AnalystStore

__all__ = ["app"]

app = typer.Typer(help="Registered analysts and their roles (audited).", no_args_is_help=True)
console = Console()


@app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Login-like name, e.g. ana.")],
    role: Annotated[AnalystRole, typer.Option("--role", help="analyst, supervisor or auditor.")],
    home: HomeOption = None,
) -> None:
    """Register an analyst with a role."""
    with open_workspace(home) as workspace:
        analyst = AnalystStore(workspace).add(name, role)
        trail_for(workspace, home).flush()
    console.print(f"analyst {analyst.name} registered ({analyst.role.value})", highlight=False)


@app.command("role")
def role_command(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    role: Annotated[AnalystRole, typer.Option("--role", help="The new role.")],
    deactivate: Annotated[
        bool, typer.Option("--deactivate", help="Stop the analyst from acting.")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Change an analyst's role, or deactivate them (their past decisions keep their name)."""
    with open_workspace(home) as workspace:
        analyst = AnalystStore(workspace).set_role(name, role, active=not deactivate)
        trail_for(workspace, home).flush()
    state = "active" if analyst.active else "deactivated"
    console.print(f"analyst {analyst.name}: {analyst.role.value}, {state}", highlight=False)


@app.command("ls")
def list_command(home: HomeOption = None) -> None:
    """List registered analysts."""
    with open_workspace(home) as workspace:
        analysts = AnalystStore(workspace).all()
    table = Table("name", "role", "active", "registered (UTC)")
    for a in analysts:
        table.add_row(a.name, a.role.value, "yes" if a.active else "no", f"{a.created_at:%Y-%m-%d}")
    console.print(table)
