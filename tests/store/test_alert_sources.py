"""list_alerts narrows by customer and by listed entity (the alert page's other alerts)."""

from __future__ import annotations

from pathlib import Path

from interdict.store import Workspace
from interdict.store.alert_sources import AlertFilter, list_alerts
from tests.cases.conftest import seed


def test_alerts_of_one_customer_or_one_entity(tmp_path: Path) -> None:
    ids = seed(tmp_path / "ws")
    with Workspace(tmp_path / "ws") as workspace:
        mine = list_alerts(workspace, AlertFilter(customer_id="C1"))
        listed = list_alerts(workspace, AlertFilter(entity_id="un:QDi.372"))
        account = list_alerts(workspace, AlertFilter(customer_id="ACC-1"))
        nobody = list_alerts(workspace, AlertFilter(customer_id="C9"))
    assert [a["alert_id"] for a in mine] == [ids["screening"]] == [a["alert_id"] for a in listed]
    assert [a["alert_id"] for a in account] == [ids["monitoring"]]
    assert nobody == []
