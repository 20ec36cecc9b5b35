"""The workbench in a real browser (headless Chromium) against a real ``interdict serve``.

Sign in, triage an alert, propose, be refused approval as the proposer, approve as a second
analyst, export a goAML report, open the network view — and check that the decision is the
one ``interdict cases show --json`` and ``interdict audit verify`` see. Every request stays
on the server's own origin and the strict Content-Security-Policy is never violated.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.service.ui.conftest import GOAML, Workbench

SHOTS = os.environ.get("INTERDICT_SCREENSHOTS", "")
"""A folder to save screenshots of the main pages in (the README's), when set."""


class Analyst:
    """One analyst's browser (own cookies), watching for foreign requests and CSP reports."""

    def __init__(self, browser: Any, workbench: Workbench, name: str) -> None:
        self.workbench = workbench
        self.context = browser.new_context(viewport={"width": 1366, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on(
            "console", lambda m: self.problems.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.name = name

    def sign_in(self) -> None:
        page = self.page
        page.goto(self.workbench.url + "/ui/login")
        page.get_by_label("API key").fill(self.workbench.keys[self.name])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/ui/alerts"))

    def shot(self, name: str) -> None:
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))

    def close(self) -> None:
        foreign = [u for u in self.requests if not u.startswith(self.workbench.url)]
        self.context.close()
        assert not foreign, f"requests to another origin: {foreign}"
        refused = "Failed to load resource: the server responded with a status of 401"
        problems = [p for p in self.problems if not p.startswith(refused)]  # a wrong key, shown
        assert not problems, f"browser errors (CSP?): {problems}"


@pytest.fixture
def ana(browser: Any, workbench: Workbench) -> Iterator[Analyst]:
    analyst = Analyst(browser, workbench, "ana")
    yield analyst
    analyst.close()


@pytest.fixture
def bob(browser: Any, workbench: Workbench) -> Iterator[Analyst]:
    analyst = Analyst(browser, workbench, "bob")
    yield analyst
    analyst.close()


def case_json(workbench: Workbench, case_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(workbench.cli("cases", "show", case_id, "--json"))
    return data


def test_triage_four_eyes_report_and_network(
    workbench: Workbench, ana: Analyst, bob: Analyst
) -> None:
    page = ana.page
    page.goto(workbench.url + "/ui/login")
    ana.shot("login")
    ana.sign_in()
    ana.shot("alerts")
    row = page.get_by_role("row").filter(has_text="Abd al-Rahman Yusuf")
    row.get_by_role("link", name=re.compile("Abd al-Rahman Yusuf")).click()
    page.get_by_label("Reason").fill("name and year of birth agree with the UN listing")
    assert page.locator("mark").count() > 0  # the aligned name parts are highlighted
    ana.shot("alert")
    page.get_by_role("button", name="True match").click()
    page.wait_for_url(re.compile(r"/ui/cases/CASE-\d{6}$"))
    case_id = page.url.rsplit("/", 1)[1]
    assert "Awaits approval" in page.content()
    assert "you cannot approve it" in page.content()

    page.get_by_role("button", name="Approve").click()
    refusal = page.locator(".flash.error")
    assert "cannot approve it (four eyes)" in refusal.inner_text()
    proposed = case_json(workbench, case_id)
    assert proposed["status"] == "proposed"
    assert [(p["verdict"], p["author"], p["status"]) for p in proposed["proposals"]] == [
        ("true_match", "ana", "pending")
    ]
    assert proposed["frozen"]  # a true match freezes at once, before the approval

    bob.sign_in()
    bob.page.goto(f"{workbench.url}/ui/cases/{case_id}")
    bob.shot("case")
    bob.page.get_by_role("button", name="Approve").click()
    assert "Approved true_match" in bob.page.locator(".flash.ok").inner_text()
    decided = case_json(workbench, case_id)
    assert (decided["status"], decided["verdict"]) == ("decided", "true_match")
    assert decided["proposals"][0]["approver"] == "bob"
    assert [e["action"] for e in decided["events"]][-2:] == ["freeze", "approve"]
    verified = workbench.cli("audit", "verify")
    assert "intact" in verified

    if GOAML.is_dir():
        bob.page.get_by_label("FIU schema").select_option("uae-5.0.2/goAMLSchema.original.xsd")
        bob.page.get_by_role("button", name="Export goAML").click()
        assert "valid against" in bob.page.locator(".flash.ok").inner_text()
        with bob.page.expect_download() as download:
            bob.page.get_by_role("link", name=re.compile("Download")).click()
        assert download.value.suggested_filename.startswith(f"{case_id}-STR-")
        assert case_json(workbench, case_id)["status"] == "reported"
        bob.shot("case-reported")

    page.goto(workbench.url + "/ui/alerts?source=monitoring")
    page.get_by_role("link", name="account ACC-1").first.click()
    page.get_by_role("link", name=re.compile("Network view")).click()
    flows = page.get_by_role("table", name="Flows (the same data as the picture)")
    assert "ACC-9" in flows.get_by_role("row").nth(1).inner_text()
    assert page.locator("svg circle").count() == 2
    ana.shot("network")


def test_keyboard_triage_proposes_a_false_positive(workbench: Workbench, ana: Analyst) -> None:
    ana.sign_in()
    page = ana.page
    page.goto(workbench.url + "/ui/alerts?source=screening&sort=name")
    names = page.locator("tr[data-alert] td:nth-child(2)").all_inner_texts()
    target = names.index("أبو حفص")  # a right-to-left name
    for _ in range(target + 1):
        page.keyboard.press("j")
    page.keyboard.press("f")
    page.wait_for_url(re.compile(r"/ui/alerts/S-[0-9a-f]+#f$"))
    reason = page.get_by_label("Reason")
    assert reason.evaluate("e => e === document.activeElement")
    reason.type("a common kunya alone; nothing else of the listing agrees")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ui/cases/CASE-\d{6}$"))
    case = case_json(workbench, page.url.rsplit("/", 1)[1])
    assert case["alerts"][0]["customer_name"] == "أبو حفص"
    assert [(p["verdict"], p["author"]) for p in case["proposals"]] == [("false_positive", "ana")]


def test_wrong_key_refused_and_sign_out_ends_the_session(
    workbench: Workbench, ana: Analyst
) -> None:
    page = ana.page
    page.goto(workbench.url + "/ui/login")
    page.get_by_label("API key").fill("idk_00000000_" + "x" * 43)
    page.get_by_role("button", name="Sign in").click()
    assert "not valid" in page.locator(".flash.error").inner_text()
    ana.sign_in()
    cookie = next(c for c in ana.context.cookies() if c["name"] == "interdict_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/ui/login$"))
    ana.context.add_cookies([{**cookie}])
    page.goto(workbench.url + "/ui/alerts")
    assert page.url.endswith("/ui/login")  # the old cookie no longer opens anything
