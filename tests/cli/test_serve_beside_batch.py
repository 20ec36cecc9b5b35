"""``interdict serve``, ``screen`` and ``lists ls`` keep working while a batch job writes the
workspace (DuckDB allows one writing process per file; list readers use the list snapshot)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.runner import command, environment, interdict
from tests.service.conftest import INHOUSE, Server

CUSTOMERS = 200_000


def _held_by_a_writer(database: Path) -> bool:
    try:
        duckdb.connect(str(database), read_only=True).close()
    except duckdb.IOException as exc:
        return "lock" in str(exc).lower()
    return False


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    source = tmp_path / "inhouse.csv"
    source.write_text(INHOUSE, encoding="utf-8")
    done = interdict(home, "lists", "import", str(source), "--format", "csv", "--name", "inhouse")
    assert done.returncode == 0, done.stderr
    return home


def test_serve_starts_and_answers_during_a_customers_import(home: Path, tmp_path: Path) -> None:
    customers = tmp_path / "customers.csv"
    with customers.open("w", encoding="utf-8") as out:
        out.write("id,name,birth_date,country\n")
        for n in range(CUSTOMERS):
            out.write(f"C{n},Customer Number {n} Example,1980-01-{n % 28 + 1:02d},DE\n")
    key = interdict(home, "keys", "create", "--role", "client").stdout.strip()
    batch = subprocess.Popen(
        command("customers", "import", str(customers)),
        env=environment(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(home)
    try:
        deadline = time.monotonic() + 120
        while not _held_by_a_writer(home / "interdict.duckdb"):
            assert batch.poll() is None, batch.communicate()[1]
            assert time.monotonic() < deadline, "the import never took the workspace"
            time.sleep(0.05)
        server.wait_ready()
        with httpx.Client(base_url=server.url, timeout=30) as http:
            answer = http.post(
                "/screen",
                json={"parties": [{"id": "p1", "name": "Usama bin Ladin"}]},
                headers={"Authorization": f"Bearer {key}"},
            )
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"][0]["matches"][0]["source_id"] == "W1"
        listed = interdict(home, "lists", "ls", "--json")
        assert listed.returncode == 0, listed.stderr
        assert '"inhouse"' in listed.stdout
        party = tmp_path / "one.csv"
        party.write_text("id,name\np1,Usama bin Ladin\n", encoding="utf-8")
        screened = interdict(home, "screen", str(party), "--out", str(tmp_path / "out.jsonl"))
        assert screened.returncode == 0, screened.stderr
        assert "W1" in (tmp_path / "out.jsonl").read_text(encoding="utf-8")
        # All of it happened while the import still held the workspace.
        assert batch.poll() is None and _held_by_a_writer(home / "interdict.duckdb")
    finally:
        server.stop()
        batch.terminate()
        batch.communicate(timeout=60)
