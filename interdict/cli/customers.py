"""``interdict customers …``: keep the institution's customer base, versioned like the lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from interdict.cli.options import HomeOption, open_workspace, settings_for
from interdict.cli.tables import JsonOption, print_rows
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
        int | None,
        typer.Option("--workers", "-w", min=0, help="Processes (default: one per core)."),
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
def ls_command(as_json: JsonOption = False, home: HomeOption = None) -> None:
    """Show the customer versions."""
    with open_workspace(home, read_only=True) as workspace:
        versions = CustomerStore(workspace).versions()
    rows = [
        {
            "version": v.version,
            "customers": v.customers,
            "new": v.added,
            "changed": v.changed,
            "removed": v.removed,
            "skipped": v.errors,
            "imported_at": v.imported_at,
            "file": v.source_path,
        }
        for v in versions
    ]
    columns = {key: key for key in _CUSTOMER_COLUMNS} | {"imported_at": "imported (UTC)"}
    print_rows(rows, columns, as_json=as_json)


_CUSTOMER_COLUMNS = (
    "version",
    "customers",
    "new",
    "changed",
    "removed",
    "skipped",
    "imported_at",
    "file",
)
