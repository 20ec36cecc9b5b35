"""Rule files: the built-in set loads, and malformed rules are refused with a clear reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdict.engines.duckdb import DuckDBDialect
from interdict.errors import BadInputError
from interdict.monitoring.compiler import compile_rule
from interdict.monitoring.typologies import builtin_rules, load_list, load_rules, parse_duration

RULE = """\
id: my_rule
title: Test rule
typology: A test typology of some kind.
pattern: aggregate
payments:
  amount: {at_least: 100}
  payment_format: {in: [cash]}
window: 2 days
alert_when:
  payments: {at_least: 2}
explain: Account {account} paid {total_amount} {currency}
"""


def test_builtin_rules_cover_the_issue_typologies() -> None:
    ids = {rule.id for rule in builtin_rules()}
    assert ids >= {
        "structuring",
        "fan_in_burst",
        "fan_out_burst",
        "rapid_pass_through",
        "round_tripping",
        "scatter_gather",
        "gather_scatter",
        "dormant_reactivation",
        "high_risk_corridor",
        "collection_then_conversion",
        "npo_diversion",
    }


@pytest.mark.parametrize(
    "text, seconds", [("3 days", 259_200), ("24 hours", 86_400), ("1 week", 604_800)]
)
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


def test_parse_duration_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("soon")


def test_reference_lists_are_data() -> None:
    assert {"IR", "KP", "SY"} <= set(load_list("high_risk_countries"))
    assert "CHAR" in load_list("donation_purposes")
    with pytest.raises(BadInputError, match="no reference list"):
        load_list("no_such_list")


def test_custom_rule_compiles_with_bound_parameters(tmp_path: Path) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(RULE)
    [rule] = load_rules([path])
    compiled = compile_rule(rule, DuckDBDialect())
    assert set(compiled.params.values()) == {100.0, 2.0, "CASH"}
    assert "CASH" not in compiled.sql.upper().replace("CASE", "")


@pytest.mark.parametrize(
    "change, message",
    [
        (("pattern: aggregate", "pattern: teleport"), "pattern"),
        (("window: 2 days", "window: a while"), "not a duration"),
        (("amount:", "colour:"), "unknown payment column"),
        (("{total_amount}", "{secret}"), "unknown placeholder"),
        (("id: my_rule", "id: My Rule"), "id"),
    ],
)
def test_bad_rules_are_refused(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(RULE.replace(*change))
    with pytest.raises(BadInputError, match=message):
        load_rules([path])


def test_unknown_measure_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(RULE.replace("payments: {at_least: 2}", "hops: {at_least: 2}"))
    [rule] = load_rules([path])
    with pytest.raises(BadInputError, match="no measure 'hops'"):
        compile_rule(rule, DuckDBDialect())


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(RULE)
    with pytest.raises(BadInputError, match="two rules"):
        load_rules([tmp_path])


def test_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text("id: [unclosed")
    with pytest.raises(BadInputError, match="not valid YAML"):
        load_rules([path])
