"""``interdict rescreen --engine``: the same new alerts on every engine as in process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from interdict.cli import app
from interdict.lifecycle.customers import import_customers
from interdict.lifecycle.rescreen import rescreen
from interdict.readers.base import ListFile
from interdict.store import Workspace
from tests.conftest import person
from tests.engines.parity import ensure_engine, on_engines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lifecycle"
LISTED = [
    person("T1", "Aigerim Nurlanovna Seitkali", born="1988", country="KZ"),
    person("T2", "Дилшод Каримов", "Dilshod Karimov", born="1983"),
    person("T3", "Гулнора Юсупова", country="UZ"),
    person("T4", "Jamshid Rahmonzoda"),
]


def _workspace(home: Path) -> None:
    with Workspace(home) as ws:
        source = home.parent / f"{home.name}-list.bin"
        source.write_text("test list")
        ws.import_list(ListFile(LISTED, "csv"), name="test", source=source)
        import_customers(ws, FIXTURES / "customers.csv", workers=1)


def _essentials(alert: dict[str, Any]) -> tuple[Any, ...]:
    return (
        alert["alert_id"],
        alert["customer_id"],
        alert["source_id"],
        round(alert["score"], 6),
        alert["matched_name"],
        tuple(alert["explanation"]),
        alert["cause"]["summary"],
    )


@on_engines()
def test_first_rescreen_alerts_equal_the_in_process_run(tmp_path: Path, engine_name: str) -> None:
    reference_home, home = tmp_path / "reference", tmp_path / "ws"
    _workspace(reference_home)
    _workspace(home)
    with Workspace(reference_home) as ws:
        expected = sorted(_essentials(a.to_dict()) for a in rescreen(ws, workers=1).alerts)
    assert len(expected) >= 3  # the listed people are among the customers

    ensure_engine(engine_name)
    out = tmp_path / "alerts.jsonl"
    args = ["--home", str(home), "rescreen", "--out", str(out), "--workers", "1"]
    result = CliRunner().invoke(app, [*args, "--engine", engine_name])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(_essentials(alert) for alert in lines) == expected
    again = CliRunner().invoke(app, [*args, "--engine", engine_name])
    assert again.exit_code == 0 and out.read_text(encoding="utf-8") == ""
