"""Batch screening on both engines writes what ``interdict screen`` writes, byte for byte.

The reference is the real console command (a subprocess: the CLI's own streaming path);
each engine then screens the same file with :func:`run_batch_screening`. Parquet input
and output, failures (a corrupt part file, missing columns) and the output commit are checked on
both engines too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from interdict.errors import BadInputError, InterdictError
from interdict.model import Entity, Party
from interdict.screening import Screener
from interdict.screening.batch import output_kind, run_batch_screening, screen_parties
from tests.engines.parity import engine_for, ensure_engine, on_engines
from tests.runner import interdict

LIST = """id,name,schema,birth_date,country,alias_quality
L1,Abd al-Rahman Yusuf al-Tikriti,Person,1971-03-02,IQ,
L2,Шохрух Раҳмонов,Person,1985,TJ,
L2,Shokhrukh Rakhmonov,Person,1985,TJ,
L3,Usama bin Ladin,Person,1957,,
L3,Osama bin Laden,Person,1957,,
L3,Abu Abdallah,Person,1957,,weak
L4,Aigul Serikovna Zhaksybekova,Person,,KZ,
L5,Muhammad Ali,Vessel,,,
L6,Al-Rashid Trust,Organization,,PK,
"""

CUSTOMERS = """id,name,birth_date,country,schema
c1,Osama bin Laden,1957,,
c2,John Smith,,,
c3,,1980,,
c4,Rakhmonov Shokhrukh,,TJ,
c5,Abdurrahman Yusuf Tikriti,1971,IQ,
c6,Mary Jones,notadate,,
c7,Мухаммад Али,,,Person
c8,Al Rashid Trust,,,Organization
c9,Айгуль Жаксыбекова,,KZ,
c10,Abu Abdalla,,,
"""
THRESHOLD = "0.5"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the list, the customer file, and the CLI's own outputs."""
    folder = tmp_path_factory.mktemp("batch")
    (folder / "list.csv").write_text(LIST, encoding="utf-8")
    (folder / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    home = folder / "home"
    done = interdict(
        home, "lists", "import", str(folder / "list.csv"), "--format", "csv", "--name", "own"
    )
    assert done.returncode == 0, done.stderr
    for out in ("cli.jsonl", "cli.csv"):
        args = ["--out", str(folder / out), "--threshold", THRESHOLD, "--workers", "1"]
        done = interdict(home, "screen", str(folder / "customers.csv"), *args)
        assert done.returncode == 0, done.stderr
    return folder


def _run(work: Path, engine_name: str, source: Path | str, out: Path | str) -> None:
    ensure_engine(engine_name)
    run_batch_screening(
        engine_name,
        source,
        out,
        threshold=float(THRESHOLD),
        home=work / "home",
        workers=1,
    )


def _hidden_leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if ".staging-" in p.name or ".replaced-" in p.name
    )


@on_engines()
def test_output_is_the_cli_output(work: Path, engine_name: str, tmp_path: Path) -> None:
    for kind in ("jsonl", "csv"):
        out = tmp_path / f"{engine_name}.{kind}"
        _run(work, engine_name, work / "customers.csv", out)
        assert out.read_bytes() == (work / f"cli.{kind}").read_bytes(), kind
    text = (tmp_path / f"{engine_name}.jsonl").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["id"] for line in lines] == [f"c{i}" for i in range(1, 11)]
    best = {line["id"]: line["matches"][0]["source_id"] for line in lines if line["matches"]}
    assert best["c1"] == "L3" and best["c4"] == "L2" and best["c5"] == "L1"
    assert "L5" not in best.values()  # a person is never matched to a vessel
    assert lines[2]["error"] == "line 4: no name" and lines[2]["matches"] == []
    assert lines[5]["error"].startswith("line 7: birth_date")
    assert _hidden_leftovers(tmp_path) == []


def _parquet_customers(folder: Path) -> Path:
    """The customer file as a Parquet folder of two part files (rows 1–4 and 5–10)."""
    rows = [line.split(",") for line in CUSTOMERS.strip().splitlines()]
    header, body = rows[0], rows[1:]
    table = pa.table({name: [r[i] or None for r in body] for i, name in enumerate(header)})
    target = folder / "customers_parquet"
    target.mkdir()
    pq.write_table(table.slice(0, 4), target / "part-0.parquet")
    pq.write_table(table.slice(4), target / "part-1.parquet")
    (target / "_SUCCESS").touch()
    return target


