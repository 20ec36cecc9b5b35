"""How the ``ls``-style commands print rows: a table for people, ``--json`` for scripts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["JsonOption", "print_rows"]

JsonOption = Annotated[
    bool, typer.Option("--json", "-j", help="Print a JSON array instead of a table.")
]


def _cell(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def print_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Mapping[str, str],
    *,
    as_json: bool,
    title: str | None = None,
) -> None:
    """Print ``rows`` as a JSON array (their keys) or as a table (``columns``: key → header)."""
    if as_json:
        plain = [{key: _plain(value) for key, value in row.items()} for row in rows]
        typer.echo(json.dumps(plain, ensure_ascii=False, indent=2))
        return
    table = Table(*columns.values(), title=title)
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for key in columns))
    Console().print(table)
