"""What one request may cost: parties × limit, answer size and time are bounded, each refusal
names its setting, and an audit line stays small however large the request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from interdict.model import Entity
from interdict.service import create_app
from interdict.service.config import ServiceSettings
from interdict.service.state import IndexHolder
from tests.service.conftest import TestClient, bearer, status_of

PAYMENT = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm><NbOfTxs>1</NbOfTxs>
<SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf></GrpHdr>
<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId>
<IntrBkSttlmAmt Ccy="USD">10</IntrBkSttlmAmt><ChrgBr>SHAR</ChrgBr>
<Dbtr><Nm>Usama bin Ladin</Nm></Dbtr><DbtrAgt><FinInstnId><BICFI>HHBKTJ22</BICFI></FinInstnId>
</DbtrAgt><CdtrAgt><FinInstnId><BICFI>HHBKTJ22</BICFI></FinInstnId></CdtrAgt>
<Cdtr><Nm>Ali Hassan</Nm></Cdtr></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>"""


def _parties(count: int) -> list[dict[str, str]]:
    return [{"id": str(i), "name": "Muhammad Ali Hassan"} for i in range(count)]


@pytest.fixture
def bounded(
    settings: ServiceSettings, entities: list[Entity], keys: dict[str, str]
) -> Iterator[tuple[ServiceSettings, dict[str, TestClient]]]:
    holder = IndexHolder.of_entities(entities, status_of(entities))
    variants = {
        "default": settings,
        "tiny answer": replace(settings, max_response_bytes=2000),
        "no time": replace(settings, max_request_seconds=0),
    }
    clients = {
        name: TestClient(create_app(s, holder=holder), raise_server_exceptions=False)
        for name, s in variants.items()
    }
    for client in clients.values():
        client.__enter__()
    yield settings, clients
    for client in clients.values():
        client.__exit__(None, None, None)


def test_parties_times_limit_is_bounded_before_any_screening(
    bounded: tuple[ServiceSettings, dict[str, TestClient]], keys: dict[str, str]
) -> None:
    settings, clients = bounded
    body = {"parties": _parties(1000), "limit": 100, "threshold": 0}
    response = clients["default"].post("/screen", json=body, headers=bearer(keys["client"]))
    assert response.status_code == 413
    error = response.json()["error"]
    assert "100,000 possible matches" in error["message"]
    assert "INTERDICT_MAX_MATCHES" in error["message"]
    last = json.loads(settings.audit_log.read_text().splitlines()[-1])
    assert (last["outcome"], last["status"]) == ("rejected", 413)
    allowed = {"parties": _parties(1000), "limit": 10, "threshold": 0}
    assert (
        clients["default"].post("/screen", json=allowed, headers=bearer(keys["client"])).is_success
    )


def test_an_answer_larger_than_the_limit_is_refused_with_its_size(
    bounded: tuple[ServiceSettings, dict[str, TestClient]], keys: dict[str, str]
) -> None:
    _, clients = bounded
    body = {"parties": _parties(20), "limit": 10, "threshold": 0}
    response = clients["tiny answer"].post("/screen", json=body, headers=bearer(keys["client"]))
    assert response.status_code == 413
    message = response.json()["error"]["message"]
    assert "the answer would be" in message and "INTERDICT_MAX_RESPONSE_BYTES" in message
    small = {"parties": _parties(1), "limit": 1}
    assert (
        clients["tiny answer"]
        .post("/screen", json=small, headers=bearer(keys["client"]))
        .is_success
    )


@pytest.mark.parametrize(
    ("route", "content", "content_type"),
    [
        ("/screen", json.dumps({"parties": _parties(3)}).encode(), "application/json"),
        ("/screen/payment", PAYMENT, "application/xml"),
    ],
)
def test_screening_past_the_time_budget_stops_with_503(
    bounded: tuple[ServiceSettings, dict[str, TestClient]],
    keys: dict[str, str],
    route: str,
    content: bytes,
    content_type: str,
) -> None:
    _, clients = bounded  # "no time": the budget is spent before the first party
    headers = {**bearer(keys["client"]), "Content-Type": content_type}
    response = clients["no time"].post(route, content=content, headers=headers)
    assert response.status_code == 503, response.text
    assert "INTERDICT_MAX_REQUEST_SECONDS" in response.json()["error"]["message"]


def test_an_audit_line_stays_small_however_large_the_request(
    bounded: tuple[ServiceSettings, dict[str, TestClient]], keys: dict[str, str]
) -> None:
    settings, clients = bounded
    for count in (1, 1000):
        body = {"parties": _parties(count), "limit": 10, "threshold": 0}
        response = clients["default"].post("/screen", json=body, headers=bearer(keys["client"]))
        assert response.status_code == 200
    small, large = settings.audit_log.read_bytes().splitlines()
    assert len(large) < 8000, len(large)  # 1000 parties, thousands of hits
    entry = json.loads(large)
    assert entry["parties"] == 1000 and entry["hits_total"] >= 1000
    assert len(entry["hits"]) == 20 and len(entry["hits_digest"]) == 64
    assert json.loads(small)["parties"] == 1
