"""The ``interdict`` command: a thin face over the library.

Each command parses its arguments, calls the library and prints the result. Errors from the
library (:class:`~interdict.errors.InterdictError`) become one clear line and a non-zero exit.
"""

from __future__ import annotations

import sys
from importlib.util import find_spec

import click
import typer
from rich.console import Console

from interdict.cli.alerts import app as alerts_app
from interdict.cli.analysts import app as analysts_app
from interdict.cli.cases import app as cases_app
from interdict.cli.customers import app as customers_app
from interdict.cli.decisions import app as decisions_app
from interdict.cli.keys import app as keys_app
from interdict.cli.keys import audit_app
from interdict.cli.lists import app as lists_app
from interdict.cli.options import HomeOption, set_global_home
from interdict.cli.reports import app as reports_app
from interdict.cli.requests import app as requests_app
from interdict.cli.rescreen import rescreen_command
from interdict.cli.screen import screen_command
from interdict.cli.serve import screen_message_command, serve_command
from interdict.errors import InterdictError

__all__ = ["app", "main"]

app = typer.Typer(
    name="interdict",
    help="Screen customers, payments and travellers against sanctions and terrorist lists.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(lists_app, name="lists")
app.command("screen")(screen_command)
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

if find_spec("interdict.cli.monitor") is not None:
    from interdict.cli.monitor import app as monitor_app

    app.add_typer(monitor_app, name="monitor")


@app.callback()
def _global(home: HomeOption = None) -> None:
    """Official lists in, explained matches out. State lives in --home (INTERDICT_HOME)."""
    set_global_home(home)


EXIT_CODES = {422: 2, 404: 3, 409: 4}


def main() -> None:
    """Console entry point."""
    try:
        app(standalone_mode=False)
    except InterdictError as exc:
        Console(stderr=True).print(
            f"[bold red]error:[/] {exc.message}", highlight=False, soft_wrap=True
        )
        sys.exit(EXIT_CODES.get(exc.status, 1))
    except typer.Abort:
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
