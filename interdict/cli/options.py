"""Options shared by commands: the workspace (``--home`` / ``INTERDICT_HOME``), the batch
engine (``--engine`` / ``INTERDICT_ENGINE``) and the matcher (``--matcher`` /
``INTERDICT_MATCHER``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from interdict.errors import BadInputError
from interdict.screening import Screener
from interdict.screening.matchers import DEFAULT_MATCHER, MATCHERS, matcher_named
from interdict.service.config import load_service_settings
from interdict.settings import Settings, load_settings
from interdict.store import Workspace
from interdict.store.index_cache import cached_screener
from interdict.store.trail import Trail

__all__ = [
    "CONTEXT",
    "AnalystOption",
    "EngineName",
    "EngineOption",
    "HomeOption",
    "ListsOption",
    "MatcherOption",
    "acting_analyst",
    "chosen_engine",
    "chosen_matcher",
    "load_screener",
    "open_workspace",
    "set_global_home",
    "settings_for",
    "trail_for",
    "wanted_lists",
]

CONTEXT = {"help_option_names": ["-h", "--help"]}
"""Click context settings of every command: ``-h`` is ``--help``."""

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Workspace folder (default: $INTERDICT_HOME or ~/.interdict).",
        show_default=False,
    ),
]


AnalystOption = Annotated[
    str | None,
    typer.Option(
        "--analyst",
        help="The registered analyst acting (default: $INTERDICT_ANALYST).",
        show_default=False,
    ),
]


def acting_analyst(analyst: str | None, home: Path | None) -> str:
    """Who acts: ``--analyst``, else the setting; a command never acts as nobody."""
    name = analyst or settings_for(home).analyst
    if not name:
        raise BadInputError(
            "say who acts",
            hint="pass --analyst NAME (a registered analyst) or set INTERDICT_ANALYST",
        )
    return name


class EngineName(StrEnum):
    """Engines a batch job can run on."""

    duckdb = "duckdb"
    spark = "spark"


EngineOption = Annotated[
    EngineName | None,
    typer.Option(
        "--engine",
        "-e",
        help="Batch engine: duckdb (embedded, the default) or spark ($INTERDICT_ENGINE).",
        show_default=False,
    ),
]

MatcherOption = Annotated[
    str | None,
    typer.Option(
        "--matcher",
        help=f"Matcher: {', '.join(sorted(MATCHERS))} (default: $INTERDICT_MATCHER or"
        f" {DEFAULT_MATCHER}); recorded on every result.",
        show_default=False,
    ),
]

ListsOption = Annotated[
    str | None,
    typer.Option("--lists", "-l", help="Comma-separated list names (default: all loaded)."),
]

_global_home: list[Path | None] = [None]


def set_global_home(home: Path | None) -> None:
    """Remember ``interdict --home DIR …`` for the subcommand that follows."""
    _global_home[0] = home


def settings_for(home: Path | None) -> Settings:
    """Settings with the command's ``--home`` (or the global one) applied."""
    return load_settings(home=home or _global_home[0])


def open_workspace(
    home: Path | None, *, read_only: bool = False, flush: bool = True, lists_only: bool = False
) -> Workspace:
    """Open the workspace a command works in; audited events an earlier command left
    unchained (a crash, or a command that does not flush) are chained first.

    ``lists_only`` readers read the list snapshot while a batch job writes the workspace
    (:mod:`interdict.store.snapshot`) instead of waiting for it."""
    workspace = Workspace(
        settings_for(home).home, read_only=read_only, create=True, lists_only=lists_only
    )
    if flush and not read_only:
        trail_for(workspace, home).flush()
    return workspace


def trail_for(workspace: Workspace, home: Path | None) -> Trail:
    """The hash-chained audit trail shared by the workspace and the service."""
    return Trail(workspace, load_service_settings(home=workspace.home).audit_log)


def chosen_engine(engine: EngineName | None, home: Path | None) -> tuple[str, dict[str, str]]:
    """The engine a command runs on (``--engine``, else the setting) and its options."""
    settings = settings_for(home)
    name = engine.value if engine is not None else settings.engine
    if name not in EngineName.__members__:
        choices = ", ".join(EngineName.__members__)
        raise BadInputError(
            f"unknown engine {name!r} in INTERDICT_ENGINE", hint=f"use one of {choices}"
        )
    return name, settings.engine_options(name)


def chosen_matcher(matcher: str | None, home: Path | None) -> str:
    """The matcher a command scores with (``--matcher``, else the setting, else the default)."""
    return matcher_named(matcher or settings_for(home).matcher or None).name


def wanted_lists(lists: str | None) -> list[str] | None:
    """The list names of ``--lists a,b`` (None: every loaded list)."""
    return [n.strip() for n in lists.split(",") if n.strip()] if lists else None


def load_screener(
    home: Path | None, wanted: list[str] | None, matcher: str | None = None
) -> Screener:
    """A screener over the active versions of the ``wanted`` lists (default: all).

    ``matcher`` as :func:`chosen_matcher` resolves it. The index is kept in the workspace and
    rebuilt only when a list version, the matcher, the package or its reference data changed
    (:mod:`interdict.store.index_cache`).
    """
    with open_workspace(home, read_only=True, lists_only=True) as workspace:
        return cached_screener(workspace, wanted, matcher=chosen_matcher(matcher, home))
