"""Delta rescreening: the real UN update, remembered decisions, releases, reruns."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from interdict.lifecycle.customers import import_customers
from interdict.lifecycle.rescreen import rescreen
from interdict.model import Entity, Name, NameKind, PartialDate, Party
from interdict.readers import read_list
from interdict.readers.base import ListFile
from interdict.screening import Screener
from interdict.store import AlertStore, DecisionStore, Verdict, Workspace
from interdict.store.analysts import AnalystRole, AnalystStore
from tests.conftest import person

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lifecycle"


def _register(ws: Workspace, name: str) -> None:
    if AnalystStore(ws).find(name) is None:
        AnalystStore(ws).add(name, AnalystRole.ANALYST)


def _customers(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "birth_date"])
        writer.writerows(rows)
    return path


def _import(ws: Workspace, tmp_path: Path, entities: list[Entity], name: str = "t") -> int:
    source = tmp_path / f"{name}-{len(ws.versions(name))}.bin"
    source.write_text(str(len(ws.versions(name))))
    return ws.import_list(ListFile(entities, "csv"), name=name, source=source).version


def test_un_update_raises_exactly_the_new_designee(tmp_path: Path, shared_data: Path) -> None:
    folder = shared_data / "lists" / "un"
    old, new = folder / "un_consolidated_2026-01-28.xml", folder / "un_consolidated_2026-02-27.xml"
    with Workspace(tmp_path / "ws") as ws:
        ws.import_list(read_list(old, "un"), name="un", source=old)
        import_customers(ws, FIXTURES / "customers.csv", workers=1)
        first = rescreen(ws, workers=1)
        assert first.alerts == [] and first.customers_changed == 40
        ws.import_list(read_list(new, "un"), name="un", source=new)
        report = rescreen(ws, workers=1)
        (alert,) = report.alerts
        assert (alert.customer_id, alert.list_name, alert.source_id) == ("C022", "un", "SDi.008")
        assert alert.cause.to_dict() == {
            "type": "list_update",
            "summary": "list un version 1 → 2: SDi.008 added",
            "list": "un",
            "from_version": 1,
            "to_version": 2,
            "change": "added",
        }
        assert any("dagalo ~ dagalo" in line for line in alert.explanation)
        # The score is the one `interdict screen` gives the same customer against the new list.
        screener = Screener(ws.entities())
        party = Party(
            id="C022", name="Abdelrahim Hamdan Dagalo", birth_date=PartialDate.parse("1972")
        )
        best = screener.screen(party).matches[0]
        assert (best.source_id, round(best.score, 6)) == ("SDi.008", round(alert.score, 6))
        assert rescreen(ws, workers=1).alerts == []


def _setup(ws: Workspace, tmp_path: Path) -> Entity:
    listed = person("T1", "Ali Hassan Karimov", born="1975", country="TJ")
    _import(ws, tmp_path, [listed, person("T2", "Jamshid Rahmonzoda")])
    rows = [("K1", "Ali Hasan Karimov", "1975"), ("K2", "Farhod Yusupov", "1980")]
    import_customers(ws, _customers(tmp_path / "c1.csv", rows), workers=1)
    return listed


def test_cleared_pair_stays_cleared_until_a_change_that_matters(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        listed = _setup(ws, tmp_path)
        (alert,) = rescreen(ws, workers=1).alerts
        assert alert.cause.type == "customer_update" and alert.cause.change == "new"
        _register(ws, "aida")
        _register(ws, "bek")
        DecisionStore(ws, high_score=1.01).record(  # high-score four eyes: tests/cases
            alert.alert_id, verdict=Verdict.FALSE_POSITIVE, reason="other DOB", analyst="aida"
        )
        # A new remark on the listing does not matter: nothing is raised.
        listed = listed.model_copy(update={"remarks": "moved"})
        _import(ws, tmp_path, [listed])
        assert rescreen(ws, workers=1).alerts == []
        # A new alias matters: the pair is raised again, saying what was decided before.
        alias = Name(full="Ali Karimov", kind=NameKind.ALIAS)
        _import(ws, tmp_path, [listed.model_copy(update={"names": (*listed.names, alias)})])
        (again,) = rescreen(ws, workers=1).alerts
        assert again.alert_id != alert.alert_id
        assert again.cause.change == "changed" and again.cause.fields == ("names",)
        assert "earlier decided false_positive by aida" in again.explanation[-1]


def test_decided_pair_comes_back_when_the_customer_changes(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _setup(ws, tmp_path)
        (alert,) = rescreen(ws, workers=1).alerts
        _register(ws, "aida")
        _register(ws, "bek")
        DecisionStore(ws, high_score=1.01).record(  # high-score four eyes: tests/cases
            alert.alert_id, verdict=Verdict.FALSE_POSITIVE, reason="checked", analyst="aida"
        )
        same = [("K1", "Ali Hasan Karimov", "1975"), ("K2", "Farhod Yusupov", "1980")]
        assert import_customers(ws, _customers(tmp_path / "c2.csv", same)).version is None
        changed = [("K1", "Ali Hasan Karimov", "1975-03-02"), ("K2", "Farhod Yusupov", "1980")]
        import_customers(ws, _customers(tmp_path / "c3.csv", changed), workers=1)
        (again,) = rescreen(ws, workers=1).alerts
        assert again.cause.change == "changed" and again.cause.fields == ("birth_date",)
        assert "because the customer data changed" in again.explanation[-1]


def test_true_match_freezes_and_removal_releases(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _setup(ws, tmp_path)
        (alert,) = rescreen(ws, workers=1).alerts
        _register(ws, "aida")
        _register(ws, "bek")
        decisions = DecisionStore(ws, high_score=1.01)  # four eyes on high scores: tests/cases
        decision, freeze = decisions.record(
            alert.alert_id, verdict=Verdict.TRUE_MATCH, reason="passport seen", analyst="bek"
        )
        assert freeze is not None and freeze.customer_id == "K1"
        assert [f.freeze_id for f in decisions.freezes(active_only=True)] == [freeze.freeze_id]
        _import(ws, tmp_path, [person("T2", "Jamshid Rahmonzoda")])  # T1 delisted
        report = rescreen(ws, workers=1)
        (release,) = report.releases
        assert release.kind == "release" and release.source_id == "T1"
        assert release.cause.change == "removed"
        assert decisions.freezes(active_only=True) == []
        assert AlertStore(ws).get(alert.alert_id).status == "released"
        assert rescreen(ws, workers=1).releases == []
        assert decision.analyst == "bek"


def test_failed_rescreen_stores_nothing_and_rerun_raises_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _setup(ws, tmp_path)

        def crash(*args: object) -> None:
            raise KeyboardInterrupt

        with monkeypatch.context() as patch:
            patch.setattr(AlertStore, "_release", staticmethod(crash))
            with pytest.raises(KeyboardInterrupt):
                rescreen(ws, workers=1)
        assert AlertStore(ws).all() == [] and AlertStore(ws).screened_versions() == {}
        assert len(rescreen(ws, workers=1).alerts) == 1
        assert len(AlertStore(ws).all()) == 1


def test_no_customers_is_a_clear_error(tmp_path: Path) -> None:
    from interdict.errors import ConflictError

    with Workspace(tmp_path / "ws") as ws, pytest.raises(ConflictError, match="no customers"):
        rescreen(ws)
