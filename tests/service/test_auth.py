"""Keys and roles: keys stored hashed, shown once, revocable; every route's role enforced before
the body is read; refusals answered 401/403; refusals of verified keys audited, calls without a
valid key logged apart and rate-limited."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from interdict.service import create_app
from interdict.service.auth import ACCESS, KeyStore, Role, allows, route_of
from interdict.service.config import ServiceSettings
from interdict.service.middleware import UnauthenticatedLog
from interdict.service.state import IndexHolder
from tests.service.conftest import TestClient, bearer

SCREEN = {"parties": [{"id": "1", "name": "Usama bin Ladin"}]}


def test_keys_file_holds_hashes_only(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json")
    token, record = store.create(Role.ANALYST, "fiu desk")
    text = (tmp_path / "keys.json").read_text()
    assert token not in text and token.split("_")[2] not in text
    assert record.sha256 in text and "fiu desk" in text
    assert (tmp_path / "keys.json").stat().st_mode & 0o077 == 0
    key, who = store.authenticate(f"Bearer {token}")
    assert key is not None and key.role is Role.ANALYST and who == record.id


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer not-a-key",
        "Bearer idk_00000000_" + "A" * 43,
    ],
)
def test_bad_headers_authenticate_nobody(tmp_path: Path, header: str | None) -> None:
    store = KeyStore(tmp_path / "keys.json")
    store.create(Role.ADMIN)
    assert store.authenticate(header)[0] is None


def test_a_forged_key_carrying_a_real_key_id_is_not_named_as_that_key(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json")
    token, record = store.create(Role.CLIENT)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert record.id in forged
    key, who = store.authenticate(f"Bearer {forged}")
    assert key is None and who == "anonymous"
    store.revoke(record.id)
    assert store.authenticate(f"Bearer {token}") == (None, record.id)  # authentic, revoked


def test_revoked_keys_stop_working_at_once(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json")
    token, record = store.create(Role.CLIENT)
    assert store.authenticate(f"bearer {token}")[0] is not None
    other = KeyStore(tmp_path / "keys.json")  # the CLI, in another process
    other.revoke(record.id)
    assert store.authenticate(f"Bearer {token}")[0] is None
    assert [k.revoked for k in store.records()] == [True]


def test_roles_are_ordered() -> None:
    assert allows(Role.ADMIN, Role.CLIENT) and allows(Role.ANALYST, Role.ANALYST)
    assert not allows(Role.CLIENT, Role.ANALYST) and not allows(Role.ANALYST, Role.ADMIN)


def test_every_route_is_in_the_access_table(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method in operations:
            assert (method.upper(), path) in ACCESS, (method, path)


@pytest.mark.parametrize(
    ("role", "method", "path", "allowed"),
    [
        ("client", "POST", "/screen", True),
        ("client", "GET", "/lists", True),
        ("client", "GET", "/audit/verify", False),
        ("client", "POST", "/admin/reload", False),
        ("analyst", "GET", "/audit/verify", True),
        ("analyst", "POST", "/admin/reload", False),
        ("admin", "POST", "/admin/reload", True),
        ("admin", "POST", "/screen", True),
    ],
)
def test_role_table_is_enforced(
    client: TestClient, keys: dict[str, str], role: str, method: str, path: str, allowed: bool
) -> None:
    response = client.request(method, path, json=SCREEN, headers=bearer(keys[role]))
    if allowed:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_refusals_come_before_the_body_is_read(
    client: TestClient, keys: dict[str, str], settings: ServiceSettings
) -> None:
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        response = client.post(
            "/screen", content=b"{not json", headers={**headers, "Content-Type": "text/plain"}
        )
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "interdict keys create" in response.json()["error"]["hint"]
    response = client.post("/admin/reload", content=b"junk", headers=bearer(keys["client"]))
    assert response.status_code == 403
    entries = [json.loads(line) for line in settings.audit_log.read_text().splitlines()]
    refused = [e for e in entries if e["outcome"] == "refused"]
    # Only a verified key is audited; calls without one are logged apart (below).
    assert [(e["status"], e["who"], e["route"]) for e in refused] == [
        (403, keys["client"].split("_")[1], "POST /admin/reload"),
    ]


def test_calls_without_a_valid_key_are_logged_apart_and_rate_limited(
    settings: ServiceSettings, keys: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    forged = keys["admin"][:-1] + ("A" if keys["admin"][-1] != "A" else "B")
    limited = replace(settings, unauthenticated_log_per_minute=3)
    with (
        TestClient(create_app(limited, holder=IndexHolder(None))) as client,
        caplog.at_level(logging.WARNING, logger="interdict.service.unauthenticated"),
    ):
        for _ in range(20):
            assert client.post("/screen", headers=bearer(forged)).status_code == 401
            assert client.post("/admin/reload").status_code == 401
    lines = [r.getMessage() for r in caplog.records if r.name.endswith("unauthenticated")]
    assert len(lines) == 3, lines
    assert "route=POST /screen" in lines[0] and "reason=invalid_key" in lines[0]
    assert "reason=no_key" in lines[1]
    assert all(keys["admin"].split("_")[1] not in line for line in lines)
    assert not settings.audit_log.exists() or settings.audit_log.read_text() == ""


def test_unauthenticated_log_reports_what_it_suppressed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    log = UnauthenticatedLog(2, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="interdict.service.unauthenticated"):
        written = [log.record("GET /lists", "10.0.0.1", "no_key") for _ in range(5)]
        now[0] = 61.0
        written.append(log.record("GET /lists", "10.0.0.1", "no_key"))
    assert written == [True, True, False, False, False, True]
    messages = [r.getMessage() for r in caplog.records]
    assert "event=unauthenticated_suppressed count=3" in messages[2]


def test_public_routes_need_no_key(client: TestClient) -> None:
    for path in ("/health", "/openapi.json", "/docs"):
        assert client.get(path).status_code == 200, path
    assert client.get("/metrics").status_code == 401  # unless INTERDICT_PUBLIC_METRICS
    assert client.get("/nowhere").status_code == 404
    assert client.get("/nowhere").json()["error"]["code"] == "not_found"


def test_an_unreadable_keys_file_is_503_not_500(
    client: TestClient, settings: ServiceSettings
) -> None:
    settings.keys_file.write_text("{broken", encoding="utf-8")
    response = client.post("/screen", json=SCREEN, headers=bearer("idk_0123abcd_" + "A" * 43))
    assert response.status_code == 503
    assert response.json()["error"]["where"] is None  # no server paths to the client


def test_route_templates_match_one_segment_each() -> None:
    assert route_of("GET", "/cases/CASE-000001") == ("/cases/{case_id}", True)
    assert route_of("POST", "/cases/CASE-000001/approve") == ("/cases/{case_id}/approve", True)
    assert route_of("DELETE", "/cases/CASE-000001") == ("/cases/{case_id}", False)
    assert route_of("GET", "/cases") == ("/cases", True)
    assert route_of("GET", "/cases//approve") is None
    assert route_of("GET", "/cases/a/b/c") is None
