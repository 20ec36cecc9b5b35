"""AMLSim output and IBM sample layouts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from interdict.errors import BadInputError
from interdict.readers.transactions import read_amlsim


def test_output_layout_with_accounts(fixtures: Path) -> None:
    result = read_amlsim(fixtures / "amlsim_output")
    rows = result.table.to_pylist()
    assert [r["txn_id"] for r in rows] == ["1", "2", "7"]
    assert rows[0]["from_bank"] == "bank_a" and rows[0]["to_bank"] == "bank_b"
    assert rows[1]["is_laundering"] == 1 and rows[0]["is_laundering"] == 0
    assert rows[2]["currency"] == "EUR"  # the sender's reporting currency
    assert rows[2]["to_bank"] is None  # beneficiary not in accounts.csv
    assert rows[0]["payment_format"] == "TRANSFER"
    assert rows[1]["timestamp"] == datetime(2017, 1, 2, tzinfo=UTC)


def test_output_layout_bad_rows(fixtures: Path) -> None:
    problems = read_amlsim(fixtures / "amlsim_output" / "transactions.csv").problems
    assert len(problems) == 4
    assert "line 4: bad amount '12.5e3'" in problems[0]
    assert "line 5: bad timestamp '2017-02-30T00:00:00Z'" in problems[1]
    assert "line 6: bad is_laundering 'maybe'" in problems[2]
    assert "line 7: duplicate txn_id '2'" in problems[3]


def test_sample_layout_steps_become_days(fixtures: Path) -> None:
    result = read_amlsim(fixtures / "amlsim_sample")
    rows = result.table.to_pylist()
    assert [r["txn_id"] for r in rows] == ["2", "3"]  # the line numbers
    assert rows[0]["timestamp"] == datetime(2017, 1, 2, tzinfo=UTC)
    assert rows[1]["timestamp"] == datetime(2017, 1, 4, tzinfo=UTC)
    assert "is_laundering" not in result.table.column_names
    assert result.rejected == 2
    assert any("line 5: bad time step 'x7'" in p for p in result.problems)


def test_unknown_layout(tmp_path: Path) -> None:
    (tmp_path / "transactions.csv").write_text("a,b\n1,2\n")
    with pytest.raises(BadInputError, match="neither AMLSim layout"):
        read_amlsim(tmp_path)
    with pytest.raises(BadInputError, match=r"no transactions\.csv"):
        read_amlsim(tmp_path / "nowhere")


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "name, rows, positives", [("interdict_1K", 122_119, 849), ("interdict_10K", 200_746, 3_313)]
)
def test_real_sets(shared_data: Path, name: str, rows: int, positives: int) -> None:
    result = read_amlsim(shared_data / "transactions" / "amlsim" / name)
    assert result.rejected == 0
    assert result.table.num_rows == rows
    assert sum(result.table.column("is_laundering").to_pylist()) == positives
