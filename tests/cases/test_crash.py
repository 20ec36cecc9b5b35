"""``kill -9`` at any point of case operations leaves every case and the chain consistent."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from interdict.cases import CaseStore
from interdict.store import Workspace
from interdict.store.alert_sources import keep_alerts, screening_alert
from interdict.store.trail import Trail, verify_trail
from tests.cases.conftest import MATCH, PARTY, seed

WORKER = """
import sys
from pathlib import Path
from interdict.cases import CaseStore, ProposalVerdict, approve, propose
from interdict.store import Workspace
from interdict.store.alert_sources import AlertFilter, list_alerts
from interdict.store.trail import Trail

home = Path(sys.argv[1])
with Workspace(home) as ws:
    store = CaseStore(ws, Trail(ws, home / "service" / "audit.jsonl"))
    print("ready", flush=True)
    for alert in list_alerts(ws, AlertFilter(status="open")):
        if alert["case_id"]:
            continue
        case_id = store.open([alert["alert_id"]], analyst="ana")
        store.comment(case_id, "looked at it", analyst="aud")
        propose(store, case_id, ProposalVerdict.TRUE_MATCH, "same person", analyst="ana")
        approve(store, case_id, analyst="bob")
"""


def _consistent(home: Path) -> None:
    with Workspace(home) as workspace:
        trail = Trail(workspace, home / "service" / "audit.jsonl")
        trail.flush()  # what the next command does first
        check = verify_trail(workspace, trail.path)
        assert check.ok, check
        assert check.pending == 0
        with workspace.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT c.case_id, c.events, c.head, c.status,"
                " (SELECT count(*) FROM case_events e WHERE e.case_id = c.case_id),"
                " (SELECT count(*) FROM freezes f JOIN alerts a USING (alert_id)"
                "  WHERE a.case_id = c.case_id)"
                " FROM cases c"
            ).fetchall()
        for _case_id, events, head, status, stored, freezes in rows:
            assert events == stored
            assert head != "0" * 64
            assert (status in ("proposed", "decided")) == (freezes == 1)
        CaseStore(workspace, trail).all()


def test_kill_during_case_operations(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    seed(home)
    with Workspace(home) as workspace:
        more = [
            screening_alert({**PARTY, "id": f"C{n}"}, MATCH, matcher="name_v1", where="x.csv")
            for n in range(100, 160)
        ]
        keep_alerts(workspace, more, job="more")
    for delay in (0.05, 0.3, 0.6, 0.9, 1.3, 2.0):
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(home)], stdout=subprocess.PIPE, text=True
        )
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        time.sleep(delay)  # where the kill lands, not a timed assertion
        worker.kill()
        worker.wait()
        worker.stdout.close()
        _consistent(home)
