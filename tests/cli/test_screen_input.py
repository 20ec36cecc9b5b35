"""``interdict screen INPUT``: the input is checked before the index is loaded, read with its own
delimiter and column names, and what is not read is said (real subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.runner import interdict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cli"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("input") / "ws"
    inhouse = str(FIXTURES / "inhouse.csv")
    done = interdict(home, "lists", "import", inhouse, "--format", "csv", "--name", "inhouse")
    assert done.returncode == 0, done.stderr
    return home


def _results(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("nope.csv", None, "file not found"),
        ("c.csv", "client,full name of client\n1,Ali\n", "missing column(s) id, name"),
        ("c.jsonl", '{"client": "1", "customer": "Ali"}\n', "no id or name key"),
    ],
    ids=["missing", "wrong-header", "jsonl-without-name"],
)
def test_a_wrong_input_is_reported_before_the_lists_are_read(
    tmp_path: Path, name: str, text: str | None, message: str
) -> None:
    source = tmp_path / name
    if text is not None:
        source.write_text(text, encoding="utf-8")
    empty = tmp_path / "never-created"  # no lists: loading them would fail differently
    done = interdict(empty, "screen", str(source), "--out", str(tmp_path / "o.jsonl"))
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and str(source) in done.stderr
    assert "no lists" not in done.stderr and not empty.exists()


def test_a_semicolon_file_is_sniffed_and_a_wrong_delimiter_is_named(
    home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "c.csv"
    source.write_text("id;name;birth_date\nK1;Рахмонов Шохрух;1985\nK2;Maria Fernandez;1984\n")
    out = tmp_path / "o.jsonl"
    done = interdict(home, "screen", str(source), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert [(r["id"], r.get("error")) for r in _results(out)] == [("K1", None), ("K2", None)]
    wrong = interdict(home, "screen", str(source), "--out", str(out), "--delimiter", ",")
    assert wrong.returncode == 2
    assert "read as comma-separated" in wrong.stderr and "--delimiter" in wrong.stderr
    tab = tmp_path / "t.csv"
    tab.write_text("id\tname\nK1\tAli\n")
    done = interdict(home, "screen", str(tab), "--out", str(out), "--delimiter", "tab")
    assert done.returncode == 0, done.stderr


def test_synonyms_are_read_and_ignored_columns_listed(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    source.write_text("id,full_name,dob,nationality,branch\nK1,Рахмонов Шохрух,1985,TJ,Khujand\n")
    out = tmp_path / "o.jsonl"
    done = interdict(home, "screen", str(source), "--out", str(out), "--threshold", "0.5")
    assert done.returncode == 0, done.stderr
    assert "dob as birth_date" in done.stderr and "full_name as name" in done.stderr
    assert "ignored column(s) branch" in done.stderr
    (result,) = _results(out)
    assert result["id"] == "K1" and result["matches"]


def test_json_lines_with_full_name_are_screened(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "c.jsonl"
    lines = [{"id": "K1", "full_name": "Рахмонов Шохрух"}, {"id": "K2", "full_name": "Maria"}]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    done = interdict(home, "screen", str(source), "--out", str(out), "--threshold", "0.5")
    assert done.returncode == 0, done.stderr
    results = _results(out)
    assert [r.get("error") for r in results] == [None, None] and results[0]["matches"]
