"""GET /health (public) and GET /metrics (an analyst key, unless made public): informative,
never personal data."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from interdict.service import create_app
from interdict.service.config import ServiceSettings
from interdict.service.state import IndexHolder
from tests.service.conftest import TestClient, bearer

SAMPLE = re.compile(r'^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+]+$')


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["ready"] is True
    assert body["lists"] == 1 and body["generation"] == 1 and body["watcher"] == "off"


def test_without_lists_the_service_is_alive_but_not_ready(
    settings: ServiceSettings, keys: dict[str, str], tmp_path: Path
) -> None:
    empty = replace(settings, home=tmp_path / "empty")
    with TestClient(create_app(empty, holder=IndexHolder(empty.home))) as client:
        health = client.get("/health")
        assert health.status_code == 200 and health.json()["ready"] is False
        response = client.post(
            "/screen", json={"parties": [{"id": "1", "name": "A"}]}, headers=bearer(keys["client"])
        )
        assert response.status_code == 503
        assert "no lists are loaded" in response.json()["error"]["message"]


def test_metrics_in_prometheus_text_format(client: TestClient, keys: dict[str, str]) -> None:
    client.post(
        "/screen",
        json={"parties": [{"id": "1", "name": "Usama bin Ladin"}]},
        headers=bearer(keys["client"]),
    )
    client.post("/screen", json={"parties": []})
    response = client.get("/metrics", headers=bearer(keys["analyst"]))
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    for line in text.splitlines():
        assert line.startswith("# ") or SAMPLE.match(line), line
    assert 'interdict_requests_total{method="POST",route="/screen",status="200"} 1' in text
    assert 'interdict_refusals_total{status="401"} 1' in text
    assert 'interdict_parties_screened_total{route="/screen"} 1' in text
    assert 'interdict_list_version{list="test"} 1' in text
    assert (
        'interdict_request_duration_seconds_bucket{method="POST",route="/screen",le="+Inf"} 2'
        in text
    )
    assert "interdict_screening_hits_total" in text
    assert "Ladin" not in text


def test_metrics_need_a_key_unless_made_public(
    settings: ServiceSettings, keys: dict[str, str]
) -> None:
    assert settings.public_metrics is False  # the default
    with TestClient(create_app(settings, holder=IndexHolder(None))) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers=bearer(keys["client"])).status_code == 403
        assert client.get("/metrics", headers=bearer(keys["analyst"])).status_code == 200
    public = replace(settings, public_metrics=True)
    with TestClient(create_app(public, holder=IndexHolder(None))) as client:
        assert client.get("/metrics").status_code == 200
