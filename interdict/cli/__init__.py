"""The ``interdict`` command: a thin face over the library.

Each command parses its arguments, calls the library and prints the result. Errors from the
library (:class:`~interdict.errors.InterdictError`) become one clear line and a non-zero exit;
usage errors (an unknown option, a missing ``--out``, a value out of range) print the command's
usage and one line saying what was wrong, never a traceback.

Exit codes: 0 done; 1 failed (e.g. every download of ``lists update`` failed); 2 bad input or
usage (a refused file, an unreadable message, a wrong option); 3 not found (no such list,
version, entity or alert); 4 conflict (the state does not allow it); 130 interrupted.
"""

from __future__ import annotations

import sys
from typing import Annotated, NoReturn

import duckdb
import typer
from rich.console import Console
from rich.markup import escape

from interdict import __version__
from interdict.cli.alerts import app as alerts_app
from interdict.cli.analysts import app as analysts_app
from interdict.cli.cases import app as cases_app
from interdict.cli.customers import app as customers_app
from interdict.cli.decisions import app as decisions_app
from interdict.cli.exchange import app as exchange_app
from interdict.cli.keys import app as keys_app
from interdict.cli.keys import audit_app
from interdict.cli.lists import app as lists_app
from interdict.cli.lookup import explain_command, search_command, show_command
from interdict.cli.monitor import app as monitor_app
from interdict.cli.options import CONTEXT, HomeOption, set_global_home
from interdict.cli.reports import app as reports_app
from interdict.cli.requests import app as requests_app
from interdict.cli.rescreen import rescreen_command
from interdict.cli.screen import screen_command
from interdict.cli.serve import screen_message_command, serve_command
from interdict.errors import InterdictError
from interdict.store.workspace import storage_failure

__all__ = ["EXIT_CODES", "app", "main"]

app = typer.Typer(
    name="interdict",
    help="Screen customers, payments and travellers against sanctions and terrorist lists.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings=CONTEXT,
)
lists_app.command("show")(show_command)
lists_app.command("search")(search_command)
app.add_typer(lists_app, name="lists")
app.command("screen")(screen_command)
app.command("explain")(explain_command)
app.add_typer(customers_app, name="customers")
app.command("rescreen")(rescreen_command)
app.add_typer(decisions_app, name="decisions")
app.command("serve")(serve_command)
app.command("screen-message")(screen_message_command)
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")
app.add_typer(analysts_app, name="analysts")
app.add_typer(alerts_app, name="alerts")
app.add_typer(cases_app, name="cases")
app.add_typer(reports_app, name="report")
app.add_typer(requests_app, name="requests")
app.add_typer(monitor_app, name="monitor")
app.add_typer(exchange_app, name="exchange")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"interdict {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    home: HomeOption = None,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_show_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Official lists in, explained matches out. State lives in --home (INTERDICT_HOME)."""
    set_global_home(home)


EXIT_CODES = {422: 2, 404: 3, 409: 4}


def main() -> None:
    """Console entry point: usage errors print usage; library errors print one line."""
    try:
        app(prog_name="interdict")
    except InterdictError as exc:
        _fail(exc)
    except (OSError, duckdb.Error) as exc:
        failure = storage_failure(exc)  # a full disk: one line, not a traceback
        if failure is None:
            raise
        _fail(failure)


def _fail(error: InterdictError) -> NoReturn:
    Console(stderr=True).print(
        f"[bold red]error:[/] {escape(error.message)}", highlight=False, soft_wrap=True
    )
    sys.exit(EXIT_CODES.get(error.status, 1))
