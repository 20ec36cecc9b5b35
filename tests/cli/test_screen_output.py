"""``interdict screen --out``: the writer follows the name (or ``--format``); ``-`` is standard
output; a name that says nothing known is refused before any work (real subprocess)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.runner import interdict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cli"
CUSTOMERS = str(FIXTURES / "customers.csv")
RECORDS = len((FIXTURES / "customers.csv").read_text(encoding="utf-8").strip().splitlines()) - 1


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("out") / "ws"
    inhouse = str(FIXTURES / "inhouse.csv")
    done = interdict(home, "lists", "import", inhouse, "--format", "csv", "--name", "inhouse")
    assert done.returncode == 0, done.stderr
    return home


@pytest.mark.parametrize("name", ["res.xlsx", "res.txt"])
def test_an_unknown_extension_is_refused_before_any_work(tmp_path: Path, name: str) -> None:
    empty = tmp_path / "never-created"  # no lists: loading them would fail differently
    out = tmp_path / name
    done = interdict(empty, "screen", CUSTOMERS, "--out", str(out))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "extension" in lines[0] and str(out) in lines[0], lines
    assert "--format" in lines[0]
    assert not out.exists() and not empty.exists()


def test_dash_writes_json_lines_to_standard_output(home: Path) -> None:
    done = interdict(home, "screen", CUSTOMERS, "--out", "-", "--threshold", "0.5")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in records[:2]] == ["K1", "K2"] and len(records) == RECORDS
    assert "records matched" in done.stderr  # the summary goes beside the progress


def test_format_overrides_the_name(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "res.txt"
    done = interdict(home, "screen", CUSTOMERS, "--out", str(out), "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0]["id"] == "K1"


def test_csv_starts_with_a_byte_order_mark_for_excel(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "res.csv"
    done = interdict(home, "screen", CUSTOMERS, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,name,list,source_id,score")


def test_json_and_parquet_names(home: Path, tmp_path: Path) -> None:
    as_json = tmp_path / "res.json"
    assert interdict(home, "screen", CUSTOMERS, "--out", str(as_json)).returncode == 0
    assert len(as_json.read_text(encoding="utf-8").splitlines()) == RECORDS
    as_parquet = tmp_path / "res.parquet"
    done = interdict(home, "screen", CUSTOMERS, "--out", str(as_parquet))
    assert done.returncode == 0, done.stderr
    assert as_parquet.is_dir() and any(as_parquet.glob("*.parquet"))


def test_standard_output_takes_json_lines_only(home: Path) -> None:
    done = interdict(home, "screen", CUSTOMERS, "--out", "-", "--format", "parquet")
    assert done.returncode == 2 and "standard output" in done.stderr and not done.stdout


def test_each_result_line_names_the_screened_party_beside_its_id(home: Path) -> None:
    done = interdict(home, "screen", CUSTOMERS, "--out", "-", "--threshold", "0.5")
    assert done.returncode == 0, done.stderr
    screened = [json.loads(line) for line in done.stdout.splitlines()]
    by_id = {r["id"]: r for r in screened}
    assert list(by_id["K1"])[:2] == ["id", "name"] and by_id["K1"]["name"] == "Рахмонов Шохрух"
    assert by_id["K2"]["name"] == "Maria Fernandez"
    assert "name" not in by_id["K3"] and by_id["K3"]["error"]  # unreadable: no name to give
