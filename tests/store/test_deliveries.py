"""Deliveries: alerts are marked delivered with the staged file recorded, in one transaction; a
crash after the rename is settled as done (nothing delivered twice), one before it as undone
(the alerts go out again, nothing lost)."""

from __future__ import annotations

from pathlib import Path

from interdict.lifecycle.customers import import_customers
from interdict.lifecycle.rescreen import rescreen
from interdict.readers.base import ListFile
from interdict.store import AlertStore, Workspace
from interdict.store.deliveries import Deliveries
from tests.conftest import person


def _alerted(tmp_path: Path) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    source = tmp_path / "list.csv"
    source.write_text("list")
    listed = [person("T1", "Ali Hassan Karimov", born="1975"), person("T2", "Jamshid Rahmonzoda")]
    ws.import_list(ListFile(listed, "csv"), name="t", source=source)
    customers = tmp_path / "c.csv"
    customers.write_text("id,name,birth_date\nK1,Ali Hasan Karimov,1975\nK2,Farhod Yusupov,1980\n")
    import_customers(ws, customers, workers=1)
    assert len(rescreen(ws, workers=1).alerts) == 1
    return ws


def _staged(tmp_path: Path) -> Path:
    staging = tmp_path / ".alerts.jsonl.staging-x"
    staging.write_text("{}\n")
    return staging


def test_a_delivery_whose_file_got_into_place_is_settled_as_done(tmp_path: Path) -> None:
    with _alerted(tmp_path) as ws:
        store, deliveries = AlertStore(ws), Deliveries(ws)
        ids = [a.alert_id for a in store.all(undelivered_only=True)]
        staging = _staged(tmp_path)
        deliveries.begin(ids, str(tmp_path / "alerts.jsonl"), str(staging))
        assert store.all(undelivered_only=True) == []
        staging.rename(tmp_path / "alerts.jsonl")  # then the process dies
        assert deliveries.recover() == 0
        assert store.all(undelivered_only=True) == []
        assert (tmp_path / "alerts.jsonl").exists()


def test_a_delivery_cut_off_before_the_rename_is_undone(tmp_path: Path) -> None:
    with _alerted(tmp_path) as ws:
        store, deliveries = AlertStore(ws), Deliveries(ws)
        ids = [a.alert_id for a in store.all(undelivered_only=True)]
        staging = _staged(tmp_path)
        deliveries.begin(ids, str(tmp_path / "alerts.jsonl"), str(staging))  # then it dies
        assert deliveries.recover() == 1
        assert [a.alert_id for a in store.all(undelivered_only=True)] == ids
        assert not staging.exists()
        assert deliveries.recover() == 0  # settled once
