"""The ``interdict`` command end to end: import a list, list it, screen a file (real subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from interdict.cli import app
from interdict.errors import BadInputError
from tests.engines.parity import ensure_engine, on_engines
from tests.runner import interdict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cli"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    done = interdict(
        home,
        "lists",
        "import",
        str(FIXTURES / "inhouse.csv"),
        "--format",
        "csv",
        "--name",
        "inhouse",
    )
    assert done.returncode == 0, done.stderr
    assert "version 1" in done.stdout
    return home


def test_lists_ls_shows_the_import(home: Path) -> None:
    done = interdict(home, "lists", "ls")
    assert done.returncode == 0, done.stderr
    assert "inhouse" in done.stdout and "4" in done.stdout


def test_screen_writes_one_line_per_record_in_order(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    done = interdict(
        home, "screen", str(FIXTURES / "customers.csv"), "--out", str(out), "--workers", "1"
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["K1", "K2", "K3", "K4", "K5", "K6"]
    k1 = lines[0]["matches"][0]
    assert (k1["list"], k1["source_id"]) == ("inhouse", "IH-1")
    assert k1["explanation"] and 0.8 <= k1["score"] <= 1.0
    assert lines[1]["matches"] == []
    assert "error" in lines[2] and "error" in lines[3]  # no name; impossible date
    assert lines[4]["matches"][0]["source_id"] == "IH-2"
    assert lines[0]["matcher"] == "name_v1" and lines[0]["list_versions"] == {"inhouse": 1}
    assert "line" in done.stderr  # broken rows are reported with their line


def test_threshold_zero_and_limit(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    args = ["screen", str(FIXTURES / "customers.csv"), "--out", str(out), "--threshold", "0"]
    done = interdict(home, *args, "--limit", "1", "--lists", "inhouse", "--workers", "1")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(len(line["matches"]) <= 1 for line in lines)
    low = lines[5]["matches"]  # shares only the given name with a listed person
    assert low and low[0]["source_id"] == "IH-1" and low[0]["score"] < 0.8


def test_csv_output(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    done = interdict(
        home, "screen", str(FIXTURES / "customers.csv"), "--out", str(out), "--workers", "1"
    )
    assert done.returncode == 0, done.stderr
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("id,name,list,source_id,score,matched_name,subject,explanation")


def test_errors_are_one_clear_line(home: Path, tmp_path: Path) -> None:
    missing = interdict(
        home, "lists", "import", str(tmp_path / "nope.xml"), "--format", "un", "--name", "un"
    )
    assert missing.returncode == 2
    assert "nope.xml" in missing.stderr and "Traceback" not in missing.stderr
    unknown = interdict(
        home,
        "screen",
        str(FIXTURES / "customers.csv"),
        "--out",
        str(tmp_path / "o.jsonl"),
        "--lists",
        "nope",
    )
    assert unknown.returncode == 3
    assert "no list 'nope'" in unknown.stderr


def test_bad_list_import_keeps_previous_version(home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("id,name,birth_date\nX1,Someone,1970,extra\n", encoding="utf-8")
    done = interdict(home, "lists", "import", str(broken), "--format", "csv", "--name", "inhouse")
    assert done.returncode == 2
    listing = interdict(home, "lists", "ls")
    assert "inhouse" in listing.stdout and " 1 " in listing.stdout


def test_home_option_overrides_environment(tmp_path: Path) -> None:
    other = tmp_path / "other"
    done = interdict(
        tmp_path / "unused",
        "--home",
        str(other),
        "lists",
        "import",
        str(FIXTURES / "inhouse.csv"),
        "--format",
        "csv",
        "--name",
        "x",
    )
    assert done.returncode == 0, done.stderr
    assert (other / "interdict.duckdb").exists()


@on_engines()
def test_engine_option_writes_what_the_streaming_path_writes(
    home: Path, tmp_path: Path, engine_name: str
) -> None:
    """``--engine`` runs the batch job on that engine: same bytes as the default streaming path."""
    reference = tmp_path / "streamed.jsonl"
    done = interdict(
        home, "screen", str(FIXTURES / "customers.csv"), "--out", str(reference), "--workers", "1"
    )
    assert done.returncode == 0, done.stderr
    ensure_engine(engine_name)  # in process: the command joins the tests' Spark
    for out in (tmp_path / f"{engine_name}.jsonl", tmp_path / f"{engine_name}_parquet"):
        args = ["screen", str(FIXTURES / "customers.csv"), "--out", str(out), "--workers", "1"]
        result = CliRunner().invoke(app, ["--home", str(home), *args, "--engine", engine_name])
        assert result.exit_code == 0, result.output
    assert (tmp_path / f"{engine_name}.jsonl").read_bytes() == reference.read_bytes()
    table = pq.read_table(tmp_path / f"{engine_name}_parquet")
    assert table.num_rows == 6 and table.column("matched").to_pylist().count(True) == 2
    assert "line 4: no name" in result.output  # unreadable rows are reported on this path too


def test_engine_setting_and_unknown_engine(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    args = ["screen", str(FIXTURES / "customers.csv"), "--out", str(out)]
    env = {"INTERDICT_ENGINE": "oracle"}
    result = CliRunner().invoke(app, ["--home", str(home), *args], env=env)
    assert isinstance(result.exception, BadInputError) and "INTERDICT_ENGINE" in str(
        result.exception
    )
    assert not out.exists()
    bad = CliRunner().invoke(app, ["--home", str(home), *args, "--engine", "oracle"])
    assert bad.exit_code == 2 and not out.exists()


def test_a_list_with_values_not_understood_still_imports(home: Path, tmp_path: Path) -> None:
    listed = tmp_path / "odd.csv"
    listed.write_text(
        "id,name,country,birth_date\nX1,Ivan Petrov,Belrus,1970\n"
        'X2,Li Wei,"China, Hong Kong Special Administrative Region",31/02/1970\n',
        encoding="utf-8",
    )
    done = interdict(home, "lists", "import", str(listed), "--format", "csv", "--name", "odd")
    assert done.returncode == 0, done.stderr
    assert "2 entities" in done.stdout
    assert "odd.csv line 2" in done.stdout and "'Belrus'" in done.stdout
    assert "odd.csv line 3" in done.stdout
