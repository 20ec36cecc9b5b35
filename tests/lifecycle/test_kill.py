"""Reliability with real ``kill -9``: imports, customer imports, updates and rescreens.

Each test runs the real command in a subprocess, stops it at a chosen step (inside the
database transaction) or after a delay, kills it with SIGKILL, then checks that the previous
state is intact and that the next run completes without duplicates.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interdict.store import AlertStore, CustomerStore, Workspace
from tests.runner import DRIVER, environment, interdict

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lifecycle"

PAUSE = """
import importlib, sys, time
module_name, attribute = sys.argv[1], sys.argv[2]
del sys.argv[1:3]
owner_name, method_name = attribute.split(".")
owner = getattr(importlib.import_module(module_name), owner_name)
original = getattr(owner, method_name)
def paused(*args, **kwargs):
    result = original(*args, **kwargs)
    print("PAUSED", flush=True)
    time.sleep(600)
    return result
static = isinstance(owner.__dict__[method_name], staticmethod)
setattr(owner, method_name, staticmethod(paused) if static else paused)
"""


def _kill_at(home: Path, where: tuple[str, str], *args: str) -> None:
    """Run ``interdict ARGS`` until it reaches ``where`` (module, Class.method), then kill -9."""
    argv = [sys.executable, "-c", PAUSE + DRIVER, *where, *args]
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(home)
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip() == "PAUSED", process.stderr.read() if process.stderr else line
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL


def _csv_list(path: Path, count: int) -> Path:
    rows = "".join(f"T{i},Listed Person{i} Rahmonov\n" for i in range(count))
    path.write_text("id,name\n" + rows, encoding="utf-8")
    return path


def test_kill_inside_a_list_import_keeps_the_previous_version(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    first, second = _csv_list(tmp_path / "a.csv", 5), _csv_list(tmp_path / "b.csv", 8)
    done = interdict(home, "lists", "import", str(first), "--format", "csv", "--name", "t")
    assert done.returncode == 0, done.stderr
    where = ("interdict.store.workspace", "Workspace._insert_entities")
    _kill_at(home, where, "lists", "import", str(second), "--format", "csv", "--name", "t")
    with Workspace(home, read_only=True) as ws:
        assert [(v.version, v.active, v.entity_count) for v in ws.versions("t")] == [(1, True, 5)]
        assert len(list(ws.entities())) == 5
    done = interdict(home, "lists", "import", str(second), "--format", "csv", "--name", "t")
    assert done.returncode == 0 and "version 2" in done.stdout, done.stderr


def test_kill_inside_a_customer_import_keeps_the_previous_base(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    first = FIXTURES / "customers.csv"
    done = interdict(home, "customers", "import", str(first), "--workers", "1")
    assert done.returncode == 0, done.stderr
    changed = tmp_path / "changed.csv"
    lines = first.read_text(encoding="utf-8").splitlines()
    changed.write_text("\n".join([*lines[:-5], "C999,Bakyt Toktosunov,1990,KG,male,"]) + "\n")
    where = ("interdict.store.customers", "CustomerStore._close_rows")
    _kill_at(home, where, "customers", "import", str(changed), "--workers", "1")
    with Workspace(home, read_only=True) as ws:
        store = CustomerStore(ws)
        assert [v.version for v in store.versions()] == [1]
        assert store.count_current() == 40
    done = interdict(home, "customers", "import", str(changed), "--workers", "1")
    assert done.returncode == 0 and "version 2" in done.stdout, done.stderr


def test_kill_inside_a_rescreen_then_rerun_raises_each_alert_once(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    listed = tmp_path / "list.csv"
    listed.write_text("id,name\nT1,Abdelrahim Hamdan Dagalo\nT2,Some Other Person\n")
    done = interdict(home, "lists", "import", str(listed), "--format", "csv", "--name", "t")
    assert done.returncode == 0, done.stderr
    assert interdict(home, "customers", "import", str(FIXTURES / "customers.csv")).returncode == 0
    where = ("interdict.store.alerts", "AlertStore._insert")
    _kill_at(home, where, "rescreen", "--workers", "1")
    with Workspace(home, read_only=True) as ws:
        assert AlertStore(ws).all() == [] and AlertStore(ws).screened_versions() == {}
    out = tmp_path / "alerts.jsonl"
    done = interdict(home, "rescreen", "--out", str(out), "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    done = interdict(home, "rescreen", "--out", str(out), "--workers", "1")
    assert done.returncode == 0 and out.read_text(encoding="utf-8") == ""
    with Workspace(home, read_only=True) as ws:
        assert len(AlertStore(ws).all()) == 1


@pytest.mark.parametrize("delay", [0.3, 1.5, 3.0, 5.0])
def test_kill_during_an_update_at_any_moment(
    tmp_path: Path, shared_data: Path, delay: float
) -> None:
    home = tmp_path / "ws"
    folder = shared_data / "lists" / "un"
    argv = [sys.executable, "-c", DRIVER, "lists", "update", "--from", str(folder)]
    with subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment(home)
    ) as process:
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    if (home / "interdict.duckdb").exists():
        with Workspace(home, read_only=True) as ws:
            for version in ws.versions("un") if ws.versions() else []:
                stored = sum(1 for _ in ws.version_entities("un", version.version))
                assert stored == version.entity_count
            assert len([v for v in ws.versions() if v.active]) <= 1
    done = interdict(home, "lists", "update", "--from", str(folder))
    assert done.returncode in (0, 2), done.stderr
    with Workspace(home, read_only=True) as ws:
        versions = sorted((v.version, v.entity_count) for v in ws.versions("un"))
        assert versions == [(1, 999), (2, 1003)]
        assert ws.version("un").version == 2


def test_two_updates_at_once_do_not_corrupt(tmp_path: Path, shared_data: Path) -> None:
    home = tmp_path / "ws"
    folder = str(shared_data / "lists" / "un")
    argv = [sys.executable, "-c", DRIVER, "lists", "update", "--from", folder]
    processes = [
        subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(home)
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in processes]
    for code, _out, err in results:
        # Each either completes, finds the work done, or says clearly that the other holds it.
        assert code in (0, 2, 4), err
        assert code != 4 or "in use by another Interdict process" in err
    with Workspace(home, read_only=True) as ws:
        assert sorted((v.version, v.entity_count) for v in ws.versions("un")) == [
            (1, 999),
            (2, 1003),
        ]


def _alerted_workspace(tmp_path: Path) -> Path:
    """A workspace whose first rescreen raises one alert (on 'Abdelrahim Hamdan Dagalo')."""
    home = tmp_path / "ws"
    listed = tmp_path / "list.csv"
    listed.write_text("id,name\nT1,Abdelrahim Hamdan Dagalo\nT2,Some Other Person\n")
    done = interdict(home, "lists", "import", str(listed), "--format", "csv", "--name", "t")
    assert done.returncode == 0, done.stderr
    assert interdict(home, "customers", "import", str(FIXTURES / "customers.csv")).returncode == 0
    return home


def _alert_ids(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["alert_id"] for line in lines]


def test_kill_after_the_out_file_is_written_does_not_deliver_again(tmp_path: Path) -> None:
    home = _alerted_workspace(tmp_path)
    out = tmp_path / "alerts.jsonl"
    where = ("interdict.engines.commit", "LocalFileSystem.rename")  # --out is in place
    _kill_at(home, where, "rescreen", "--out", str(out), "--workers", "1")
    delivered = _alert_ids(out)
    assert len(delivered) == 1
    again = tmp_path / "again.jsonl"
    done = interdict(home, "rescreen", "--out", str(again), "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert _alert_ids(again) == []  # the rerun does not deliver the same alert again
    with Workspace(home, read_only=True) as ws:
        assert AlertStore(ws).all(undelivered_only=True) == []
        assert [a.alert_id for a in AlertStore(ws).all()] == delivered


def test_kill_before_the_out_file_is_in_place_delivers_on_the_rerun(tmp_path: Path) -> None:
    home = _alerted_workspace(tmp_path)
    out = tmp_path / "alerts.jsonl"
    where = ("interdict.store.deliveries", "Deliveries.begin")  # recorded, not yet renamed
    _kill_at(home, where, "rescreen", "--out", str(out), "--workers", "1")
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if ".staging-" in p.name] != []
    done = interdict(home, "rescreen", "--out", str(out), "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert len(_alert_ids(out)) == 1  # not lost: delivered once, by the rerun
    assert [p.name for p in tmp_path.iterdir() if ".staging-" in p.name] == []
