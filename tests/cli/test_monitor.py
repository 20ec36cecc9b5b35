"""``interdict monitor …`` through typer's test runner, on small generated tables."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from interdict.cli.monitor import app
from interdict.errors import BadInputError
from interdict.model.transaction import transaction_schema
from interdict.readers.transactions import FORMATS, read_transactions, write_transactions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "transactions"
runner = CliRunner()


def labelled_table(seed: int = 3) -> pa.Table:
    """Ordinary payments among 80 accounts, plus fan-in bursts of first-time senders (label 1)."""
    rng = np.random.default_rng(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows: list[tuple[str, datetime, str, str, float, int]] = []
    for i in range(1500):
        a, b = rng.choice(80, size=2, replace=False)
        rows.append(
            (
                f"n{i}",
                start + timedelta(days=int(rng.integers(0, 90))),
                f"A{a}",
                f"A{b}",
                float(rng.integers(10, 1000)),
                0,
            )
        )
    for burst in range(24):
        day = start + timedelta(days=int(burst * 3.7))
        for j in range(8):
            rows.append(
                (
                    f"l{burst}_{j}",
                    day,
                    f"M{burst}_{j}",
                    f"H{burst % 6}",
                    float(rng.integers(100, 900)),
                    1,
                )
            )
    rows.sort(key=lambda r: r[1])
    schema = transaction_schema(["is_laundering"])
    columns = list(zip(*rows, strict=True))
    return pa.table(
        [
            list(columns[0]),
            list(columns[1]),
            list(columns[2]),
            list(columns[3]),
            list(columns[4]),
            ["EUR"] * len(rows),
            pa.array(columns[5], pa.int8()),
        ],
        schema=schema,
    )


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("model")
    train = folder / "train.csv"
    write_transactions(labelled_table(), train)
    result = runner.invoke(app, ["train", str(train), "--model", str(folder / "m")])
    assert result.exit_code == 0, result.output
    return folder / "m", train


def test_formats_match_readers() -> None:
    from interdict.cli.monitor import SourceFormat

    assert {f.value for f in SourceFormat} == set(FORMATS)


def test_convert_amlsim(tmp_path: Path) -> None:
    out = tmp_path / "t.parquet"
    result = runner.invoke(
        app, ["convert", str(FIXTURES / "amlsim_output"), "--format", "amlsim", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert read_transactions(out).table.num_rows == 3


def test_train_writes_model(model_dir: tuple[Path, Path]) -> None:
    meta = json.loads((model_dir[0] / "model.json").read_text())
    assert meta["feature_set"] == "txn_v1" and 0 < meta["threshold"] < 1
    assert meta["validation_f1"] > 0.5


def test_score_contract(model_dir: tuple[Path, Path], tmp_path: Path) -> None:
    model, _train = model_dir
    unlabelled = tmp_path / "input.csv"
    write_transactions(labelled_table(seed=4).drop_columns("is_laundering"), unlabelled)
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        app, ["score", str(unlabelled), "--model", str(model), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["txn_id", "score", "flagged", "reasons"]
        rows = list(reader)
    assert len(rows) == 1500 + 24 * 8
    flagged = [r for r in rows if r["flagged"] == "1"]
    assert flagged and all(r["reasons"] for r in flagged)
    assert all(r["reasons"] == "" for r in rows if r["flagged"] == "0")
    hits = sum(r["txn_id"].startswith("l") for r in flagged)
    assert hits / len(flagged) > 0.8


def test_run_writes_explained_alerts(make_pass_through: Path, tmp_path: Path) -> None:
    out = tmp_path / "alerts.jsonl"
    result = runner.invoke(app, ["run", str(make_pass_through), "--out", str(out)])
    assert result.exit_code == 0, result.output
    [alert] = [json.loads(line) for line in out.read_text().splitlines()]
    assert alert["rule"] == "rapid_pass_through"
    assert alert["transactions"] == ["p1", "p2"] and alert["accounts"][0] == "HUB"
    assert alert["window"]["start"] == "2024-02-01T09:00:00Z"
    assert "HUB received 5,000.00 EUR" in alert["explanation"]


@pytest.fixture
def make_pass_through(tmp_path: Path) -> Path:
    table = pa.table(
        [
            ["p1", "p2"],
            [datetime(2024, 2, 1, 9, tzinfo=UTC), datetime(2024, 2, 1, 15, tzinfo=UTC)],
            ["A", "HUB"],
            ["HUB", "B"],
            [5000.0, 4900.0],
            ["EUR", "EUR"],
        ],
        schema=transaction_schema(),
    )
    path = tmp_path / "pass.parquet"
    write_transactions(table, path)
    return path


def test_exposure_with_seed_file(make_pass_through: Path, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("account,list,source_id,score\nA,un,QDi.123,0.9\n")
    out = tmp_path / "exposure.jsonl"
    result = runner.invoke(
        app, ["exposure", str(make_pass_through), "--seeds", str(seeds), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["account"], r["hops"]) for r in records] == [("HUB", 1), ("B", 2)]
    assert records[1]["explanation"].startswith(
        "2 hops from un QDi.123 (account A) via account HUB"
    )


def test_bad_input_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("nothing,useful\n1,2\n")
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "a.jsonl")])
    assert isinstance(result.exception, BadInputError)
    assert "missing column" in str(result.exception)