@on_engines()
def test_parquet_in_parquet_out(work: Path, engine_name: str, tmp_path: Path) -> None:
    source = _parquet_customers(tmp_path)
    out = tmp_path / "results"
    _run(work, engine_name, source, out)
    assert (out / "_SUCCESS").is_file() and _hidden_leftovers(tmp_path) == []
    table = pq.read_table(out)
    assert table.column("id").to_pylist()[:4] == ["c1", "c2", "c3", "c4"]
    assert table.column("part").to_pylist() == [0] * 4 + [1] * 6
    assert table.column("record").to_pylist() == [1, 2, 3, 4, 1, 2, 3, 4, 5, 6]
    cli = {json.loads(line)["id"]: line for line in (work / "cli.jsonl").read_text().splitlines()}
    errors = dict(
        zip(table.column("id").to_pylist(), table.column("error").to_pylist(), strict=True)
    )
    assert errors["c3"] == "part-0.parquet record 3: no name"
    assert errors["c6"].startswith("part-1.parquet record 2: birth_date")
    for rid, result, error in zip(
        *(table.column(c).to_pylist() for c in ("id", "result", "error")), strict=True
    ):
        if error is None:
            assert result == cli[rid], rid
    matched = dict(
        zip(table.column("id").to_pylist(), table.column("matched").to_pylist(), strict=True)
    )
    assert matched["c1"] and not matched["c2"]


@on_engines()
def test_failed_run_names_the_input_and_keeps_the_old_output(
    work: Path, engine_name: str, tmp_path: Path
) -> None:
    source = _parquet_customers(tmp_path)
    (source / "part-2.parquet").write_bytes(b"PAR1 this is not a parquet file PAR1")
    out = tmp_path / "results.jsonl"
    out.write_text("the previous run's output\n")
    with pytest.raises(InterdictError) as caught:
        _run(work, engine_name, source, out)
    message = caught.value.message
    assert str(source) in message and "failed" in message
    assert "part-2.parquet" in message  # the file that broke it
    assert out.read_text() == "the previous run's output\n"
    assert _hidden_leftovers(tmp_path) == []


@on_engines()
def test_missing_name_column_is_bad_input(work: Path, engine_name: str, tmp_path: Path) -> None:
    source = tmp_path / "ids.parquet"
    pq.write_table(pa.table({"id": ["1"], "full_name": ["x"]}), source)
    with pytest.raises(BadInputError, match="no name column") as caught:
        _run(work, engine_name, source, tmp_path / "out.jsonl")
    assert str(source) in caught.value.message
    assert not (tmp_path / "out.jsonl").exists()


def test_no_lists_loaded(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("id,name\n1,x\n")
    with pytest.raises(BadInputError, match="no lists are loaded"):
        run_batch_screening("duckdb", tmp_path / "c.csv", tmp_path / "o.jsonl", home=tmp_path)


def test_json_and_csv_outputs_go_to_local_paths(work: Path) -> None:
    with pytest.raises(BadInputError, match="local path"):
        run_batch_screening(
            "duckdb", work / "customers.csv", "s3a://bucket/out.jsonl", home=work / "home"
        )


@pytest.mark.parametrize(
    "location, kind",
    [
        ("a.jsonl", "jsonl"),
        ("a.NDJSON", "jsonl"),
        ("a.csv", "csv"),
        ("a.json", "jsonl"),
        ("-", "jsonl"),
        ("out/", "parquet"),
        ("results", "parquet"),
        ("s3a://b/results", "parquet"),
        ("x.parquet", "parquet"),
    ],
)
def test_output_kind(location: str, kind: str) -> None:
    assert output_kind(location) == kind


def test_output_kind_refuses_unknown_names_and_follows_the_chosen_format(tmp_path: Path) -> None:
    for name in ("res.xlsx", "res.txt", "s3a://b/res.xlsx"):
        with pytest.raises(BadInputError, match="extension"):
            output_kind(name)
    assert output_kind("res.txt", "csv") == "csv"
    assert output_kind(str(tmp_path), None) == "parquet"  # an existing folder
    with pytest.raises(BadInputError, match="standard output"):
        output_kind("-", "csv")
    with pytest.raises(BadInputError, match="unknown output format"):
        output_kind("a.jsonl", "xlsx")


def test_an_unknown_output_is_refused_before_the_lists_are_read(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("id,name\n1,x\n")
    with pytest.raises(BadInputError, match="extension"):
        run_batch_screening("duckdb", tmp_path / "c.csv", tmp_path / "o.xlsx", home=tmp_path)


@on_engines()
def test_screen_parties_is_screen_many(engine_name: str, small_list: list[Entity]) -> None:
    screener = Screener(small_list)
    names = ["Osama bin Laden", "Шохрух Раҳмонов", "Jane Doe", "Magomed Gadzhiev", "Ali Hassan"]
    parties = [Party(id=f"p{i}", name=n) for i, n in enumerate(names)]
    expected = list(screener.screen_many(parties, threshold=0.3, workers=1))
    with engine_for(engine_name) as engine:
        got = screen_parties(engine, screener, parties, threshold=0.3, workers=1)
    assert [r.to_dict() for r in got] == [r.to_dict() for r in expected]
    assert got[0].matches[0].source_id == "T4"
