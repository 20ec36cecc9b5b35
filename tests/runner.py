"""Run the real ``interdict`` command in a fresh process, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DRIVER = "from interdict.cli import main\nmain()\n"
"""Python source that runs the console command (``python -c DRIVER ARGS…``)."""


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
