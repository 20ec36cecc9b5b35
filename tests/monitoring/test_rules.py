"""Every built-in typology rule on small hand-built graphs where the answer is known."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pytest

from interdict.monitoring.alerts import Alert
from interdict.monitoring.pipeline import run_typologies
from interdict.monitoring.typologies import builtin_rules

Table = Callable[..., pa.Table]


def alerts_of(table: pa.Table, rule_id: str) -> list[Alert]:
    rules = [r for r in builtin_rules() if r.id == rule_id]
    assert rules, f"no built-in rule {rule_id}"
    return run_typologies(table, rules)


def test_every_builtin_rule_is_tested_here() -> None:
    tested = {name[len("test_") :].split("__")[0] for name in globals() if name.startswith("test_")}
    assert {r.id for r in builtin_rules()} <= tested


# --- structuring ---------------------------------------------------------------------------


def test_structuring(make_table: Table) -> None:
    table = make_table(
        [
            ("A", "X", 9500, 0),
            ("A", "Y", 9800, 2),
            ("A", "Z", 9900, 5),
            ("A", "X", 300, 3),
        ]
    )
    [alert] = alerts_of(table, "structuring")
    assert alert.account == "A"
    assert alert.transactions == ["t1", "t2", "t3"]
    assert alert.amount == pytest.approx(29_200)
    assert "3 payments" in alert.explanation and "29,200.00 EUR" in alert.explanation


@pytest.mark.parametrize(
    "payments",
    [
        [("A", "X", 9500, 0), ("A", "Y", 9800, 2), ("A", "Z", 10_000, 5)],  # one at the threshold
        [("A", "X", 9500, 0), ("A", "Y", 9800, 8), ("A", "Z", 9900, 16)],  # spread over weeks
        [("A", "X", 9500, 0), ("B", "Y", 9800, 2), ("C", "Z", 9900, 5)],  # different senders
    ],
)
def test_structuring__not(make_table: Table, payments: list[tuple[str, str, float, float]]) -> None:
    assert alerts_of(make_table(payments), "structuring") == []


# --- fan-in / fan-out ----------------------------------------------------------------------


def test_fan_in_burst(make_table: Table) -> None:
    payments = [(f"S{i}", "H", 100 + i, i % 3) for i in range(10)] + [("H", "Q", 50, 1)]
    [alert] = alerts_of(make_table(payments), "fan_in_burst")
    assert alert.account == "H"
    assert len(alert.transactions) == 10 and "t11" not in alert.transactions
    assert "10 different senders" in alert.explanation


@pytest.mark.parametrize("senders, spacing", [(9, 0.3), (10, 1.0)])
def test_fan_in_burst__not(make_table: Table, senders: int, spacing: float) -> None:
    payments = [(f"S{i}", "H", 100, i * spacing) for i in range(senders)]
    assert alerts_of(make_table(payments), "fan_in_burst") == []


def test_fan_in_burst__repeat_sender_counts_once(make_table: Table) -> None:
    payments = [(f"S{i % 5}", "H", 100, i * 0.2) for i in range(12)]
    assert alerts_of(make_table(payments), "fan_in_burst") == []


def test_fan_out_burst(make_table: Table) -> None:
    payments = [("H", f"R{i}", 100, 1) for i in range(12)]
    [alert] = alerts_of(make_table(payments), "fan_out_burst")
    assert alert.account == "H" and len(alert.transactions) == 12


def test_fan_out_burst__not(make_table: Table) -> None:
    payments = [("H", f"R{i}", 100, 1) for i in range(9)]
    assert alerts_of(make_table(payments), "fan_out_burst") == []


# --- rapid pass-through --------------------------------------------------------------------


def test_rapid_pass_through(make_table: Table) -> None:
    table = make_table([("A", "H", 5000, 1), ("H", "B", 4800, 2), ("C", "D", 10, 2)])
    [alert] = alerts_of(table, "rapid_pass_through")
    assert alert.account == "H"
    assert alert.transactions == ["t1", "t2"]
    assert "96%" in alert.explanation


@pytest.mark.parametrize(
    "out_amount, out_day",
    [(2000, 2), (4800, 5), (7000, 1)],  # too little out, too late, more than came in
)
def test_rapid_pass_through__not(make_table: Table, out_amount: float, out_day: float) -> None:
    table = make_table([("A", "H", 5000, 1), ("H", "B", out_amount, out_day)])
    assert alerts_of(table, "rapid_pass_through") == []


# --- cycles --------------------------------------------------------------------------------


def test_round_tripping(make_table: Table) -> None:
    table = make_table(
        [
            ("A", "B", 1000, 1),
            ("B", "C", 950, 2),
            ("C", "A", 900, 3),
            ("C", "E", 10, 3),
        ]
    )
    [alert] = alerts_of(table, "round_tripping")
    assert alert.account == "A"
    assert alert.transactions == ["t1", "t2", "t3"]
    assert "A → B → C → A" in alert.explanation


def test_round_tripping__four_hops_found_once(make_table: Table) -> None:
    table = make_table(
        [
            ("A", "B", 1000, 1),
            ("B", "C", 990, 2),
            ("C", "D", 980, 3),
            ("D", "A", 970, 4),
        ]
    )
    [alert] = alerts_of(table, "round_tripping")
    assert sorted(alert.transactions) == ["t1", "t2", "t3", "t4"]


@pytest.mark.parametrize(
    "payments",
    [
        [("A", "B", 1000, 1), ("B", "A", 950, 2)],  # two hops: below the rule's minimum length
        [("A", "B", 1000, 1), ("B", "C", 950, 2), ("C", "A", 300, 3)],  # most of the money lost
        [("A", "B", 1000, 1), ("B", "C", 950, 20), ("C", "A", 900, 40)],  # longer than 30 days
        [("A", "B", 1000, 3), ("B", "C", 950, 2), ("C", "A", 900, 1)],  # not in time order
    ],
)
def test_round_tripping__not(
    make_table: Table, payments: list[tuple[str, str, float, float]]
) -> None:
    assert alerts_of(make_table(payments), "round_tripping") == []


# --- scatter-gather / gather-scatter --------------------------------------------------------


def test_scatter_gather(make_table: Table) -> None:
    payments = [("S", f"M{i}", 1000, 1) for i in range(3)]
    payments += [(f"M{i}", "D", 950, 2 + i) for i in range(3)]
    [alert] = alerts_of(make_table(payments), "scatter_gather")
    assert alert.account == "S"
    assert len(alert.transactions) == 6
    assert alert.measures["intermediaries"] == 3


@pytest.mark.parametrize("mules, delay", [(2, 1), (3, 15)])
def test_scatter_gather__not(make_table: Table, mules: int, delay: float) -> None:
    payments = [("S", f"M{i}", 1000, 1) for i in range(mules)]
    payments += [(f"M{i}", "D", 950, 1 + delay) for i in range(mules)]
    assert alerts_of(make_table(payments), "scatter_gather") == []


def test_gather_scatter(make_table: Table) -> None:
    payments = [(f"S{i}", "H", 500, 1 + i * 0.2) for i in range(5)]
    payments += [("H", f"R{i}", 480, 3 + i * 0.2) for i in range(5)]
    [alert] = alerts_of(make_table(payments), "gather_scatter")
    assert alert.account == "H"
    assert len(alert.transactions) == 10
    assert alert.measures["incoming_amount"] == pytest.approx(2500)


def test_gather_scatter__not(make_table: Table) -> None:
    payments = [(f"S{i}", "H", 500, 1) for i in range(5)]
    payments += [("H", f"R{i % 2}", 480, 3) for i in range(5)]
    assert alerts_of(make_table(payments), "gather_scatter") == []


# --- dormant reactivation -------------------------------------------------------------------


def test_dormant_reactivation(make_table: Table) -> None:
    table = make_table([("X", "A", 20_000, 0), ("A", "B", 7000, 200), ("A", "C", 5000, 210)])
    [alert] = alerts_of(table, "dormant_reactivation")
    assert alert.account == "A"
    assert alert.transactions == ["t2", "t3"]
    assert alert.measures["dormant_days"] == pytest.approx(200)
    assert "inactive for 200 days" in alert.explanation


@pytest.mark.parametrize("wake_day, amount", [(100, 12_000), (200, 5000)])
def test_dormant_reactivation__not(make_table: Table, wake_day: float, amount: float) -> None:
    table = make_table([("X", "A", 20_000, 0), ("A", "B", amount, wake_day)])
    assert alerts_of(table, "dormant_reactivation") == []


# --- corridors, conversion, NPO -------------------------------------------------------------


def test_high_risk_corridor(make_table: Table) -> None:
    table = make_table(
        [
            ("A", "B", 1500, 1, {"country_to": "IR"}),
            ("A", "C", 9000, 2, {"country_to": "DE"}),
        ]
    )
    [alert] = alerts_of(table, "high_risk_corridor")
    assert alert.transactions == ["t1"] and alert.amount == 1500


def test_high_risk_corridor__not(make_table: Table) -> None:
    table = make_table(
        [
            ("A", "B", 1500, 1, {"country_to": "DE"}),
            ("A", "C", 500, 2, {"country_to": "IR"}),  # too little
            ("A", "D", 5000, 2),  # country unknown
        ]
    )
    assert alerts_of(table, "high_risk_corridor") == []


def _collection(out_format: str) -> list[tuple[str, str, float, float, dict[str, str]]]:
    payments = [(f"W{i % 6}", "H", 300, i, {"payment_format": "wire"}) for i in range(10)]
    payments.append(("H", "EXCHANGE", 2000, 11, {"payment_format": out_format}))
    return payments


def test_collection_then_conversion(make_table: Table) -> None:
    [alert] = alerts_of(make_table(_collection("Bitcoin")), "collection_then_conversion")
    assert alert.account == "H"
    assert "t11" in alert.transactions
    assert alert.measures["outgoing_amount"] == 2000


def test_collection_then_conversion__not(make_table: Table) -> None:
    assert alerts_of(make_table(_collection("wire")), "collection_then_conversion") == []


def _donations(country: str) -> list[tuple[str, str, float, float, dict[str, str]]]:
    payments = [(f"D{i}", "NPO", 1000, i * 4, {"purpose": "CHAR"}) for i in range(5)]
    payments.append(("NPO", "Z", 2000, 22, {"country_to": country}))
    return payments


def test_npo_diversion(make_table: Table) -> None:
    [alert] = alerts_of(make_table(_donations("SY")), "npo_diversion")
    assert alert.account == "NPO"
    assert alert.transactions[-1] == "t6"


def test_npo_diversion__not(make_table: Table) -> None:
    assert alerts_of(make_table(_donations("FR")), "npo_diversion") == []


def test_alert_json_names_window_and_amounts(make_table: Table) -> None:
    table = make_table([("A", "H", 5000, 1), ("H", "B", 4800, 2)])
    [alert] = alerts_of(table, "rapid_pass_through")
    record = alert.to_json()
    assert record["rule"] == "rapid_pass_through"
    assert record["window"] == {"start": "2024-01-02T00:00:00Z", "end": "2024-01-03T00:00:00Z"}
    assert record["accounts"][0] == "H" and set(record["accounts"]) == {"A", "H", "B"}
    assert record["amount"] == 9800 and record["currency"] == "EUR"
