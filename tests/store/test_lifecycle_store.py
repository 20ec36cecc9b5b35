"""Store pieces of the lifecycle: rollback, content digests, customer versions, alerts, audit."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from interdict.errors import BadInputError, ConflictError
from interdict.model import Entity, PartialDate, Party
from interdict.readers.base import ListFile
from interdict.store import AlertStore, CustomerStore, DecisionStore, Verdict, Workspace
from interdict.store.alerts import Alert, Cause, RunRecord, alert_id_for
from interdict.store.analysts import AnalystRole, AnalystStore
from interdict.store.audit import audit_events, utc_now
from interdict.store.customers import CustomerChanges, customer_fingerprint


def _register(ws: Workspace, name: str) -> None:
    if AnalystStore(ws).find(name) is None:
        AnalystStore(ws).add(name, AnalystRole.ANALYST)


def _source(tmp_path: Path, text: str) -> Path:
    path = tmp_path / f"{text}.bin"
    path.write_text(text)
    return path


def test_rollback_withdraws_and_restores(tmp_path: Path, small_list: list[Entity]) -> None:
    with Workspace(tmp_path / "ws") as ws:
        ws.import_list(ListFile(small_list, "csv"), name="t", source=_source(tmp_path, "a"))
        ws.import_list(ListFile(small_list[:4], "csv"), name="t", source=_source(tmp_path, "b"))
        restored = ws.rollback("t")
        assert (restored.version, restored.active, restored.entity_count) == (1, True, 13)
        withdrawn = ws.version("t", 2)
        assert withdrawn.withdrawn and not withdrawn.active
        assert withdrawn.content_sha256 != restored.content_sha256
        with pytest.raises(ConflictError, match="no earlier version"):
            ws.rollback("t")
        assert [e.action for e in audit_events(ws.db)] == [
            "list.import",
            "list.import",
            "list.rollback",
        ]


def test_same_entities_give_the_same_content_digest(
    tmp_path: Path, small_list: list[Entity]
) -> None:
    with Workspace(tmp_path / "ws") as ws:
        one = ws.import_list(ListFile(small_list, "csv"), name="a", source=_source(tmp_path, "a"))
        two = ws.import_list(
            ListFile(list(reversed(small_list)), "csv"), name="b", source=_source(tmp_path, "b")
        )
        assert one.file_sha256 != two.file_sha256
        assert one.content_sha256 == two.content_sha256


def test_a_workspace_from_before_the_lifecycle_opens_read_only(
    tmp_path: Path, small_list: list[Entity]
) -> None:
    home = tmp_path / "ws"
    home.mkdir()
    db = duckdb.connect(str(home / "interdict.duckdb"))
    db.execute(
        "CREATE TABLE list_versions (list_name VARCHAR, version INTEGER, source_format VARCHAR,"
        " source_path VARCHAR, file_sha256 VARCHAR, published VARCHAR, imported_at TIMESTAMP,"
        " entity_count INTEGER, active BOOLEAN)"
    )
    db.execute("INSERT INTO list_versions VALUES ('t', 1, 'csv', 'x', 'ab', NULL, now(), 3, true)")
    db.close()
    with Workspace(home, read_only=True) as ws:
        (version,) = ws.versions()
        assert version.content_sha256 is None and not version.withdrawn
        assert CustomerStore(ws).versions() == [] and AlertStore(ws).screened_versions() == {}


def _changes(*parties: Party) -> CustomerChanges:
    changes = CustomerChanges()
    for party in parties:
        changes.add(party, customer_fingerprint(party))
    changes.keys = [["s:k"] for _ in parties]
    return changes


def test_customer_versions_keep_history(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        store = CustomerStore(ws)
        first = Party(id="K1", name="Ali Hassan", birth_date=PartialDate.parse("1975"))
        store.write_version(
            _changes(first), source=tmp_path / "a", digest="a", partial=False, matcher="m"
        )
        row, _ = store.current_fingerprints()["K1"]
        moved = Party(id="K1", name="Ali Hassan", birth_date=PartialDate.parse("1976"))
        changes = _changes(moved)
        changes.replaced_rows = [row]
        store.write_version(changes, source=tmp_path / "b", digest="b", partial=False, matcher="m")
        (current,) = store.current()
        assert current.valid_from == 2 and current.party().birth_date is not None
        previous = store.previous_record("K1", 2)
        assert previous is not None and previous.fingerprint == customer_fingerprint(first)
        assert customer_fingerprint(first) != customer_fingerprint(moved)
        hits = store.hit_by_keys(["s:k"], screened_version=2)
        assert [(r.customer_id, keys) for r, keys in hits] == [("K1", ["s:k"])]
        assert store.hit_by_keys(["s:k"], screened_version=1) == []


def _alert(customer: str = "K1") -> Alert:
    return Alert(
        alert_id=alert_id_for(customer, "t:T1", "cfp", "efp"),
        kind="alert",
        customer_id=customer,
        customer_name="Ali Hasan",
        customer_fp="cfp",
        list_name="t",
        list_version=1,
        source_id="T1",
        entity_id="t:T1",
        entity_fp="efp",
        score=0.9,
        matched_name="Ali Hassan",
        explanation=("name score 0.90",),
        cause=Cause("customer_update", "customer K1 new", change="new", customer_version=1),
        matcher="name_v1",
    )


def test_the_same_finding_is_stored_once_and_decisions_are_audited(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        alerts = AlertStore(ws)
        for run in ("r1", "r2"):
            alerts.commit_run(RunRecord(run, utc_now(), [_alert()], [], {"customers": 1}))
        (stored,) = alerts.all()
        assert stored.cause.summary == "customer K1 new" and stored.status == "open"
        _register(ws, "a")
        decisions = DecisionStore(ws, high_score=1.01)  # four eyes on high scores: tests/cases
        with pytest.raises(BadInputError, match="reason"):
            decisions.record(
                stored.alert_id, verdict=Verdict.FALSE_POSITIVE, reason=" ", analyst="a"
            )
        decision, freeze = decisions.record(
            stored.alert_id, verdict=Verdict.FALSE_POSITIVE, reason="different person", analyst="a"
        )
        assert freeze is None and alerts.get(stored.alert_id).status == "false_positive"
        (event,) = audit_events(ws.db, "decision.record")
        assert (event.actor, event.detail["reason"]) == ("a", "different person")
        assert decisions.decisions() == [decision]
