"""Graph features on a tiny graph whose values can be counted by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

from interdict.monitoring.features import FEATURE_SET, describe, feature_names
from interdict.monitoring.pipeline import features_of

Table = Callable[..., pa.Table]


@pytest.fixture
def features(make_table: Table) -> list[dict[str, Any]]:
    table = make_table(
        [
            ("A", "B", 1000, 0),  # t1: A→B→C→A is a 3-cycle
            ("B", "C", 900, 1),  # t2
            ("C", "A", 800, 2),  # t3
            ("A", "B", 500, 3),  # t4: second payment over A→B
            ("A", "M", 300, 3),  # t5: A→M→C beside A→B→C: two routes from A to C
            ("M", "C", 290, 4),  # t6
            ("D", "E", 100, 90),  # t7: far away in time
        ]
    )
    return features_of(table).to_pylist()


def test_one_row_per_transaction_in_order(features: list[dict[str, Any]]) -> None:
    assert [row["row"] for row in features] == list(range(7))
    assert set(feature_names()) <= set(features[0])


def test_pair_counts_and_gaps(features: list[dict[str, Any]]) -> None:
    first, fourth = features[0], features[3]
    assert first["pair_n"] == fourth["pair_n"] == 2
    assert first["pair_gap_prev"] is None and first["pair_gap_next"] == 3
    assert fourth["pair_gap_prev"] == 3 and fourth["pair_gap_next"] is None
    assert features[6]["pair_n"] == 1


def test_cycles_and_parallel_routes(features: list[dict[str, Any]]) -> None:
    assert features[0]["cycle3_30d"] == 1  # A→B, then B→C→A
    assert features[1]["cycle3_30d"] == 1  # B→C, then C→A→B
    assert features[6]["cycle3_30d"] == 0
    assert features[0]["sg_paths_30d"] == 2  # A reaches C through B and through M
    assert features[6]["sg_paths_30d"] == 0


def test_account_windows(features: list[dict[str, Any]]) -> None:
    fourth = features[3]  # A→B on day 3
    assert fourth["src_day_out_n"] == 2  # t4 and t5, same day
    assert fourth["src_past_7d_out_n"] == 3  # t1, t4, t5
    assert fourth["src_past_7d_in_n"] == 1  # t3 on day 2
    assert fourth["src_past_7d_out_sum"] == pytest.approx(1800)
    assert fourth["dst_next_7d_out_n"] == 0  # B pays nothing from day 3 on
    assert features[0]["dst_next_7d_out_n"] == 1  # B pays C on day 1
    assert features[6]["src_past_30d_out_n"] == 1


def test_first_time_counterparties(features: list[dict[str, Any]]) -> None:
    # A's outgoing pairs in the week up to day 3: A→B (twice) is not new, A→M is.
    assert features[3]["src_past_7d_out_new"] == 1


def test_descriptions_read_as_sentences() -> None:
    assert FEATURE_SET == "txn_v1"
    assert describe("dst_past_30d_in_new").startswith("receiver's incoming payments")
    assert describe("unknown_feature") == "unknown_feature"


def test_vectorised_frames_equal_sql_frames(make_table: Table) -> None:
    from interdict.engines import open_engine
    from interdict.monitoring import features as F
    from interdict.monitoring.prepare import prepare, register

    rows = [(f"A{i % 7}", f"A{(i * 3) % 11}", 10 + i, (i * 5) % 61) for i in range(200)]
    with open_engine() as engine:
        register(engine, prepare(make_table(rows)))
        engine.create_table("f_pairs", F._PAIRS)
        engine.create_table("f_days", F._DAYS)
        order = [("acct", "ascending"), ("day", "ascending")]
        by_sql = engine.sql(F._windows_query()).sort_by(order)
        by_numpy = F.frames_vectorised(engine.sql("SELECT * FROM f_days")).sort_by(order)
    for name in by_sql.column_names:
        assert by_numpy[name].to_pylist() == pytest.approx(by_sql[name].to_pylist()), name
