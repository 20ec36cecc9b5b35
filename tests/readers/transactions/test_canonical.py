"""The canonical table in CSV and Parquet: every bad row is reported with its line, none coerced."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.readers.transactions import read_transactions, write_transactions


def test_good_rows_are_typed(fixtures: Path) -> None:
    result = read_transactions(fixtures / "canonical_small.csv")
    rows = result.table.to_pylist()
    assert [r["txn_id"] for r in rows] == ["a1", "a2", "a3"]
    assert rows[0]["timestamp"] == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert rows[1]["timestamp"] == datetime(2024, 5, 1, 11, 30, tzinfo=UTC)  # no offset: UTC
    assert rows[2]["timestamp"] == datetime(2024, 5, 2, 7, tzinfo=UTC)  # +02:00
    assert rows[0]["amount"] == 100.5 and rows[0]["country_to"] == "DE"
    assert rows[0]["purpose"] is None and rows[1]["purpose"] == "CHAR"
    assert [r["is_laundering"] for r in rows] == [0, 1, 0]
    assert "notes" not in result.table.column_names


@pytest.mark.parametrize(
    "line, reason",
    [
        (6, "bad timestamp 'yesterday'"),
        (7, "bad from_account ''"),
        (8, "bad amount '1,000'"),
        (9, "bad currency 'euro'"),
        (10, "bad country_to 'Germany'"),
        (11, "duplicate txn_id 'a1'"),
        (12, "bad is_laundering '2'"),
        (13, "cells where the header has"),
        (14, "bad country_to 'fr'"),
    ],
)
def test_bad_rows_name_their_line(fixtures: Path, line: int, reason: str) -> None:
    result = read_transactions(fixtures / "canonical_small.csv")
    assert result.rejected == 9
    assert any(f"line {line}: " in p and reason in p for p in result.problems), result.problems


def test_round_trip_csv_and_parquet(fixtures: Path, tmp_path: Path) -> None:
    table = read_transactions(fixtures / "canonical_small.csv").table
    for name in ("t.csv", "t.parquet"):
        write_transactions(table, tmp_path / name)
        again = read_transactions(tmp_path / name)
        assert again.rejected == 0
        assert again.table.to_pylist() == table.to_pylist()
    assert "2024-05-01T10:00:00Z" in (tmp_path / "t.csv").read_text()


def test_parquet_rows_are_checked_too(tmp_path: Path) -> None:
    table = pa.table(
        {
            "txn_id": ["x", "y"],
            "timestamp": pa.array([datetime(2024, 1, 1), datetime(2024, 1, 2)], pa.timestamp("s")),
            "from_account": ["A", "B"],
            "to_account": ["B", "C"],
            "amount": [1.0, float("nan")],
            "currency": ["EUR", "EUR"],
        }
    )
    pq.write_table(table, tmp_path / "t.parquet")
    result = read_transactions(tmp_path / "t.parquet")
    assert result.table.column("txn_id").to_pylist() == ["x"]
    assert result.problems == [f"{tmp_path / 't.parquet'} row 2: bad amount nan"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("txn_id,timestamp\n1,2024-01-01\n", "missing column"),
        ("", "file is empty"),
    ],
)
def test_unusable_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(content)
    with pytest.raises(BadInputError, match=message):
        read_transactions(path)


def test_training_needs_a_label(fixtures: Path, tmp_path: Path) -> None:
    table = read_transactions(fixtures / "canonical_small.csv").table.drop_columns("is_laundering")
    write_transactions(table, tmp_path / "t.csv")
    with pytest.raises(BadInputError, match="is_laundering"):
        read_transactions(tmp_path / "t.csv", require_label=True)


HEADER = "txn_id,timestamp,from_account,to_account,amount,currency\n"


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_never_crashes(tmp_path: Path, body: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    try:
        result = read_transactions(path)
    except BadInputError:
        return
    assert result.table.num_rows + result.rejected >= 0
    assert result.table.column("amount").null_count == 0
