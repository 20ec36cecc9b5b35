"""Exposure spreading from hand-made seeds over a small transaction graph."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest

from interdict.errors import BadInputError
from interdict.model.transaction import transaction_schema
from interdict.network import Seed, exposure_of_table

UN = Seed("un", "QDi.123", 0.96)
START = datetime(2024, 3, 1, tzinfo=UTC)


def graph(payments: list[tuple[str, str, float, int]]) -> pa.Table:
    schema = transaction_schema()
    return pa.table(
        [
            [f"t{i}" for i in range(len(payments))],
            [START + timedelta(days=p[3]) for p in payments],
            [p[0] for p in payments],
            [p[1] for p in payments],
            [float(p[2]) for p in payments],
            ["USD"] * len(payments),
        ],
        schema=schema,
    )


@pytest.fixture
def chain() -> pa.Table:
    # S (designated) → X → Y → Z, plus a richer second route S → W → Y and an unrelated pair.
    return graph(
        [
            ("S", "X", 14_000, 0),
            ("X", "Y", 9_000, 2),
            ("Y", "Z", 5_000, 3),
            ("S", "W", 20_000, 1),
            ("W", "Y", 15_000, 3),
            ("P", "Q", 1_000, 0),
        ]
    )


def test_two_hops_with_path_as_explanation(chain: pa.Table) -> None:
    found = {e.account: e for e in exposure_of_table(chain, {"S": [UN]}, hops=2)}
    assert set(found) == {"X", "W", "Y"}
    direct, second = found["X"], found["Y"]
    assert direct.hops == 1 and direct.score == pytest.approx(0.48)
    assert second.hops == 2 and second.score == pytest.approx(0.24)
    assert second.path == ["S", "W", "Y"]  # the route that carried more money
    assert second.amount == pytest.approx(15_000)
    assert second.explanation == (
        "2 hops from un QDi.123 (account S) via account W, 15,000.00 USD in 2 days"
    )


def test_more_hops_reach_further_and_keep_shortest_paths(chain: pa.Table) -> None:
    found = {e.account: e for e in exposure_of_table(chain, {"S": [UN]}, hops=3)}
    assert found["Z"].hops == 3 and found["Z"].path == ["S", "W", "Y", "Z"]
    assert found["Y"].hops == 2
    assert "P" not in found and "Q" not in found and "S" not in found


def test_direction_follows_the_money(chain: pa.Table) -> None:
    incoming = exposure_of_table(chain, {"Y": [UN]}, hops=1, direction="in")
    assert {e.account for e in incoming} == {"X", "W"}
    outgoing = exposure_of_table(chain, {"Y": [UN]}, hops=1, direction="out")
    assert {e.account for e in outgoing} == {"Z"}


def test_each_seed_is_explained_separately(chain: pa.Table) -> None:
    other = Seed("ofac", "12345", 1.0)
    found = exposure_of_table(chain, {"S": [UN], "Q": [other]}, hops=1)
    assert {(e.account, e.seed.source_id) for e in found} == {
        ("X", "QDi.123"),
        ("W", "QDi.123"),
        ("P", "12345"),
    }
    assert found[0].seed == other  # best score first


def test_unknown_seed_accounts_expose_nobody(chain: pa.Table) -> None:
    assert exposure_of_table(chain, {"NOBODY": [UN]}) == []


def test_json_record(chain: pa.Table) -> None:
    record = exposure_of_table(chain, {"S": [UN]}, hops=1)[0].to_json()
    assert record["list"] == "un" and record["source_id"] == "QDi.123"
    assert record["path"][0] == "S" and record["window"]["start"].startswith("2024-03-0")


@pytest.mark.parametrize("hops, direction", [(0, "both"), (7, "both"), (2, "sideways")])
def test_bad_arguments(chain: pa.Table, hops: int, direction: str) -> None:
    with pytest.raises(BadInputError):
        exposure_of_table(chain, {"S": [UN]}, hops=hops, direction=direction)


def test_plain_tuples_are_seeds(chain: pa.Table) -> None:
    plain = exposure_of_table(chain, {"S": [("un", "QDi.123", 0.96)]})
    assert [e.to_json() for e in plain] == [
        e.to_json() for e in exposure_of_table(chain, {"S": [UN]})
    ]
