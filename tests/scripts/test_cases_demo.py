"""``scripts/cases_demo.sh`` end to end on the shared data: every step it promises happens."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_cases_demo_runs_every_step(tmp_path: Path, shared_data: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "COLUMNS": "200"}
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "cases_demo.sh"), str(shared_data)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=1200,
        check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-3000:]
    assert "1 new alerts" in out
    assert "cannot approve it (four eyes)" in out
    assert "proposed by a.nurlanova, approved by b.karimov); case decided" in out
    assert "F-" in out and "frozen now" in out
    lines = out.splitlines()
    reports = [line for line in lines if " for CASE-0000" in line and "valid against" in line]
    assert len(reports) == 8, reports  # four FIU schemas × (activity report, transaction STR)
    queries = shared_data / "standards" / "iso20022" / "samples" / "auth-finnish-customs"
    answers = list((queries / "queries").glob("*.xml"))
    answered = " ".join(out.split()).count("(valid against auth.002.001.01)")
    assert answers and answered == len(answers)
    assert "audit trail intact" in out
    assert "the line's content does not match its hash" in out
    assert "the event's content does not match its hash" in out
    assert not list(tmp_path.glob("interdict-cases-demo.*"))  # the workspace is removed
