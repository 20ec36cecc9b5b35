"""Every real sample in ../shared/data/standards screens end to end through the HTTP API — the
FastAPI test client and a real ``interdict serve`` process on 127.0.0.1 — and a list version
imported while the server runs is picked up without one failed request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from interdict.service import create_app
from interdict.service.auth import KeyStore, Role
from interdict.service.config import load_service_settings
from tests.service.conftest import INHOUSE, Server, TestClient, bearer, interdict

pytestmark = pytest.mark.shared_data

Post = Callable[[str, bytes, str], httpx.Response]


def samples(shared: Path) -> list[tuple[Path, str, str, int]]:
    """``(file, route, content type, expected status)`` for every real sample message."""
    standards = shared / "standards"
    found: list[tuple[Path, str, str, int]] = []
    for path in sorted((standards / "iso20022" / "samples").rglob("*.xml")):
        status = 422 if "auth-finnish-customs" in path.parts else 200
        found.append((path, "/screen/payment", "application/xml", status))
    for path in sorted((standards / "mt").rglob("*")):
        if path.suffix in (".rje", ".fin"):
            found.append((path, "/screen/payment", "text/plain", 200))
    for folder in ("apis", "pnrgov"):
        for path in sorted((standards / "paxlst" / "gtas" / folder).iterdir()):
            found.append((path, "/screen/manifest", "text/plain", 200))
    return found


def check_all(shared: Path, post: Post) -> dict[str, dict[str, Any]]:
    found = samples(shared)
    assert len(found) >= 60
    answers: dict[str, dict[str, Any]] = {}
    for path, route, content_type, status in found:
        response = post(route, path.read_bytes(), content_type)
        assert response.status_code == status, (path.name, response.text[:300])
        body = response.json()
        if status == 200:
            screened = body["parties"] if route == "/screen/payment" else body["results"]
            assert screened, path.name
            assert all("matches" in item for item in screened), path.name
        else:
            assert "is not a payment message" in body["error"]["message"], path.name
            assert body["error"]["where"].startswith("request body line"), path.name
        answers[path.name] = body
    return answers


def check_hits(answers: dict[str, dict[str, Any]]) -> None:
    bulk = answers["MT103-bulk-with-ack.rje"]
    victory = next(p for p in bulk["parties"] if p["name"] == "VICTORY FOOBAR")
    assert victory["matches"][0]["source_id"] == "W3"
    assert [m["network_screening"]["code"] for m in bulk["messages"]] == ["AOK"] * 3
    crew = answers["Test1.txt"]["results"]
    steur = next(r for r in crew if r["traveller"]["name"] == "Andrea Pat Steur")
    assert steur["matches"][0]["source_id"] == "W4"
    out = answers["MT103-out-ack.rje"]
    assert any(f["element"] == "account" for f in out["findings"])


@pytest.fixture
def client_and_key(workspace: Path) -> Iterator[tuple[TestClient, str]]:
    settings = load_service_settings({}, home=workspace, reload_seconds=0)
    key, _ = KeyStore(settings.keys_file).create(Role.CLIENT)
    with TestClient(create_app(settings)) as client:
        yield client, key


def test_every_sample_through_the_test_client(
    shared_data: Path, client_and_key: tuple[TestClient, str]
) -> None:
    client, key = client_and_key

    def post(route: str, body: bytes, content_type: str) -> httpx.Response:
        return client.post(
            route, content=body, headers={**bearer(key), "Content-Type": content_type}
        )

    check_hits(check_all(shared_data, post))


def test_every_sample_through_a_real_server(shared_data: Path, server: Server) -> None:
    done = interdict(server.home, "keys", "create", "--role", "client")
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip()
    with httpx.Client(base_url=server.url, timeout=60) as http:

        def post(route: str, body: bytes, content_type: str) -> httpx.Response:
            headers = {**bearer(key), "Content-Type": content_type}
            return http.post(route, content=body, headers=headers)

        check_hits(check_all(shared_data, post))
        assert http.get("/openapi.json").status_code == 200
        assert http.get("/metrics").status_code == 401
    done = interdict(server.home, "keys", "create", "--role", "analyst")
    metrics = httpx.get(f"{server.url}/metrics", headers=bearer(done.stdout.strip()), timeout=60)
    assert "interdict_requests_total" in metrics.text
    verified = interdict(server.home, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "audit trail intact" in verified.stdout


def test_new_list_version_under_load_without_a_failure(server: Server, tmp_path: Path) -> None:
    key = interdict(server.home, "keys", "create", "--role", "client").stdout.strip()
    statuses: list[int] = []
    versions: set[int] = set()
    stop = threading.Event()

    def load() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            while not stop.is_set():
                response = http.post(
                    "/screen",
                    json={"parties": [{"id": "1", "name": "Abu Hafs al-Masri"}]},
                    headers=bearer(key),
                )
                statuses.append(response.status_code)
                if response.status_code == 200:
                    versions.add(response.json()["results"][0]["list_versions"]["inhouse"])

    worker = threading.Thread(target=load)
    worker.start()
    try:
        source = tmp_path / "v2.csv"
        source.write_text(INHOUSE + "W5,Abu Hafs al-Masri,Person,,,\n", encoding="utf-8")
        done = interdict(
            server.home, "lists", "import", str(source), "--format", "csv", "--name", "inhouse"
        )
        assert done.returncode == 0, done.stderr
        deadline = time.monotonic() + 30
        while 2 not in versions and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        stop.set()
        worker.join(30)
    assert versions == {1, 2}
    assert statuses and set(statuses) == {200}
