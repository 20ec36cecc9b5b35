"""A workbench to drive: a real workspace built with the CLI, a real ``interdict serve`` on a
free loopback port, analysts ana (analyst) and bob (supervisor) with their keys, and one
headless Chromium per test module (the system's: ``playwright install`` cannot download)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from interdict.store import Workspace
from interdict.store.alert_sources import keep_alerts, typology_alert
from tests.cases.conftest import ROWS, TYPOLOGY
from tests.conftest import SHARED_DATA
from tests.runner import interdict
from tests.service.conftest import REPO, Server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CUSTOMERS = """id,name,birth_date,country
C1,Abd al-Rahman Yusuf,1973,
C2,Ruslan Testov,1990,
C3,أبو حفص,,
C4,Maria Lopez,1980,ES
"""
GOAML = SHARED_DATA / "standards" / "goaml"


@dataclass
class Workbench:
    """The served workspace: its folder, URL and the analysts' keys."""

    home: Path
    url: str
    keys: dict[str, str]
    server: Server

    def cli(self, *args: str) -> str:
        """Run ``interdict ARGS…`` on the workspace; its standard output (must succeed)."""
        done = interdict(self.home, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout


def _key(home: Path, analyst: str) -> str:
    done = interdict(home, "keys", "create", "--analyst", analyst)
    assert done.returncode == 0, done.stderr
    return next(w for w in done.stdout.split() if w.startswith("idk_"))


def build_workspace(home: Path) -> dict[str, str]:
    """UN sample list, three customers screened with their hits kept, a typology alert,
    analysts ana and bob, their keys, and a goAML reporter file; the keys by analyst."""
    folder = home.parent
    un = REPO / "tests" / "fixtures" / "lists" / "un" / "un_sample.xml"
    for args in (
        ("lists", "import", str(un), "--format", "un", "--name", "un"),
        ("analysts", "add", "ana", "--role", "analyst"),
        ("analysts", "add", "bob", "--role", "supervisor"),
    ):
        done = interdict(home, *args)
        assert done.returncode == 0, done.stderr
    customers = folder / "customers.csv"
    customers.write_text(CUSTOMERS, encoding="utf-8")
    done = interdict(home, "screen", str(customers), "--out", str(folder / "hits.jsonl"),
                     "--keep-alerts")  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Workspace(home) as workspace:
        keep_alerts(workspace, [typology_alert(TYPOLOGY, ROWS)], job="test")
    reporters = home / "service" / "reporters"
    reporters.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "examples" / "goaml" / "reporter-uae.yaml", reporters)
    return {name: _key(home, name) for name in ("ana", "bob")}


@pytest.fixture(scope="module")
def workbench() -> Iterator[Workbench]:
    folder = Path(tempfile.mkdtemp(prefix="interdict-workbench-"))
    home = folder / "ws"
    try:
        keys = build_workspace(home)
        env = {"INTERDICT_GOAML_DIR": str(GOAML)} if GOAML.is_dir() else {}
        server = Server(home, "--reload-seconds", "0", env=env)
        try:
            server.wait_ready()
            yield Workbench(home, server.url, keys, server)
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: install Debian's package ('apt-get install chromium')"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install 'interdict[dev]'")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
