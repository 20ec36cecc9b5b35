"""``interdict lists …``: import, update, diff and roll back list versions; show what is loaded."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from interdict.cli.options import HomeOption, open_workspace, settings_for
from interdict.cli.tables import JsonOption, print_rows
from interdict.errors import BadInputError, ConflictError
from interdict.lifecycle.diff import diff_versions
from interdict.lifecycle.sources import load_sources
from interdict.lifecycle.update import (
    MIN_ENTITY_RATIO,
    UpdateOutcome,
    older_than_active,
    same_as_active,
    update_lists,
)
from interdict.model.ftm import to_ftm
from interdict.readers import LIST_FORMATS, read_list
from interdict.store.workspace import content_digest

__all__ = ["app"]

AllowOlderOption = Annotated[
    bool,
    typer.Option(
        "--allow-older", help="Import a file published before the active version (refused)."
    ),
]

app = typer.Typer(
    help="Import, update, compare and roll back sanctions lists.", no_args_is_help=True
)
console = Console()


@app.command("import")
def import_command(
    path: Annotated[
        Path,
        typer.Argument(metavar="PATH", help="List file, or for OFAC the folder with SDN/ALT/ADD."),
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(LIST_FORMATS)}.")],
    name: Annotated[
        str, typer.Option("--name", "-n", help="Name of the list in the workspace, e.g. un.")
    ],
    allow_older: AllowOlderOption = False,
    home: HomeOption = None,
) -> None:
    """Import a list file as a new version of NAME. Nothing changes if the file is bad.

    A file with the same content as the active version adds no version ("unchanged"); a
    file published before the active version is refused unless --allow-older: the same rules
    as 'lists update'.
    """
    list_file = read_list(path, fmt)
    with open_workspace(home) as workspace:
        active = next((v for v in workspace.versions(name) if v.active), None)
        same = same_as_active(active, path, content_digest(list_file.entities))
        if same:
            console.print(f"{name} unchanged: {path} has the {same}; nothing imported")
            return
        older = older_than_active(active, list_file)
        if older and not allow_older:
            raise ConflictError(
                f"refused: {older}",
                where=str(path),
                hint="the active version stays; pass --allow-older to import it anyway",
            )
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
def ls_command(as_json: JsonOption = False, home: HomeOption = None) -> None:
    """Show the lists in the workspace and their active versions."""
    with open_workspace(home, read_only=True, lists_only=True) as workspace:
        versions = workspace.active_versions()
    rows = [
        {
            "list": v.list_name,
            "version": v.version,
            "format": v.source_format,
            "entities": v.entity_count,
            "published": v.published,
            "imported_at": v.imported_at,
            "sha256": v.file_sha256 if as_json else v.file_sha256[:12],
        }
        for v in versions
    ]
    print_rows(rows, _LS_COLUMNS, as_json=as_json)


_LS_COLUMNS = {
    "list": "list",
    "version": "version",
    "format": "format",
    "entities": "entities",
    "published": "published",
    "imported_at": "imported (UTC)",
    "sha256": "sha256",
}


@app.command("diff")
def diff_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="List name, e.g. un.")],
    from_version: Annotated[
        int | None, typer.Argument(metavar="[FROM]", help="Older version (default: previous).")
    ] = None,
    to_version: Annotated[
        int | None, typer.Argument(metavar="[TO]", help="Newer version (default: active).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", "-j", help="Print the diff as JSON.")] = False,
    home: HomeOption = None,
) -> None:
    """Entities added, removed and changed (with the changed fields) between two versions."""
    with open_workspace(home, read_only=True, lists_only=True) as workspace:
        diff = diff_versions(workspace, name, from_version, to_version)
    if as_json:
        typer.echo(json.dumps(diff.to_dict(), ensure_ascii=False, indent=2))
        return
    older = f"version {diff.from_version}" if diff.from_version else "nothing"
    console.print(
        f"[bold]{name}[/]: {older} → version {diff.to_version}: {len(diff.added)} added,"
        f" {len(diff.removed)} removed, {len(diff.changed)} changed"
    )
    table = Table("change", "source id", "name", "what changed")
    for entity in diff.added:
        table.add_row("added", entity.source_id, entity.names[0].full, "")
    for entity in diff.removed:
        table.add_row("removed", entity.source_id, entity.names[0].full, "")
    for change in diff.changed:
        what = "; ".join(f.describe() for f in change.fields)
        label = "changed" if change.matters else "changed (not matching fields)"
        table.add_row(label, change.source_id, change.name, what)
    if table.row_count:
        console.print(table)


@app.command("update")
def update_command(
    from_dir: Annotated[
        Path | None,
        typer.Option("--from", help="Read downloaded list files from this folder (offline)."),
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option("--list", help="Update only this list (repeatable).")
    ] = None,
    sources_file: Annotated[
        Path | None,
        typer.Option("--sources", help="Sources table (default: HOME/sources.yaml or built in)."),
    ] = None,
    min_ratio: Annotated[
        float,
        typer.Option(
            "--min-ratio", min=0.0, max=1.0, help="Refuse files with fewer entities than this."
        ),
    ] = MIN_ENTITY_RATIO,
    every: Annotated[
        str | None,
        typer.Option("--every", help="Repeat forever at this interval, e.g. 30m, 6h."),
    ] = None,
    allow_older: AllowOlderOption = False,
    home: HomeOption = None,
) -> None:
    """Fetch each configured list from its publisher (or --from DIR); import what changed.

    Truncated, corrupted or drastically smaller files are refused and the last good version
    stays active. Exit code 2 when a file was refused, 1 when a download failed.
    """
    folder = settings_for(home).home
    sources = load_sources(folder, sources_file)
    interval = _interval(every) if every else None
    while True:
        outcomes = update_lists(
            folder,
            sources,
            names=only,
            from_dir=from_dir,
            min_ratio=min_ratio,
            allow_older=allow_older,
        )
        _print_outcomes(outcomes)
        if interval is None:
            break
        time.sleep(interval)
    statuses = {o.status for o in outcomes}
    if "refused" in statuses:
        raise typer.Exit(2)
    if "failed" in statuses:
        raise typer.Exit(1)


def _interval(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = text.strip().lower()
    if len(value) < 2 or value[-1] not in units or not value[:-1].isdigit() or value[:-1] == "0":
        raise BadInputError(f"interval {text!r} not understood", hint="write e.g. 30m, 6h or 1d")
    return int(value[:-1]) * units[value[-1]]


def _print_outcomes(outcomes: list[UpdateOutcome]) -> None:
    colours = {"imported": "green", "unchanged": "dim", "refused": "red", "failed": "red"}
    table = Table("list", "status", "version", "entities", "detail")
    for outcome in outcomes:
        colour = colours.get(outcome.status, "yellow")
        table.add_row(
            outcome.list_name,
            f"[{colour}]{outcome.status}[/]",
            str(outcome.version or ""),
            f"{outcome.entities:,}" if outcome.entities else "",
            outcome.message,
        )
    if not outcomes:
        console.print("no list to update (none configured, or no file found in the folder)")
        return
    console.print(table)


@app.command("rollback")
def rollback_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="List name, e.g. un.")],
    to: Annotated[
        int | None, typer.Option("--to", help="Version to return to (default: the previous).")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Make the previous version of NAME active again (the newer one is marked withdrawn)."""
    with open_workspace(home) as workspace:
        current = workspace.version(name)
        restored = workspace.rollback(name, to=to)
    console.print(
        f"[bold]{name}[/]: version {restored.version} active again"
        f" ({restored.entity_count:,} entities); version {current.version} withdrawn."
        " Run 'interdict rescreen' to apply the change to customers."
    )


