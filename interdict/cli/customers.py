"""``interdict customers …``: keep the institution's customer base, versioned like the lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from interdict.cli.options import HomeOption, open_workspace, settings_for
from interdict.lifecycle.customers import import_customers
from interdict.store import CustomerStore

__all__ = ["app"]

app = typer.Typer(help="Import and inspect the customer base.", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)
SHOWN_ERRORS = 20


@app.command("import")
def import_command(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="CSV or JSONL: id,name [,birth_date,country,gender,id_number,schema].",
        ),
    ],
    partial: Annotated[
        bool,
        typer.Option(
            "--partial", help="The file holds only new and changed customers (none removed)."
        ),
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", min=0, help="Processes (default: one per core).")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Import FILE as the next customer version; broken rows are reported and skipped."""
    count = workers if workers is not None else settings_for(home).workers
    with open_workspace(home) as workspace:
        outcome = import_customers(workspace, path, partial=partial, workers=count or None)
    for error in outcome.errors[:SHOWN_ERRORS]:
        errors.print(f"[yellow]skipped[/] {error}", highlight=False)
    if outcome.error_count > SHOWN_ERRORS:
        errors.print(f"[yellow]… and {outcome.error_count - SHOWN_ERRORS} more skipped rows[/]")
    version = outcome.version
    if version is None:
        console.print(f"customers unchanged: {outcome.read:,} rows read from {path}, nothing new")
        return
    console.print(
        f"imported customer version {version.version}: {version.customers:,} customers"
        f" ({version.added:,} new, {version.changed:,} changed, {version.removed:,} removed,"
        f" {version.unchanged:,} unchanged, {version.errors:,} rows skipped)."
        " Run 'interdict rescreen' to screen the changes."
    )


@app.command("ls")
def ls_command(home: HomeOption = None) -> None:
    """Show the customer versions."""
    with open_workspace(home, read_only=True) as workspace:
        versions = CustomerStore(workspace).versions()
    table = Table(
        "version", "customers", "new", "changed", "removed", "skipped", "imported (UTC)", "file"
    )
    for v in versions:
        table.add_row(
            str(v.version),
            f"{v.customers:,}",
            f"{v.added:,}",
            f"{v.changed:,}",
            f"{v.removed:,}",
            f"{v.errors:,}",
            v.imported_at.strftime("%Y-%m-%d %H:%M:%S"),
            v.source_path,
        )
    console.print(table)
