"""The answering side's /exchange routes under hostile peers: every refusal is a 4xx and an
audit entry, never data; a wrong, revoked or foreign key learns nothing."""

from __future__ import annotations

import pytest

pytest.importorskip(
    "private_set_intersection.python",
    reason="needs the exchange extra: pip install 'interdict[exchange]'",
)

import json
import secrets
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from interdict.exchange.answering import peer_proof
from interdict.exchange.oprf import Blinder
from interdict.lifecycle.customers import import_customers
from interdict.service import create_app
from interdict.service.auth import KeyStore, Role
from interdict.service.config import ServiceSettings, load_service_settings
from interdict.store import Workspace
from tests.service.conftest import TestClient, bearer

CUSTOMERS = """id,name,birth_date,id_number
B1,Шохрух Рахмонов,1985-01-01,400123456
B2,Anna Schmidt,1990-02-03,iban:DE89 3704 0044 0532 0130 00
"""


@pytest.fixture
def peer(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], ServiceSettings]]:
    home = tmp_path / "ws"
    source = tmp_path / "customers.csv"
    source.write_text(CUSTOMERS, encoding="utf-8")
    with Workspace(home, create=True) as workspace:
        import_customers(workspace, source, workers=1)
    settings = replace(load_service_settings({}, home=home, reload_seconds=0), exchange_per_hour=3)
    store = KeyStore(settings.keys_file)
    keys = {role.value: store.create(role)[0] for role in Role}
    keys["other_peer"] = store.create(Role.PEER)[0]
    app = create_app(settings)
    app.state.exchanges.limits = replace(app.state.exchanges.limits, batch_points=5)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, keys, settings


def agreement(**changes: Any) -> dict[str, Any]:
    return {
        "exchange_id": secrets.token_hex(16),
        "nonce": secrets.token_hex(16),
        "fields": ["identifiers", "names"],
        "purpose": "test",
        "legal_basis": "test",
        "records": 2,
        **changes,
    }


def audit(settings: ServiceSettings) -> list[dict[str, Any]]:
    lines = settings.audit_log.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_a_whole_exchange_is_audited_with_counts_never_values(
    peer: tuple[TestClient, dict[str, str], ServiceSettings],
) -> None:
    client, keys, settings = peer
    proposal = agreement()
    opened = client.post("/exchange/open", json=proposal, headers=bearer(keys["peer"]))
    assert opened.status_code == 200, opened.text
    body = opened.json()
    digest = next(k.sha256 for k in KeyStore(settings.keys_file).records() if k.role is Role.PEER)
    assert body["proof"] == peer_proof(digest, proposal["exchange_id"], proposal["nonce"])
    assert body["sizes"] == {"identifiers": 2, "names": 2}
    exchange = proposal["exchange_id"]
    blinder = Blinder()
    answer = client.post(
        f"/exchange/{exchange}/evaluate?batch=0",
        content=blinder.request(["id\x1fdocument:400123456"]),
        headers=bearer(keys["peer"]),
    )
    assert answer.status_code == 200 and len(blinder.unblind(answer.content, 1)) == 1
    assert (
        client.get(f"/exchange/{exchange}/identifiers", headers=bearer(keys["peer"])).status_code
        == 200
    )
    assert (
        client.get(f"/exchange/{exchange}/names", headers=bearer(keys["peer"])).status_code == 200
    )
    closed = client.post(
        f"/exchange/{exchange}/close", json={"hits": 1}, headers=bearer(keys["peer"])
    )
    assert closed.json() == {"closed": True, "hits": 1, "evaluations": 1}
    trail = audit(settings)
    outcomes = [e["outcome"] for e in trail if e.get("exchange") == exchange]
    assert outcomes == ["opened", "evaluated", "sent", "sent", "closed"]
    text = settings.audit_log.read_text(encoding="utf-8")
    for value in ("Рахмонов", "400123456", "DE89", "Schmidt"):
        assert value not in text


def test_malformed_oversized_and_replayed_messages_get_4xx_and_an_audit_entry(
    peer: tuple[TestClient, dict[str, str], ServiceSettings],
) -> None:
    client, keys, settings = peer
    key = bearer(keys["peer"])
    assert client.post("/exchange/open", content=b"{not json", headers=key).status_code == 422
    assert (
        client.post("/exchange/open", json=agreement(fields=["dob"]), headers=key).status_code
        == 422
    )
    assert (
        client.post(
            "/exchange/open", json=agreement(exchange_id="../../x"), headers=key
        ).status_code
        == 422
    )
    proposal = agreement()
    assert client.post("/exchange/open", json=proposal, headers=key).status_code == 200
    assert client.post("/exchange/open", json=proposal, headers=key).status_code == 409  # replay
    exchange = proposal["exchange_id"]
    garbage = client.post(
        f"/exchange/{exchange}/evaluate?batch=0", content=b"\xff" * 64, headers=key
    )
    assert garbage.status_code == 422
    good = Blinder().request(["a"])
    assert (
        client.post(f"/exchange/{exchange}/evaluate?batch=1", content=good, headers=key).status_code
        == 200
    )
    replayed = client.post(f"/exchange/{exchange}/evaluate?batch=1", content=good, headers=key)
    assert replayed.status_code == 409
    too_many = Blinder().request([f"x{i}" for i in range(6)])
    beyond = client.post(f"/exchange/{exchange}/evaluate?batch=2", content=too_many, headers=key)
    assert beyond.status_code == 422
    huge = b"\x12" * (settings.max_body_bytes + 1)
    oversized = client.post(f"/exchange/{exchange}/evaluate?batch=3", content=huge, headers=key)
    assert oversized.status_code == 413
    assert client.get(f"/exchange/{exchange}/names", headers=key).status_code == 200
    assert client.get(f"/exchange/{exchange}/names", headers=key).status_code == 409
    refused = [e for e in audit(settings) if e["outcome"] == "refused"]
    assert [e["status"] for e in refused] == [422, 422, 422, 409, 422, 409, 422, 413, 409]
    assert client.get("/health").status_code == 200


def test_a_wrong_revoked_foreign_or_non_peer_key_learns_nothing(
    peer: tuple[TestClient, dict[str, str], ServiceSettings],
) -> None:
    client, keys, settings = peer
    proposal = agreement()
    assert (
        client.post("/exchange/open", json=proposal, headers=bearer(keys["peer"])).status_code
        == 200
    )
    exchange = proposal["exchange_id"]
    names = f"/exchange/{exchange}/names"
    forged = "idk_" + keys["peer"][4:12] + "_" + "A" * 43
    assert client.get(names, headers=bearer(forged)).status_code == 401
    assert client.get(names, headers=bearer(keys["admin"])).status_code == 403
    other = client.get(names, headers=bearer(keys["other_peer"]))
    assert other.status_code == 404 and b"IXN1" not in other.content
    assert (
        client.post("/screen", json={"parties": []}, headers=bearer(keys["peer"])).status_code
        == 403
    )
    store = KeyStore(settings.keys_file)
    store.revoke(next(k.id for k in store.records() if keys["peer"].startswith(f"idk_{k.id}_")))
    assert client.get(names, headers=bearer(keys["peer"])).status_code == 401


def test_a_peer_beyond_its_rate_gets_429(
    peer: tuple[TestClient, dict[str, str], ServiceSettings],
) -> None:
    client, keys, settings = peer
    statuses = [
        client.post("/exchange/open", json=agreement(), headers=bearer(keys["peer"])).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert audit(settings)[-1]["status"] == 429
