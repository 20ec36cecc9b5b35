"""What the pages show: aligned name parts, explanation groups, scripts, queue, network."""

from __future__ import annotations

from datetime import UTC, datetime

from interdict.service.ui.views import (
    QueueFilter,
    aligned_parts,
    explanation_groups,
    highlight,
    network_of,
    queue,
    script_of,
)
from tests.cases.conftest import ROWS

EXPLANATION = [
    "name score 0.98 (primary name), final 1.00",
    "hamdan ~ hamdan: same spelling (1.00)",
    "abdelrahim ~ abdul rahim: variants of the name abd_al_rahim (0.95)",
    "year of birth 1972 agrees with listed 1972-01-01 (+0.03)",
    "gender male disagrees with listed female",
]


def test_aligned_parts_are_highlighted_in_both_names() -> None:
    pairs = aligned_parts(EXPLANATION)
    assert pairs == [("hamdan", "hamdan"), ("abdelrahim", "abdul rahim")]
    assert highlight("Abdelrahim Hamdan Dagalo", [a for a, _ in pairs]) == [
        ("Abdelrahim Hamdan", True),
        (" Dagalo", False),
    ]
    listed = highlight("ABDUL RAHIM HAMDAN DAGALO", [b for _, b in pairs])
    assert listed == [("ABDUL RAHIM HAMDAN", True), (" DAGALO", False)]


def test_every_explanation_line_lands_in_one_group() -> None:
    groups = explanation_groups(EXPLANATION)
    assert groups["agreed"] == [EXPLANATION[3]]
    assert groups["disagreed"] == [EXPLANATION[4]]
    assert sum(len(v) for v in groups.values()) == len(EXPLANATION)


def test_scripts_of_names() -> None:
    assert script_of("Гулмурод") == "Cyrillic"
    assert script_of("أبو حفص") == "Arabic"
    assert script_of("Amir Тестов") == "mixed"
    assert script_of("12-3") == "none"


def _alert(alert_id: str, score: float, created: str, case: str | None = None) -> dict[str, object]:
    return {"alert_id": alert_id, "source": "screening", "status": "open", "score": score,
            "created_at": created, "case_id": case, "customer_name": alert_id,
            "customer_id": alert_id}  # fmt: skip


def test_queue_due_times_bands_assignees_and_sort() -> None:
    alerts = [
        _alert("A", 0.99, "2026-01-01T00:00:00Z"),
        _alert("B", 0.90, "2026-01-02T00:00:00Z", case="CASE-000001"),
        _alert("C", 0.70, "2026-01-03T00:00:00Z"),
    ]
    cases = {"CASE-000001": {"assignee": "bob", "status": "open", "due_at": "2025-12-31T00:00:00Z"}}
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    rows, counts = queue(alerts, cases, {"sanctions": 24}, QueueFilter(), now)
    assert [r["alert_id"] for r in rows] == ["B", "A", "C"]  # due first: B's case is overdue
    assert rows[0]["overdue"] and not rows[1]["overdue"]
    assert counts["band"] == {"high": 1, "medium": 1, "low": 1}
    by_score, _ = queue(alerts, cases, {}, QueueFilter(sort="score"), now)
    assert [r["alert_id"] for r in by_score] == ["A", "B", "C"]
    bobs, _ = queue(alerts, cases, {}, QueueFilter(assignee="bob"), now)
    nobody, _ = queue(alerts, cases, {}, QueueFilter(assignee="(none)", band="high"), now)
    assert [r["alert_id"] for r in bobs] == ["B"] and [r["alert_id"] for r in nobody] == ["A"]


def test_network_of_an_account_within_a_period() -> None:
    alert = {"alert_id": "M-1", "source": "monitoring", "customer_id": "ACC-1",
             "data": {"transactions": ROWS}}  # fmt: skip
    net = network_of("ACC-1", [alert])
    assert [(e.source, e.target, e.payments, e.amount) for e in net.edges] == [
        ("ACC-1", "ACC-9", 2, 19200.0)
    ]
    assert set(net.positions) == {"ACC-1", "ACC-9"} and net.flagged == {"ACC-1"}
    later = network_of("ACC-1", [alert], start="2026-05-02")
    assert [t["txn_id"] for t in later.transactions] == ["T2"]
    assert network_of("ACC-7", [alert]).edges == []
