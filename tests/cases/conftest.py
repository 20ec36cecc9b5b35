"""A workspace with analysts and a few screening and monitoring alerts (no shared data)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interdict.cases import CaseStore
from interdict.store import Workspace
from interdict.store.alert_sources import keep_alerts, screening_alert, typology_alert
from interdict.store.analysts import AnalystRole, AnalystStore
from interdict.store.trail import Trail

PARTY = {"id": "C1", "name": "Гулмурод Халимов", "birth_date": "1975", "countries": []}
MATCH = {
    "list": "un",
    "list_version": 1,
    "source_id": "QDi.372",
    "entity_id": "un:QDi.372",
    "score": 0.97,
    "matched_name": "GULMUROD KHALIMOV",
    "explanation": ["гулмурод ~ gulmurod: same spelling (1.00)"],
}
TYPOLOGY = {
    "rule": "structuring",
    "title": "Structuring",
    "account": "ACC-1",
    "accounts": ["ACC-1"],
    "transactions": ["T1", "T2"],
    "explanation": "account ACC-1 deposited 2 amounts just below the threshold",
}
ROWS = [
    {"txn_id": "T1", "timestamp": "2026-05-01T10:00:00", "from_account": "ACC-1",
     "to_account": "ACC-9", "amount": 9500.0, "currency": "USD", "to_bank": "CPTYGB2L"},
    {"txn_id": "T2", "timestamp": "2026-05-02T10:00:00", "from_account": "ACC-1",
     "to_account": "ACC-9", "amount": 9700.0, "currency": "USD", "to_bank": "CPTYGB2L"},
]  # fmt: skip


def seed(home: Path) -> dict[str, str]:
    """Analysts ana (analyst), bob (supervisor), aud (auditor) and two alerts; their ids."""
    with Workspace(home) as workspace:
        analysts = AnalystStore(workspace)
        analysts.add("ana", AnalystRole.ANALYST)
        analysts.add("bob", AnalystRole.SUPERVISOR)
        analysts.add("aud", AnalystRole.AUDITOR)
        hit = screening_alert(PARTY, MATCH, matcher="name_v1", where="customers.csv")
        typology = typology_alert(TYPOLOGY, ROWS)
        keep_alerts(workspace, [hit, typology], job="test")
    return {"screening": hit.alert_id, "monitoring": typology.alert_id}


@pytest.fixture
def alerts(tmp_path: Path) -> dict[str, str]:
    return seed(tmp_path / "ws")


@pytest.fixture
def store(tmp_path: Path, alerts: dict[str, str]) -> Iterator[CaseStore]:
    with Workspace(tmp_path / "ws") as workspace:
        yield CaseStore(workspace, Trail(workspace, tmp_path / "ws" / "service" / "audit.jsonl"))
