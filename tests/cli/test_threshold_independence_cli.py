"""``interdict screen`` on every engine returns at threshold T every match that scores ≥ T at a
lower threshold, with the same score, over real list names (UN + OFAC + UK; issue 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interdict.cli import app
from interdict.store import Workspace
from tests.engines.parity import ensure_engine, on_engines
from tests.real_lists import (
    HIGH,
    LOW,
    at_least,
    customer_id,
    direct_matches,
    import_real_lists,
    missing_from,
    variant_names,
    write_customers,
)

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("threshold-cli")
    with Workspace(folder / "ws") as workspace:
        import_real_lists(workspace, folder)
    write_customers(folder / "customers.csv")
    write_customers(folder / "variants.csv", variant_names())
    return folder / "ws"


def _screen(
    home: Path, engine_name: str, threshold: float, customers: str = "customers.csv"
) -> dict[str, list[tuple[str, float]]]:
    out = home.parent / f"{engine_name}-{threshold}-{customers}.jsonl"
    args = ["--home", str(home), "screen", str(home.parent / customers), "--out", str(out)]
    args += ["--threshold", str(threshold), "--engine", engine_name, "--workers", "1"]
    args += ["--limit", "500"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {
        line["id"]: [(f"{m['list']}:{m['source_id']}", m["score"]) for m in line["matches"]]
        for line in lines
    }


@on_engines()
def test_screen_returns_at_the_threshold_every_match_scoring_it(
    home: Path, engine_name: str
) -> None:
    ensure_engine(engine_name)  # in process: the command joins the tests' Spark
    low, high = _screen(home, engine_name, LOW), _screen(home, engine_name, HIGH)
    assert at_least(low) == at_least(high)
    assert sum(map(len, at_least(high).values())) >= 500
    assert "ofac:19791" in at_least(high)[customer_id("CHO IL U")]


@on_engines()
def test_screen_returns_every_entity_the_scorer_gives_the_threshold(
    home: Path, engine_name: str
) -> None:
    """Every listed name the evidence filter passes, scored directly against each variant
    (alias, shortened name): ``interdict screen`` at T returns each entity scoring ≥ T."""
    ensure_engine(engine_name)
    found = _screen(home, engine_name, HIGH, "variants.csv")
    by_name = {name: found.get(customer_id(name), []) for name in variant_names()}
    reference = direct_matches(HIGH).filtered
    assert missing_from(by_name, reference) == []