EXPORT_FORMATS = ("ftm",)


@app.command("export")
def export_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="List name, e.g. un.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(EXPORT_FORMATS)}.")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="File to write ('-' for standard output).")
    ],
    version: Annotated[
        int | None, typer.Option("--version", "-V", help="Version to export (default: active).")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Write one version of NAME as FollowTheMoney JSON lines, one entity per line.

    The file reads back with 'lists import --format ftm' (ids are LIST:SOURCE_ID, as in results
    and in the service's /entities/{id}), and loads into yente or any FtM tool.
    """
    if fmt not in EXPORT_FORMATS:
        raise BadInputError(
            f"unknown export format {fmt!r}", hint=f"use one of: {', '.join(EXPORT_FORMATS)}"
        )
    with open_workspace(home, read_only=True, lists_only=True) as workspace:
        chosen = workspace.version(name, version)
        lines = [
            json.dumps(to_ftm(e), ensure_ascii=False) + "\n"
            for e in workspace.version_entities(name, chosen.version)
        ]
    if str(out) == "-":
        typer.echo("".join(lines), nl=False)
        return
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_text("".join(lines), encoding="utf-8")
        os.replace(partial, out)
    except OSError as exc:
        raise BadInputError(
            f"cannot write the export: {exc.strerror}", where=str(out), hint="check the folder"
        ) from exc
    console.print(
        f"exported [bold]{name}[/] version {chosen.version}: {len(lines):,} entities to {out}",
        highlight=False,
    )
