"""The request layers: oversized bodies stop at the limit (declared or streamed), every answer
carries a request id, and the access log line carries no personal data."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace

import pytest

from interdict.model import Entity
from interdict.service import create_app
from interdict.service.config import ServiceSettings
from interdict.service.state import IndexHolder
from tests.service.conftest import TestClient, bearer, status_of


@pytest.fixture
def small_client(
    settings: ServiceSettings, entities: list[Entity], keys: dict[str, str]
) -> Iterator[TestClient]:
    tight = replace(settings, max_body_bytes=1000, max_parties=3)
    holder = IndexHolder.of_entities(entities, status_of(entities))
    with TestClient(create_app(tight, holder=holder)) as client:
        yield client


def test_declared_oversized_body_is_413(small_client: TestClient, keys: dict[str, str]) -> None:
    body = b"x" * 5000
    response = small_client.post(
        "/screen/payment",
        content=body,
        headers={**bearer(keys["client"]), "Content-Type": "text/plain"},
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large" and "5,000 bytes" in error["message"]


def test_streamed_oversized_body_is_413(small_client: TestClient, keys: dict[str, str]) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 100

    response = small_client.post(
        "/screen/manifest",
        content=chunks(),
        headers={**bearer(keys["client"]), "Content-Type": "text/plain"},
    )
    assert response.status_code == 413


def test_too_many_parties_is_413(small_client: TestClient, keys: dict[str, str]) -> None:
    parties = [{"id": str(i), "name": "A B"} for i in range(4)]
    response = small_client.post(
        "/screen", json={"parties": parties}, headers=bearer(keys["client"])
    )
    assert response.status_code == 413
    assert "4 parties to screen" in response.json()["error"]["message"]


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == (
        "abc-123"
    )
    made = client.get("/health", headers={"X-Request-ID": "bad id!\n"}).headers["x-request-id"]
    assert len(made) == 32 and made.isalnum()


def test_logs_carry_no_personal_data(
    client: TestClient, keys: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="interdict")
    party = {"id": "CUST-42", "name": "Usama bin Ladin", "birth_date": "1957-03-10"}
    client.post("/screen", json={"parties": [party]}, headers=bearer(keys["client"]))
    client.post(
        "/screen",
        json={"parties": [{**party, "birth_date": "57?"}]},
        headers=bearer(keys["client"]),
    )
    lines = [r.getMessage() for r in caplog.records]
    assert any("event=request" in line and "route=/screen" in line for line in lines)
    text = "\n".join(lines)
    for secret in ("Ladin", "1957", "CUST-42", "57?", keys["client"]):
        assert secret not in text


def test_an_unexpected_failure_is_a_json_500_audited_and_logged_without_data(
    settings: ServiceSettings,
    entities: list[Entity],
    keys: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    holder = IndexHolder.of_entities(entities, status_of(entities))

    def broken(party: object, **options: object) -> None:
        raise RuntimeError(f"failed on {party!r}")  # the message quotes the input

    holder.current.screener.screen = broken  # type: ignore[method-assign,assignment]
    with TestClient(create_app(settings, holder=holder), raise_server_exceptions=False) as client:
        response = client.post(
            "/screen",
            json={"parties": [{"id": "1", "name": "Usama bin Ladin"}]},
            headers=bearer(keys["client"]),
        )
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal"
    assert "Ladin" not in response.text
    assert "Ladin" not in caplog.text and "RuntimeError" in caplog.text
    trail = settings.audit_log.read_text()
    assert '"outcome":"failed"' in trail and "Ladin" not in trail


def test_messages_naming_too_many_parties_are_413(
    small_client: TestClient, keys: dict[str, str]
) -> None:
    manifest = "UNB+UNOA:4+A+B+250314:0800+1'UNH+1+PAXLST:D:05B:UN:IATA'"
    manifest += "".join(f"NAD+FL+++PERSON:NUMBER{i}'" for i in range(4)) + "UNT+6+1'UNZ+1+1'"
    response = small_client.post(
        "/screen/manifest",
        content=manifest.encode(),
        headers={**bearer(keys["client"]), "Content-Type": "text/plain"},
    )
    assert response.status_code == 413
    assert "4 parties to screen" in response.json()["error"]["message"]
