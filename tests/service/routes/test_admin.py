"""GET /lists, POST /admin/reload and GET /audit/verify."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interdict.service import create_app
from interdict.service.auth import KeyStore, Role
from interdict.service.config import ServiceSettings, load_service_settings
from tests.service.conftest import INHOUSE, TestClient, bearer, interdict


def test_list_status(client: TestClient, keys: dict[str, str]) -> None:
    body = client.get("/lists", headers=bearer(keys["client"])).json()
    assert body["lists"] == [
        {
            "name": "test",
            "version": 1,
            "entities": 14,
            "imported_at": "2026-01-01T00:00:00+00:00",
            "published": None,
            "sha256": "0" * 64,
        }
    ]
    assert body["matcher"] == "name_v1" and body["generation"] == 1


@pytest.fixture
def served(workspace: Path) -> Iterator[tuple[TestClient, dict[str, str], ServiceSettings]]:
    settings = load_service_settings({}, home=workspace, reload_seconds=0)
    store = KeyStore(settings.keys_file)
    keys = {role.value: store.create(role)[0] for role in Role}
    with TestClient(create_app(settings)) as client:
        yield client, keys, settings


def test_reload_on_demand(
    served: tuple[TestClient, dict[str, str], ServiceSettings], tmp_path: Path
) -> None:
    client, keys, settings = served
    first = client.get("/lists", headers=bearer(keys["client"])).json()
    assert [(s["name"], s["version"], s["entities"]) for s in first["lists"]] == [("inhouse", 1, 4)]
    unchanged = client.post("/admin/reload", headers=bearer(keys["admin"])).json()
    assert unchanged["reloaded"] is False and unchanged["generation"] == 1
    source = tmp_path / "v2.csv"
    source.write_text(INHOUSE + "W5,Abu Hafs al-Masri,Person,,,\n", encoding="utf-8")
    done = interdict(
        settings.home, "lists", "import", str(source), "--format", "csv", "--name", "inhouse"
    )
    assert done.returncode == 0, done.stderr
    reloaded = client.post("/admin/reload", headers=bearer(keys["admin"])).json()
    assert reloaded["reloaded"] is True and reloaded["generation"] == 2
    assert [(s["version"], s["entities"]) for s in reloaded["lists"]] == [(2, 5)]
    hit = client.post(
        "/screen",
        json={"parties": [{"id": "1", "name": "Abu Hafs al-Masri"}]},
        headers=bearer(keys["client"]),
    ).json()
    assert hit["results"][0]["list_versions"] == {"inhouse": 2}
    assert hit["results"][0]["matches"][0]["source_id"] == "W5"
    trail = client.get("/audit/verify", headers=bearer(keys["analyst"])).json()
    assert trail["ok"] is True and trail["entries"] >= 3
