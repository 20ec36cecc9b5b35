"""First contact: a plain install works, and every usage error is a short message, not a trace."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.runner import environment, interdict

ROOT = Path(__file__).resolve().parents[2]
EXTRAS_ONLY = ("click", "fastapi", "starlette", "uvicorn", "httpx", "lightgbm", "pandas", "pyspark")
"""Top-level modules that only the extras install (uvicorn pulls in click)."""

BLOCKED_DRIVER = f"""
import sys
sys.modules.update(dict.fromkeys({EXTRAS_ONLY!r}))  # None: import fails, find_spec is None
from interdict.cli import main
main()
"""


def _without_extras(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``interdict ARGS…`` as after a plain ``pip install interdict`` (no extras importable)."""
    return subprocess.run(
        [sys.executable, "-c", BLOCKED_DRIVER, *args],
        capture_output=True,
        text=True,
        env=environment(home),
        timeout=120,
        check=False,
    )


def test_core_dependencies_hold_the_command_line() -> None:
    core = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {line.split("==")[0].lower() for line in core}
    assert {"typer", "rich"} <= names


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("-h",),
        ("lists", "-h"),
        ("screen", "--help"),
        ("monitor", "train", "-h"),
        ("serve", "-h"),
    ],
)
def test_help_works_without_extras(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = _without_extras(tmp_path / "ws", *args)
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout and "Traceback" not in done.stderr


def test_a_command_needing_an_extra_names_it_in_one_line(tmp_path: Path) -> None:
    done = _without_extras(tmp_path / "ws", "serve")
    assert done.returncode == 1
    assert "interdict[service]" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_version(tmp_path: Path) -> None:
    from interdict import __version__

    for flag in ("--version", "-V"):
        done = interdict(tmp_path / "ws", flag)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"interdict {__version__}"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("screen", "customers.csv"), "Missing option '--out'"),
        (("screen", "c.csv", "--out", "o.jsonl", "--threshold", "1.5"), "'--threshold'"),
        (("lists", "import", "x.xml", "--name", "un"), "Missing option '--format'"),
        (("serve", "--log-level", "loud"), "'--log-level'"),
        (("decisions", "record", "A-1", "--verdict", "maybe"), "'--verdict'"),
        (("nosuch",), "No such command 'nosuch'"),
        (("lists", "ls", "--bogus"), "No such option: --bogus"),
    ],
)
def test_usage_errors_are_short(tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    done = interdict(tmp_path / "ws", *args)
    assert done.returncode == 2
    assert says in done.stderr
    assert "Usage: interdict" in done.stderr
    assert "Traceback" not in done.stderr and "typer" not in done.stderr
    assert "parameter:" not in done.stderr  # internal names such as "Missing parameter: fmt"
    assert len(done.stderr.splitlines()) < 12


def test_usage_names_arguments_as_documented(tmp_path: Path) -> None:
    done = interdict(tmp_path / "ws", "lists", "import", "-h")
    assert "PATH" in done.stdout and "{path}" not in done.stdout


def test_monitor_without_lightgbm_names_the_extra(tmp_path: Path) -> None:
    table = tmp_path / "tx.csv"
    table.write_text("txn_id\n", encoding="utf-8")
    done = _without_extras(
        tmp_path / "ws", "monitor", "score", str(table), "--model", str(tmp_path), "--out", "s.csv"
    )
    assert done.returncode == 1
    assert "interdict[monitoring]" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(os.name != "posix", reason="console script path")
def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "interdict"
    assert script.exists()
