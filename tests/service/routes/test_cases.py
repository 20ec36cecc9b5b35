"""/alerts and /cases over HTTP against the real app and a real workspace: the key's analyst
acts, four eyes hold (the author's approval is refused, another analyst's accepted), a true
match freezes, a stale approval is refused, and the trail verifies afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from interdict.service.auth import KeyStore, Role
from interdict.service.config import ServiceSettings
from interdict.store import Workspace
from interdict.store.alert_sources import keep_alerts, screening_alert, typology_alert
from interdict.store.analysts import AnalystRole, AnalystStore
from interdict.store.trail import verify_trail
from tests.cases.conftest import MATCH, PARTY, ROWS, TYPOLOGY, seed
from tests.runner import interdict
from tests.service.conftest import Server, TestClient, bearer


@pytest.fixture
def alerts(settings: ServiceSettings) -> dict[str, str]:
    """Analysts ana (analyst), bob (supervisor), aud (auditor) and two alerts in the workspace."""
    return seed(settings.home)


@pytest.fixture
def people(settings: ServiceSettings, alerts: dict[str, str]) -> dict[str, dict[str, str]]:
    """One key per registered analyst, as ``interdict keys create --analyst NAME`` makes it."""
    store = KeyStore(settings.keys_file)
    return {
        name: bearer(store.create(Role.ANALYST, name, analyst=name)[0])
        for name in ("ana", "bob", "aud")
    }


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_open_propose_refuse_the_author_approve_by_another_and_freeze(
    client: TestClient,
    settings: ServiceSettings,
    alerts: dict[str, str],
    people: dict[str, dict[str, str]],
) -> None:
    ana, bob = people["ana"], people["bob"]
    case = _ok(client.post("/cases", json={"alert_ids": [alerts["screening"]]}, headers=ana), 201)
    case_id = case["case_id"]
    assert (case["opened_by"], case["status"], case["kind"]) == ("ana", "open", "sanctions")
    assert [a["alert_id"] for a in case["alerts"]] == [alerts["screening"]]
    (alert,) = _ok(client.get("/alerts", params={"source": "screening"}, headers=bob))["alerts"]
    assert alert["case_id"] == case_id and alert["list"] == "un"

    proposed = _ok(
        client.post(
            f"/cases/{case_id}/propose",
            json={"verdict": "true_match", "reason": "DOB and nationality match"},
            headers=ana,
        )
    )
    assert proposed["author"] == "ana" and len(proposed["freezes"]) == 1  # frozen at once

    refused = client.post(f"/cases/{case_id}/approve", json={}, headers=ana)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "conflict" and "four eyes" in error["message"]
    assert "ana proposed this" in error["message"]

    approved = _ok(
        client.post(
            f"/cases/{case_id}/approve", json={"state_hash": proposed["state_hash"]}, headers=bob
        )
    )
    assert (approved["author"], approved["approver"]) == ("ana", "bob")
    assert approved["case_status"] == "decided" and len(approved["freezes"]) == 1
    shown = _ok(client.get(f"/cases/{case_id}", headers=ana))
    assert shown["frozen"] and shown["verdict"] == "true_match"
    assert [e["action"] for e in shown["events"]] == [
        "open", "attach", "propose", "freeze", "approve",
    ]  # fmt: skip
    assert {e["actor"] for e in shown["events"]} == {"ana", "bob"}

    with Workspace(settings.home) as workspace:
        check = verify_trail(workspace, settings.audit_log)
    assert check.ok, check.problem
    assert check.anchored >= len(shown["events"])
    done = interdict(settings.home, "audit", "verify")
    assert done.returncode == 0, done.stderr
    assert "audit trail intact" in done.stdout
    assert _ok(client.get("/audit/verify", headers=bob))["ok"]


def test_a_stale_approval_is_refused(
    client: TestClient, alerts: dict[str, str], people: dict[str, dict[str, str]]
) -> None:
    ana, bob, aud = people["ana"], people["bob"], people["aud"]
    case_id = _ok(
        client.post("/cases", json={"alert_ids": [alerts["monitoring"]]}, headers=ana), 201
    )["case_id"]
    proposal = _ok(
        client.post(
            f"/cases/{case_id}/propose",
            json={"verdict": "suspicious", "reason": "structuring below the threshold"},
            headers=ana,
        )
    )
    _ok(client.post(f"/cases/{case_id}/comments", json={"text": "new KYC"}, headers=aud))
    stale = client.post(
        f"/cases/{case_id}/approve", json={"state_hash": proposal["state_hash"]}, headers=bob
    )
    assert stale.status_code == 409 and "stale" in stale.json()["error"]["message"]
    assert _ok(client.get(f"/cases/{case_id}", headers=bob))["status"] == "proposed"


def test_assign_list_and_who_may_act(
    client: TestClient,
    settings: ServiceSettings,
    keys: dict[str, str],
    alerts: dict[str, str],
    people: dict[str, dict[str, str]],
) -> None:
    ana, aud = people["ana"], people["aud"]
    case_id = _ok(
        client.post("/cases", json={"alert_ids": [alerts["monitoring"]]}, headers=ana), 201
    )["case_id"]
    assigned = _ok(client.post(f"/cases/{case_id}/assign", json={"to": "bob"}, headers=ana))
    assert assigned["assignee"] == "bob"
    (listed,) = _ok(client.get("/cases", params={"status": "open"}, headers=aud))["cases"]
    assert listed["case_id"] == case_id and listed["events"] == len(assigned["events"])

    auditor = client.post(
        f"/cases/{case_id}/propose", json={"verdict": "suspicious", "reason": "x"}, headers=aud
    )
    assert auditor.status_code == 409 and "cannot decide" in auditor.json()["error"]["message"]
    nobody = client.get("/cases", headers=bearer(keys["analyst"]))  # a key of no analyst
    assert nobody.status_code == 403 and "no registered analyst" in nobody.text
    admin_no_analyst = client.post(
        f"/cases/{case_id}/assign", json={"to": "ana"}, headers=bearer(keys["admin"])
    )
    assert (
        admin_no_analyst.status_code == 403
        and '"outcome":"forbidden"' in settings.audit_log.read_text()
    )
    machine = client.get(f"/cases/{case_id}", headers=bearer(keys["client"]))
    assert machine.status_code == 403 and machine.json()["error"]["code"] == "forbidden"
    anonymous = client.post(f"/cases/{case_id}/approve", json={})
    assert anonymous.status_code == 401
    with Workspace(settings.home) as workspace:
        AnalystStore(workspace).set_role("aud", AnalystRole.AUDITOR, active=False)
    gone = client.get(f"/cases/{case_id}", headers=aud)
    assert gone.status_code == 403 and "not a registered, active analyst" in gone.text


def test_alert_filters_and_errors(
    client: TestClient, alerts: dict[str, str], people: dict[str, dict[str, str]]
) -> None:
    ana = people["ana"]
    every = _ok(client.get("/alerts", headers=ana))["alerts"]
    assert {a["source"] for a in every} == {"screening", "monitoring"}
    high = _ok(client.get("/alerts", params={"min_score": 0.96, "list": "un"}, headers=ana))
    assert [a["alert_id"] for a in high["alerts"]] == [alerts["screening"]]
    one = _ok(client.get(f"/alerts/{alerts['monitoring']}", headers=ana))
    assert one["account"] == "ACC-1" and one["explanation"]
    missing = client.get("/alerts/S-nothing", headers=ana)
    assert missing.status_code == 404 and "no alert" in missing.json()["error"]["message"]
    wrong = client.get("/alerts", params={"max_age": "soon"}, headers=ana)
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "bad_input"
    taken = client.post("/cases", json={"alert_ids": ["S-nothing"]}, headers=ana)
    assert taken.status_code == 404
    extra = client.post("/cases", json={"alert_ids": [], "x": 1}, headers=ana)
    assert extra.status_code == 422


def test_openapi_documents_the_case_routes_with_models(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    show = paths["/cases/{case_id}"]["get"]
    assert show["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CaseOut"
    )
    assert "Needs role: `analyst`" in paths["/cases/{case_id}/approve"]["post"]["description"]
    assert "application/xml" in paths["/reports/goaml"]["post"]["responses"]["200"]["content"]
    assert {"AlertOut", "CaseOut", "Proposed", "Approved", "GoamlIn"} <= set(
        document["components"]["schemas"]
    )


def test_refused_actions_are_in_the_service_trail(
    client: TestClient,
    settings: ServiceSettings,
    alerts: dict[str, str],
    people: dict[str, dict[str, str]],
) -> None:
    ana = people["ana"]
    case_id = _ok(
        client.post("/cases", json={"alert_ids": [alerts["monitoring"]]}, headers=ana), 201
    )["case_id"]
    assert client.post(f"/cases/{case_id}/approve", headers=ana).status_code == 409
    text = Path(settings.audit_log).read_text(encoding="utf-8")
    assert '"route":"POST /cases/{case_id}/approve"' in text and '"outcome":"conflict"' in text
    assert '"analyst":"ana"' in text


def test_a_real_server_works_cases_beside_its_list_watcher(server: Server) -> None:
    home = server.home
    for name, role in (("ana", "analyst"), ("bob", "supervisor")):
        assert interdict(home, "analysts", "add", name, "--role", role).returncode == 0
    keys = {}
    for name in ("ana", "bob"):
        made = interdict(home, "keys", "create", "--analyst", name)
        assert made.returncode == 0, made.stderr
        keys[name] = bearer(made.stdout.strip())
    seeded = seed_alerts(home)
    opened = httpx.post(
        server.url + "/cases", json={"alert_ids": [seeded["monitoring"]]}, headers=keys["ana"]
    )
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case_id"]
    proposed = httpx.post(
        f"{server.url}/cases/{case_id}/propose",
        json={"verdict": "suspicious", "reason": "structuring"},
        headers=keys["ana"],
    )
    assert proposed.status_code == 200, proposed.text
    approved = httpx.post(f"{server.url}/cases/{case_id}/approve", headers=keys["bob"])
    assert approved.status_code == 200 and approved.json()["approver"] == "bob"
    done = interdict(home, "cases", "show", case_id, "--json")  # the CLI meanwhile, same workspace
    assert done.returncode == 0 and '"status": "approved"' in done.stdout
    assert httpx.get(server.url + "/lists", headers=keys["ana"]).status_code == 200
    verified = interdict(home, "audit", "verify")
    assert verified.returncode == 0, verified.stderr


def seed_alerts(home: Path) -> dict[str, str]:
    """The two alerts of :func:`tests.cases.conftest.seed`, without its analysts."""
    hit = screening_alert(PARTY, MATCH, matcher="name_v1", where="customers.csv")
    typology = typology_alert(TYPOLOGY, ROWS)
    with Workspace(home) as workspace:
        keep_alerts(workspace, [hit, typology], job="test")
    return {"screening": hit.alert_id, "monitoring": typology.alert_id}
