"""``interdict serve``, ``interdict keys``, ``interdict audit`` and ``interdict screen-message``
as a user runs them (real processes)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.runner import interdict
from tests.service.conftest import INHOUSE, Server

MT103 = (
    "{1:F01AAAAKZKAAXXX0000000000}{2:I103BBBBTJ22XXXXN}{4:\n"
    ":20:R1\n:32A:250314USD5,\n:50K:/KZ1\nUSAMA BIN LADIN\nKANDAHAR\n:59:/TJ2\nALPHA\n-}"
)
PAXLST = (
    "UNB+UNOA:4+A+B+250314:0800+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
    "NAD+FL+++RAKHMONOV:SHOKHRUKH'DTM+329:850101'UNT+4+1'UNZ+1+1'"
)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    source = tmp_path / "inhouse.csv"
    source.write_text(INHOUSE, encoding="utf-8")
    done = interdict(home, "lists", "import", str(source), "--format", "csv", "--name", "inhouse")
    assert done.returncode == 0, done.stderr
    return home


def test_keys_create_prints_the_key_once(home: Path) -> None:
    done = interdict(home, "keys", "create", "--role", "analyst", "--label", "FIU desk")
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip()
    assert key.startswith("idk_") and len(done.stdout.splitlines()) == 1
    assert "cannot be shown again" in done.stderr
    listed = interdict(home, "keys", "ls")
    assert "analyst" in listed.stdout and "FIU desk" in listed.stdout
    assert key not in listed.stdout and key not in (home / "service" / "keys.json").read_text()
    revoked = interdict(home, "keys", "revoke", key.split("_")[1])
    assert revoked.returncode == 0 and "revoked" in revoked.stderr
    assert interdict(home, "keys", "revoke", "ffffffff").returncode != 0


def test_keys_create_refuses_unknown_roles(home: Path) -> None:
    done = interdict(home, "keys", "create", "--role", "root")
    assert done.returncode != 0
    assert "client" in done.stderr and "admin" in done.stderr


def test_serve_starts_in_one_command(home: Path) -> None:
    key = interdict(home, "keys", "create", "--role", "client").stdout.strip()
    server = Server(home)
    try:
        server.wait_ready()
        with httpx.Client(base_url=server.url, timeout=30) as http:
            assert http.get("/health").json()["ready"] is True
            answer = http.post(
                "/screen",
                json={"parties": [{"id": "c1", "name": "Usama bin Ladin"}]},
                headers={"Authorization": f"Bearer {key}"},
            )
            assert answer.status_code == 200
            assert answer.json()["results"][0]["matches"][0]["source_id"] == "W1"
            assert http.post("/screen", json={"parties": []}).status_code == 401
    finally:
        server.stop()
    log = (home / "server.log").read_text()
    assert "event=service_ready" in log and "Ladin" not in log


def test_audit_verify_finds_tampering(home: Path) -> None:
    key = interdict(home, "keys", "create", "--role", "client").stdout.strip()
    server = Server(home)
    try:
        server.wait_ready()
        for name in ("A One", "B Two"):
            httpx.post(
                server.url + "/screen",
                json={"parties": [{"id": "1", "name": name}]},
                headers={"Authorization": f"Bearer {key}"},
                timeout=30,
            )
    finally:
        server.stop()
    assert interdict(home, "audit", "verify").returncode == 0
    trail = home / "service" / "audit.jsonl"
    lines = trail.read_text().splitlines()
    trail.write_text("\n".join([lines[0].replace('"who"', '"whom"'), *lines[1:]]) + "\n")
    done = interdict(home, "audit", "verify")
    assert done.returncode == 2
    assert "line 1" in done.stderr and "was changed" in done.stderr


def test_screen_message_folder(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "pay.fin").write_text(MT103)
    (folder / "flight.edi").write_text(PAXLST)
    (folder / "README.md").write_text("# not a message\n")
    out = tmp_path / "out.jsonl"
    done = interdict(home, "screen-message", str(folder), "--out", str(out))
    assert done.returncode == 0, done.stderr
    records = {Path(r["file"]).name: r for r in map(json.loads, out.read_text().splitlines())}
    assert records["README.md"]["skipped"]
    payment = records["pay.fin"]
    assert payment["kind"] == "mt" and payment["hits"] == 1
    customer = next(p for p in payment["parties"] if p["role"] == "ordering_customer")
    assert customer["matches"][0]["source_id"] == "W1"
    manifest = records["flight.edi"]
    assert manifest["results"][0]["matches"][0]["source_id"] == "W2"
    assert "3 file(s) screened" in done.stdout


def test_screen_message_reports_broken_files(home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.fin"
    broken.write_text(MT103.replace("\n-}", ""))
    good = tmp_path / "good.fin"
    good.write_text(MT103)
    done = interdict(home, "screen-message", str(broken), str(good))
    assert done.returncode == 2
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert "block 4 is not closed" in lines[0]["error"]
    assert lines[1]["hits"] == 1
    assert "1 of 2 file(s) could not be screened" in done.stderr


def test_two_workers_share_one_audit_chain(home: Path) -> None:
    key = interdict(home, "keys", "create", "--role", "client").stdout.strip()
    server = Server(home, "--workers", "2")
    try:
        server.wait_ready(timeout=120)
        with httpx.Client(base_url=server.url, timeout=30) as http:
            for n in range(20):
                answer = http.post(
                    "/screen",
                    json={"parties": [{"id": str(n), "name": "Usama bin Ladin"}]},
                    headers={"Authorization": f"Bearer {key}"},
                )
                assert answer.status_code == 200
    finally:
        server.stop()
    done = interdict(home, "audit", "verify")
    assert done.returncode == 0, done.stderr
    # 20 requests, plus the workspace's list import and key creation (one chain for both)
    assert "intact: 22 entries" in done.stdout


def test_screen_message_folder_with_a_misspelt_manifest_fails(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "messages"
    folder.mkdir()
    (folder / "flight.edi").write_text(PAXLST.replace("PAXLST", "PAXLTS"), encoding="utf-8")
    done = interdict(home, "screen-message", str(folder))
    assert done.returncode == 2
    record = json.loads(done.stdout.splitlines()[0])
    assert "PAXLTS" in record["error"]
    assert "could not be screened" in done.stderr


def test_screen_message_folder_without_messages_fails(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "messages"
    folder.mkdir()
    (folder / "notes.txt").write_text("nothing to screen here\n", encoding="utf-8")
    done = interdict(home, "screen-message", str(folder))
    assert done.returncode == 2
    assert "no payment message or manifest found" in done.stderr
