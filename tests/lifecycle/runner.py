"""Run the real ``interdict`` command in a subprocess, with the lifecycle commands mounted.

The lifecycle sub-commands (customers, rescreen, decisions) are mounted here when the main CLI
does not mount them yet, so these tests drive the same ``main()`` either way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DRIVER = """
from interdict.cli import app, main
if "customers" not in {group.name for group in app.registered_groups}:
    from interdict.cli.customers import app as customers_app
    from interdict.cli.decisions import app as decisions_app
    from interdict.cli.rescreen import rescreen_command
    app.add_typer(customers_app, name="customers")
    app.add_typer(decisions_app, name="decisions")
    app.command("rescreen")(rescreen_command)
main()
"""


def command(*args: str) -> list[str]:
    """The argv that runs ``interdict ARGS…``."""
    return [sys.executable, "-c", DRIVER, *args]


def environment(home: Path) -> dict[str, str]:
    """The environment of a command working in ``home``."""
    return {**os.environ, "INTERDICT_HOME": str(home), "COLUMNS": "200"}


def interdict(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``interdict ARGS…`` in ``home`` and wait for it."""
    return subprocess.run(
        command(*args),
        capture_output=True,
        text=True,
        env=environment(home),
        timeout=timeout,
        check=False,
    )
