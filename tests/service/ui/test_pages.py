"""The workbench pages in-process: sign-in, session cookie, CSRF, headers, no inline script,
and decisions that are the library's (same cases, same audit trail as the API and CLI)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interdict.cases import CaseStore
from interdict.service import create_app
from interdict.service.auth import KeyStore, Role
from interdict.service.config import ServiceSettings, load_service_settings
from interdict.service.state import IndexHolder
from interdict.service.ui.web import CSP
from interdict.store import Workspace
from interdict.store.trail import Trail
from tests.cases.conftest import seed
from tests.runner import interdict
from tests.service.conftest import TestClient


@pytest.fixture
def ui(tmp_path: Path) -> Iterator[dict[str, Any]]:
    settings = load_service_settings({}, home=tmp_path / "ws", reload_seconds=0)
    alerts = seed(settings.home)
    store = KeyStore(settings.keys_file)
    keys = {n: store.create(Role.ANALYST, analyst=n) for n in ("ana", "bob")}
    keys["client"] = store.create(Role.CLIENT)
    keys["ghost"] = store.create(Role.ANALYST, analyst="ghost")  # not a registered analyst
    app = create_app(settings, holder=IndexHolder.of_entities([], []))
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield {"client": client, "alerts": alerts, "keys": keys, "settings": settings}


def sign_in(client: TestClient, key: str) -> Any:
    form = client.get("/ui/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    return client.post("/ui/login", data={"csrf": token[1], "api_key": key})


def csrf_of(client: TestClient, url: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(url).text)
    assert found is not None
    return found[1]


def shown_case(settings: ServiceSettings, case_id: str) -> dict[str, Any]:
    with Workspace(settings.home) as workspace:
        store = CaseStore(workspace, Trail(workspace, settings.audit_log))
        return store.show(case_id)


def test_pages_need_a_session_and_the_cookie_is_strict(ui: dict[str, Any]) -> None:
    client = ui["client"]
    assert client.get("/ui/alerts").headers["location"] == "/ui/login"
    login = client.get("/ui/login")
    assert login.headers["content-security-policy"] == CSP
    assert login.headers["x-content-type-options"] == "nosniff"
    assert 'for="api_key">API key<' in login.text
    signed = sign_in(client, ui["keys"]["ana"][0])
    assert signed.status_code == 303 and signed.headers["location"] == "/ui/alerts"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/ui" in cookie
    assert "Max-Age=1800" in cookie
    queue = client.get("/ui/alerts")
    assert queue.status_code == 200 and "Гулмурод Халимов" in queue.text
    assert queue.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("who", "status", "says"),
    [("client", 403, "not an analyst"), ("ghost", 403, "not a registered, active analyst")],
)
def test_only_a_registered_analyst_signs_in(
    ui: dict[str, Any], who: str, status: int, says: str
) -> None:
    answer = sign_in(ui["client"], ui["keys"][who][0])
    assert answer.status_code == status and says in answer.text
    assert "interdict_session" not in answer.headers.get("set-cookie", "")


def test_sign_in_form_needs_its_own_token(ui: dict[str, Any]) -> None:
    client = ui["client"]
    client.get("/ui/login")
    answer = client.post("/ui/login", data={"csrf": "forged", "api_key": ui["keys"]["ana"][0]})
    assert answer.status_code == 403 and "expired" in answer.text


def test_a_post_without_the_csrf_token_changes_nothing(ui: dict[str, Any]) -> None:
    client, alert = ui["client"], ui["alerts"]["screening"]
    sign_in(client, ui["keys"]["ana"][0])
    for token in ("", "wrong"):
        answer = client.post(
            f"/ui/alerts/{alert}/decide",
            data={"csrf": token, "verdict": "true_match", "reason": "x"},
        )
        assert answer.status_code == 403 and "security token" in answer.text
        assert answer.headers["content-type"].startswith("text/html")
    with Workspace(ui["settings"].home) as workspace:
        assert CaseStore(workspace, Trail(workspace, ui["settings"].audit_log)).all() == []


def test_a_revoked_key_ends_its_session(ui: dict[str, Any]) -> None:
    client = ui["client"]
    sign_in(client, ui["keys"]["ana"][0])
    assert client.get("/ui/alerts").status_code == 200
    KeyStore(ui["settings"].keys_file).revoke(ui["keys"]["ana"][1].id)
    assert client.get("/ui/alerts").headers["location"] == "/ui/login"


def test_a_decision_is_the_librarys_and_audited(ui: dict[str, Any]) -> None:
    client, alert, settings = ui["client"], ui["alerts"]["screening"], ui["settings"]
    sign_in(client, ui["keys"]["ana"][0])
    page = client.get(f"/ui/alerts/{alert}").text
    assert ">True match</button>" in page and ">False positive</button>" in page
    assert 'for="reason">Reason<' in page
    token = csrf_of(client, f"/ui/alerts/{alert}")
    done = client.post(
        f"/ui/alerts/{alert}/decide",
        data={"csrf": token, "verdict": "true_match", "reason": "dob agrees"},
    )
    case_id = done.headers["location"].rsplit("/", 1)[1]
    case = shown_case(settings, case_id)
    assert case["status"] == "proposed" and case["frozen"]
    assert [(p["verdict"], p["author"], p["reason"]) for p in case["proposals"]] == [
        ("true_match", "ana", "dob agrees")
    ]
    trail = [json.loads(line) for line in settings.audit_log.read_text().splitlines()]
    routes = [(e.get("route"), e.get("analyst"), e.get("outcome")) for e in trail]
    assert ("POST /ui/alerts/{alert_id}/decide", "ana", "done") in routes
    own = client.post(f"/ui/cases/{case_id}/approve", data={"csrf": token})
    assert "cannot approve it (four eyes)" in client.get(own.headers["location"]).text
    assert shown_case(settings, case_id)["status"] == "proposed"


def test_unsure_opens_the_case_with_the_doubt_as_a_comment(ui: dict[str, Any]) -> None:
    client, alert = ui["client"], ui["alerts"]["screening"]
    sign_in(client, ui["keys"]["ana"][0])
    token = csrf_of(client, "/ui/alerts")
    done = client.post(
        f"/ui/alerts/{alert}/decide",
        data={"csrf": token, "verdict": "unsure", "reason": "two dates"},
    )
    case = shown_case(ui["settings"], done.headers["location"].rsplit("/", 1)[1])
    assert case["status"] == "open" and case["proposals"] == []
    assert case["events"][-1]["detail"] == {"text": "Unsure: two dates"}


def test_a_monitoring_alert_offers_suspicious_not_true_match(ui: dict[str, Any]) -> None:
    client = ui["client"]
    sign_in(client, ui["keys"]["ana"][0])
    page = client.get(f"/ui/alerts/{ui['alerts']['monitoring']}").text
    assert ">Suspicious</button>" in page and ">True match</button>" not in page
    assert "/ui/network/ACC-1" in page


def test_bulk_assign_opens_cases_for_the_chosen_alerts(ui: dict[str, Any]) -> None:
    client, alerts = ui["client"], ui["alerts"]
    sign_in(client, ui["keys"]["ana"][0])
    token = csrf_of(client, "/ui/alerts")
    client.post(
        "/ui/alerts/assign", data={"csrf": token, "alert_id": list(alerts.values()), "to": "bob"}
    )
    queue = client.get("/ui/alerts?assignee=bob").text
    assert all(a in queue for a in alerts.values())
    assert client.get("/ui/alerts?assignee=(none)").text.count('data-alert="') == 0


@pytest.mark.parametrize(
    "url", ["/ui/login", "/ui/alerts", "/ui/cases", "/ui/lists", "/ui/network/ACC-1"]
)
def test_no_inline_script_style_or_handler(ui: dict[str, Any], url: str) -> None:
    client = ui["client"]
    sign_in(client, ui["keys"]["ana"][0])
    html = client.get(url).text
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert re.search(r"\sstyle=|\son[a-z]+=|<style", html) is None
    assert re.search(r"(src|href)=\"(https?:)?//", html) is None


def test_entity_and_lists_pages(ui: dict[str, Any]) -> None:
    un = Path(__file__).resolve().parents[2] / "fixtures" / "lists" / "un" / "un_sample.xml"
    done = interdict(ui["settings"].home, "lists", "import", str(un), "--format", "un",
                     "--name", "un")  # fmt: skip
    assert done.returncode == 0, done.stderr
    client = ui["client"]
    sign_in(client, ui["keys"]["ana"][0])
    entity = client.get("/ui/entities/un:QDi.902").text
    assert "RUSLAN MAGOMEDOVICH TESTOV" in entity and "Амир Тестов" in entity
    assert "Cyrillic" in entity and "<td>1</td><td>added</td>" in entity
    lists = client.get("/ui/lists?list=un").text
    assert "version (none) → 1" in lists and "QDi.902" in lists
    missing = client.get("/ui/entities/un:QDi.000")
    assert missing.status_code == 404 and "no entity" in missing.text
