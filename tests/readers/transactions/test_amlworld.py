"""IBM AMLworld CSV layout."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from interdict.readers.transactions import read_amlworld


def test_rows_and_mapping(fixtures: Path) -> None:
    result = read_amlworld(fixtures / "amlworld_small.csv")
    rows = result.table.to_pylist()
    assert [r["txn_id"] for r in rows] == ["2", "3", "4", "9"]
    first = rows[0]
    assert first["timestamp"] == datetime(2022, 9, 1, 0, 20, tzinfo=UTC)
    assert (first["from_account"], first["to_account"]) == ("8000EBD30", "8000EBD30")
    assert (first["from_bank"], first["currency"]) == ("010", "USD")
    assert first["payment_format"] == "Reinvestment"
    assert rows[2]["currency"] == "XBT" and rows[2]["is_laundering"] == 1
    assert rows[3]["amount"] == 250.5 and rows[3]["payment_format"] == "Cash"


def test_bad_rows(fixtures: Path) -> None:
    problems = read_amlworld(fixtures / "amlworld_small.csv").problems
    assert len(problems) == 4
    assert "line 5: bad Timestamp '2022/09/31 00:15'" in problems[0]
    assert "line 6: unknown currency 'Dinar'" in problems[1]
    assert "line 7: bad amount '-5.00'" in problems[2]
    assert "line 8: 4 cells where the header has 11" in problems[3]
