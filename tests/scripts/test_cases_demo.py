"""``scripts/cases_demo.sh`` end to end on the shared data: every step it promises happens."""

from __future__ import annotations

import os
import re
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
    text = " ".join(out.split())  # rich wraps long lines
    assert "1 new alerts" in text
    assert "cannot approve it (four eyes)" in text
    assert "proposed by a.nurlanova, approved by b.karimov); case decided" in text
    assert "frozen now: F-" in text
    reports = re.findall(r"(STR|LTKM) for (CASE-\d+) valid against (\S+);", text)
    assert len(set(reports)) == 8, reports  # four FIU schemas × (activity report, transaction STR)
    queries = shared_data / "standards" / "iso20022" / "samples" / "auth-finnish-customs"
    answers = list((queries / "queries").glob("*.xml"))
    answered = text.count("(valid against auth.002.001.01)")
    assert answers and answered == len(answers)
    assert "audit trail intact" in text
    assert "the line's content does not match its hash" in text
    assert "the event's content does not match its hash" in text
    assert not list(tmp_path.glob("interdict-cases-demo.*"))  # the workspace is removed
