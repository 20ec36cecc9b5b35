"""Options shared by every command: the workspace (``--home`` / ``INTERDICT_HOME``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interdict.settings import Settings, load_settings
from interdict.store import Workspace

__all__ = ["HomeOption", "open_workspace", "set_global_home", "settings_for"]

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Workspace folder (default: $INTERDICT_HOME or ~/.interdict).",
        show_default=False,
    ),
]

_global_home: list[Path | None] = [None]


def set_global_home(home: Path | None) -> None:
    """Remember ``interdict --home DIR …`` for the subcommand that follows."""
    _global_home[0] = home


def settings_for(home: Path | None) -> Settings:
    """Settings with the command's ``--home`` (or the global one) applied."""
    return load_settings(home=home or _global_home[0])


def open_workspace(home: Path | None, *, read_only: bool = False) -> Workspace:
    """Open the workspace a command works in."""
    return Workspace(settings_for(home).home, read_only=read_only)
