"""Four eyes in the store: author ≠ approver, roles, stale approvals, freezes, one winner."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from interdict.cases import CaseStore, ProposalVerdict, approve, propose
from interdict.cases.foureyes import reject
from interdict.errors import ConflictError
from interdict.store.alert_sources import AlertFilter, list_alerts
from interdict.store.trail import verify_trail


def test_author_cannot_approve_and_auditor_cannot_decide(
    store: CaseStore, alerts: dict[str, str]
) -> None:
    case_id = store.open([alerts["screening"]], analyst="ana")
    propose(store, case_id, ProposalVerdict.SUSPICIOUS, "odd pattern", analyst="ana")
    with pytest.raises(ConflictError, match="four eyes"):
        approve(store, case_id, analyst="ana")
    with pytest.raises(ConflictError, match="cannot decide"):
        approve(store, case_id, analyst="aud")
    done = approve(store, case_id, analyst="bob")
    assert (done["author"], done["approver"]) == ("ana", "bob")
    assert store.get(case_id)["status"] == "approved"


def test_true_match_freezes_at_once_and_only_an_approved_false_positive_releases(
    store: CaseStore, alerts: dict[str, str]
) -> None:
    case_id = store.open([alerts["screening"]], analyst="ana")
    propose(store, case_id, ProposalVerdict.TRUE_MATCH, "passport matches", analyst="ana")
    assert len(store.freezes(case_id)) == 1  # before any approval
    reject(store, case_id, "check the DOB again", analyst="bob")
    assert len(store.freezes(case_id)) == 1  # a rejected proposal does not release
    with pytest.raises(ConflictError, match="active freeze"):
        store.close(case_id, "done", analyst="ana")
    propose(store, case_id, ProposalVerdict.FALSE_POSITIVE, "other DOB", analyst="ana")
    assert len(store.freezes(case_id)) == 1
    approve(store, case_id, analyst="bob")
    assert store.freezes(case_id) == []
    (alert,) = list_alerts(store.workspace, AlertFilter(case_id=case_id))
    assert alert["status"] == "false_positive" and store.get(case_id)["status"] == "closed"


def test_stale_approval_is_refused(store: CaseStore, alerts: dict[str, str]) -> None:
    case_id = store.open([alerts["monitoring"]], analyst="ana")
    proposal = propose(store, case_id, ProposalVerdict.SUSPICIOUS, "structuring", analyst="ana")
    with pytest.raises(ConflictError, match="stale"):
        approve(store, case_id, analyst="bob", state_hash="0" * 64)
    store.comment(case_id, "new information arrived", analyst="aud")
    with pytest.raises(ConflictError, match="stale"):
        approve(store, case_id, analyst="bob", state_hash=proposal["state_hash"])
    assert store.get(case_id)["status"] == "proposed"


def test_verdicts_fit_the_kind_of_case(store: CaseStore, alerts: dict[str, str]) -> None:
    case_id = store.open([alerts["monitoring"]], analyst="ana")
    with pytest.raises(Exception, match="cannot be proposed as true_match"):
        propose(store, case_id, ProposalVerdict.TRUE_MATCH, "x", analyst="ana")
    with pytest.raises(ConflictError, match="already in case"):
        store.open([alerts["monitoring"]], analyst="bob")


def test_concurrent_approvals_exactly_one_wins(tmp_path: Path, alerts: dict[str, str]) -> None:
    from interdict.store import Workspace
    from interdict.store.analysts import AnalystRole, AnalystStore
    from interdict.store.trail import Trail

    path = tmp_path / "ws" / "service" / "audit.jsonl"
    with Workspace(tmp_path / "ws") as workspace:
        AnalystStore(workspace).add("cem", AnalystRole.SUPERVISOR)
        store = CaseStore(workspace, Trail(workspace, path))
        case_id = store.open([alerts["screening"]], analyst="ana")
        propose(store, case_id, ProposalVerdict.SUSPICIOUS, "pattern", analyst="ana")
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def attempt(name: str) -> None:
            barrier.wait()
            try:
                approve(store, case_id, analyst=name)
                outcomes.append("won")
            except ConflictError as exc:
                outcomes.append(exc.what)

        threads = [threading.Thread(target=attempt, args=(n,)) for n in ("bob", "cem")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert outcomes.count("won") == 1, outcomes
        approvals = [e for e in store.show(case_id)["events"] if e["action"] == "approve"]
        assert len(approvals) == 1
        assert verify_trail(workspace, path).ok
