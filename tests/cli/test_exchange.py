"""``interdict exchange match`` against a real ``interdict serve`` on loopback: the contract
end to end, hits as alerts opened as a case, and nothing of the peer's data on our side."""

from __future__ import annotations

import pytest

pytest.importorskip(
    "private_set_intersection.python",
    reason="needs the exchange extra: pip install 'interdict[exchange]'",
)

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb

from tests.runner import interdict
from tests.service.conftest import Server

PEER = """id,name,birth_date,country,id_number
B1,Шохрух Рахмонов,1985-01-01,TJ,400123456
B2,Usama bin Ladin,1957,SA,
B3,Anna Schmidt,1990-02-03,DE,iban:DE89 3704 0044 0532 0130 00
B4,محمد عبدالله,1970,SA,
B5,Piotr Zielinski,1966,PL,+48 22 123 45 67
"""
OURS = """id,name,birth_date,country,id_number
A1,Shokhrukh Rakhmonov,1985-01-01,TJ,
A2,Osama bin Laden,1957,SA,
A3,Hans Muller,1990,DE,DE89370400440532013000
A4,Mohammed Abdullah,1970,SA,
A5,John Smith,1980,GB,
A6,Piotr Zielinski,1971,PL,
"""
PEER_ONLY = ("Рахмонов", "Ladin", "Schmidt", "عبدالله", "400123456", "+48", "B1", "B3")


def _import(home: Path, text: str) -> None:
    source = home.parent / f"{home.name}.csv"
    home.mkdir(parents=True)
    source.write_text(text, encoding="utf-8")
    done = interdict(home, "customers", "import", str(source))
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def answering(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """One answering service for the module (starting one costs seconds)."""
    home = tmp_path_factory.mktemp("exchange") / "peer"
    _import(home, PEER)
    created = interdict(home, "keys", "create", "--role", "peer")
    assert created.returncode == 0, created.stderr
    server = Server(home, "--reload-seconds", "0")
    try:
        server.wait_ready()
        yield server, created.stdout.strip()
    finally:
        server.stop()


def test_the_contract_end_to_end(tmp_path: Path, answering: tuple[Server, str]) -> None:
    server, key = answering
    ours = tmp_path / "ours"
    _import(ours, OURS)
    out = tmp_path / "hits.jsonl"
    done = interdict(
        ours, "exchange", "match", "--peer", server.url, "--key", key, "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    hits = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    found = {(h["customer_id"], h["method"]) for h in hits}
    assert found == {("A1", "name"), ("A2", "name"), ("A3", "identifier"), ("A4", "name")}
    for hit in hits:
        assert set(hit) >= {"customer_id", "peer_ref", "method", "score"}
        assert 0 < hit["score"] <= 1 and hit["peer_ref"].startswith("P")
    # The peer learnt the counts and the agreement, nothing more; we keep none of its data.
    assert not any(value in out.read_text(encoding="utf-8") for value in PEER_ONLY)
    alerts = interdict(ours, "alerts", "ls", "--source", "exchange", "--json")
    assert alerts.returncode == 0, alerts.stderr
    for value in PEER_ONLY:
        assert value not in alerts.stdout
    with duckdb.connect(str(ours / "interdict.duckdb"), read_only=True) as db:
        stored = json.dumps(
            [db.execute(f"SELECT * FROM {t}").fetchall() for t in ("alerts", "audit_log")],
            default=str,
            ensure_ascii=False,
        )
    assert "exchange.match" in stored
    for value in PEER_ONLY:
        assert value not in stored
    exchange_id = json.loads(alerts.stdout.splitlines()[0])["data"]["exchange_id"]
    record = server.home / "service" / "exchanges" / f"{exchange_id}.json"
    assert json.loads(record.read_text())["hits"] == 4
    # Hits are alerts that the existing cases code opens as a case.
    alert_id = json.loads(alerts.stdout.splitlines()[0])["alert_id"]
    assert interdict(ours, "analysts", "add", "ana", "--role", "analyst").returncode == 0
    opened = interdict(ours, "cases", "open", alert_id, "--analyst", "ana")
    assert opened.returncode == 0, opened.stderr
    assert "CASE-000001" in opened.stdout + opened.stderr


def test_a_wrong_key_or_a_bad_peer_fails_in_one_line(
    tmp_path: Path, answering: tuple[Server, str]
) -> None:
    server, key = answering
    ours = tmp_path / "ours"
    _import(ours, OURS)
    out = tmp_path / "hits.jsonl"
    wrong = "idk_" + key[4:12] + "_" + "A" * 43
    done = interdict(
        ours, "exchange", "match", "--peer", server.url, "--key", wrong, "--out", str(out)
    )
    assert done.returncode == 2 and "401" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
    bad = interdict(
        ours,
        "exchange",
        "match",
        "--peer",
        server.url,
        "--key",
        key,
        "--out",
        str(out),
        "--fields",
        "dob",
    )
    assert bad.returncode == 2 and "--fields" in bad.stderr
