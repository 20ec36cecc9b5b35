"""``interdict lists …``: import list files as versions, show what is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from interdict.cli.options import HomeOption, open_workspace
from interdict.readers import LIST_FORMATS, read_list

__all__ = ["app"]

app = typer.Typer(help="Import and inspect sanctions lists.", no_args_is_help=True)
console = Console()


@app.command("import")
def import_command(
    path: Annotated[
        Path, typer.Argument(help="List file, or for OFAC the folder with SDN/ALT/ADD.")
    ],
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(LIST_FORMATS)}.")],
    name: Annotated[
        str, typer.Option("--name", help="Name of the list in the workspace, e.g. un.")
    ],
    home: HomeOption = None,
) -> None:
    """Import a list file as a new version of NAME. Nothing changes if the file is bad."""
    list_file = read_list(path, fmt)
    with open_workspace(home) as workspace:
        version = workspace.import_list(list_file, name=name, source=path)
    console.print(
        f"imported [bold]{version.list_name}[/] version {version.version}: "
        f"{version.entity_count:,} entities from {path} (sha256 {version.file_sha256[:12]}…)"
    )
    for warning in list_file.warnings[:20]:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    if len(list_file.warnings) > 20:
        console.print(f"[yellow]… and {len(list_file.warnings) - 20} more warnings[/]")


@app.command("ls")
def ls_command(home: HomeOption = None) -> None:
    """Show the lists in the workspace and their active versions."""
    with open_workspace(home, read_only=True) as workspace:
        versions = workspace.active_versions()
    table = Table("list", "version", "format", "entities", "published", "imported (UTC)", "sha256")
    for v in versions:
        table.add_row(
            v.list_name,
            str(v.version),
            v.source_format,
            f"{v.entity_count:,}",
            v.published or "",
            v.imported_at.strftime("%Y-%m-%d %H:%M:%S"),
            v.file_sha256[:12],
        )
    console.print(table)
