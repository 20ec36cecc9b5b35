"""Account-holder and seed files for exposure."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdict.errors import BadInputError
from interdict.readers.transactions.accounts import read_account_holders, read_seeds


def test_account_holders(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("account_id,holder\nA1,Rakhmonov Shokhrukh\nA2,\nA3,Мария Иванова\n")
    rows, problems = read_account_holders(path)
    assert rows == [("A1", "Rakhmonov Shokhrukh"), ("A3", "Мария Иванова")]
    assert problems == [f"{path} line 3: empty account_id or holder"]


def test_seeds(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("account,list,source_id,score\nA1,un,QDi.1,0.9\nA1,ofac,77,1\n")
    seeds = read_seeds(path)
    assert seeds["A1"] == [("un", "QDi.1", 0.9), ("ofac", "77", 1.0)]


@pytest.mark.parametrize("row", ["A1,un,QDi.1,1.5", "A1,un,,0.9", "A1,un,QDi.1,high"])
def test_bad_seed_rows(tmp_path: Path, row: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(f"account,list,source_id,score\n{row}\n")
    with pytest.raises(BadInputError, match="line 2"):
        read_seeds(path)
