"""The lifecycle commands end to end in real subprocesses: update, diff, customers, rescreen,
decisions, rollback — on the real UN update of 2026-02-27."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.runner import interdict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lifecycle"


def _ok(home: Path, *args: str) -> str:
    done = interdict(home, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _snapshot(tmp_path: Path, shared_data: Path, day: str) -> Path:
    folder = tmp_path / day
    folder.mkdir()
    name = f"un_consolidated_{day}.xml"
    shutil.copyfile(shared_data / "lists" / "un" / name, folder / name)
    return folder


@pytest.mark.slow
def test_un_update_to_alert_to_decision_to_release(tmp_path: Path, shared_data: Path) -> None:
    home = tmp_path / "ws"
    older = _snapshot(tmp_path, shared_data, "2026-01-28")
    newer = _snapshot(tmp_path, shared_data, "2026-02-27")
    assert "imported" in _ok(home, "lists", "update", "--from", str(older))
    assert "40 customers" in _ok(home, "customers", "import", str(FIXTURES / "customers.csv"))
    first = tmp_path / "first.jsonl"
    _ok(home, "rescreen", "--out", str(first))
    assert first.read_text(encoding="utf-8") == ""

    assert "imported" in _ok(home, "lists", "update", "--from", str(newer))
    diff = json.loads(_ok(home, "lists", "diff", "un", "--json"))
    assert diff["summary"] == {"added": 4, "removed": 0, "changed": 0}
    assert [e["source_id"] for e in diff["added"]] == ["SDi.007", "SDi.008", "SDi.009", "SDi.010"]
    assert "SDi.010" in _ok(home, "lists", "diff", "un", "1", "2")

    alerts_file = tmp_path / "alerts.jsonl"
    _ok(home, "rescreen", "--out", str(alerts_file))
    (alert,) = [json.loads(line) for line in alerts_file.read_text(encoding="utf-8").splitlines()]
    assert (alert["customer_id"], alert["list"], alert["source_id"]) == ("C022", "un", "SDi.008")
    assert alert["kind"] == "alert" and alert["score"] >= 0.8 and alert["explanation"]
    assert alert["cause"]["list"] == "un" and alert["cause"]["change"] == "added"

    _ok(home, "analysts", "add", "a.nurlanova", "--role", "analyst")
    recorded = _ok(
        home,
        "decisions",
        "record",
        alert["alert_id"],
        "--verdict",
        "true_match",
        "--reason",
        "date of birth and nationality confirmed",
        "--analyst",
        "a.nurlanova",
    )
    assert "freeze record" in recorded
    (exported,) = [json.loads(line) for line in _ok(home, "decisions", "export").splitlines()]
    assert exported["analyst"] == "a.nurlanova" and exported["verdict"] == "true_match"
    assert exported["reason"] == "date of birth and nationality confirmed"
    assert exported["decided_at"].endswith("Z") and exported["source_id"] == "SDi.008"
    assert "C022" in _ok(home, "decisions", "freezes")

    assert "version 1 active again" in _ok(home, "lists", "rollback", "un")
    releases = tmp_path / "releases.jsonl"
    _ok(home, "rescreen", "--out", str(releases))
    (release,) = [json.loads(line) for line in releases.read_text(encoding="utf-8").splitlines()]
    assert release["kind"] == "release" and release["source_id"] == "SDi.008"
    assert release["cause"]["change"] == "removed"
    assert "C022" not in _ok(home, "decisions", "freezes")


def test_clear_errors(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    listed = tmp_path / "list.csv"
    listed.write_text("id,name\nT1,Ali Hassan\n", encoding="utf-8")
    _ok(home, "lists", "import", str(listed), "--format", "csv", "--name", "t")
    done = interdict(home, "lists", "rollback", "t")
    assert done.returncode == 4 and "no earlier version" in done.stderr
    done = interdict(home, "rescreen")
    assert done.returncode == 4 and "customers import" in done.stderr
    _ok(home, "analysts", "add", "y", "--role", "analyst")
    done = interdict(
        home,
        "decisions",
        "record",
        "A-0",
        "--verdict",
        "false_positive",
        "--reason",
        "x",
        "--analyst",
        "y",
    )
    assert done.returncode == 3 and "no alert" in done.stderr
    done = interdict(home, "lists", "update", "--from", str(tmp_path / "missing"))
    assert done.returncode == 2 and "not a folder" in done.stderr


def test_customer_import_reports_broken_rows(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    customers = tmp_path / "c.csv"
    customers.write_text("id,name,birth_date\nK1,Ali Hassan,1975\nK2,,1980\nK1,Dup,1970\n")
    done = interdict(home, "customers", "import", str(customers))
    assert done.returncode == 0, done.stderr
    assert "1 customers" in done.stdout and "2 rows skipped" in done.stdout
    assert "line 3" in done.stderr and "repeats line 2" in done.stderr


def _sources(tmp_path: Path, url: str) -> Path:
    table = tmp_path / "sources.yaml"
    table.write_text(
        "lists:\n  t:\n    format: csv\n    files:\n"
        f"      - url: {url}\n        save_as: t.csv\n        match: ['t*.csv']\n",
        encoding="utf-8",
    )
    return table


def test_update_exit_codes_tell_a_cron_job_the_list_is_stale(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    # Nothing listens on port 9 of the loopback: every download fails.
    sources = _sources(tmp_path, "http://127.0.0.1:9/t.csv")
    failed = interdict(home, "lists", "update", "--sources", str(sources))
    assert failed.returncode == 1, failed.stdout
    assert "failed" in failed.stdout
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "t.csv").write_text("id,name\nT1,\n", encoding="utf-8")  # no name: refused
    refused = interdict(
        home, "lists", "update", "--sources", str(sources), "--from", str(downloads)
    )
    assert refused.returncode == 2, refused.stdout
    assert "refused" in refused.stdout
    (downloads / "t.csv").write_text("id,name\nT1,Ali Hassan\n", encoding="utf-8")
    imported = interdict(
        home, "lists", "update", "--sources", str(sources), "--from", str(downloads)
    )
    assert imported.returncode == 0, imported.stdout


def test_import_of_an_older_snapshot_is_refused_unless_allowed(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    sample = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "un" / "un_sample.xml"
    text = sample.read_text(encoding="utf-8")
    older = tmp_path / "un_older.xml"
    older_text = text.replace('dateGenerated="2026-02-27', 'dateGenerated="2026-01-27')
    # An older snapshot differs in content too (same content is "unchanged", whatever the date).
    older.write_text(
        older_text.replace("<FIRST_NAME>RUSLAN</FIRST_NAME>", "<FIRST_NAME>RUSLAM</FIRST_NAME>")
    )
    _ok(home, "lists", "import", str(sample), "--format", "un", "--name", "un")
    refused = interdict(home, "lists", "import", str(older), "--format", "un", "--name", "un")
    assert refused.returncode == 4
    assert "published 2026-01-27" in refused.stderr and "--allow-older" in refused.stderr
    listing = json.loads(_ok(home, "lists", "ls", "--json"))
    assert [(v["list"], v["version"]) for v in listing] == [("un", 1)]
    _ok(home, "lists", "import", str(older), "--format", "un", "--name", "un", "--allow-older")
    assert json.loads(_ok(home, "lists", "ls", "--json"))[0]["version"] == 2


def test_importing_the_same_content_again_adds_no_version(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    sample = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "un" / "un_sample.xml"
    copy = tmp_path / "un_copy.xml"  # another file, same content: the same rule as 'update'
    copy.write_text(sample.read_text(encoding="utf-8").replace("\n", "\r\n", 1))
    _ok(home, "lists", "import", str(sample), "--format", "un", "--name", "un")
    again = _ok(home, "lists", "import", str(sample), "--format", "un", "--name", "un")
    assert "un unchanged" in again and "same content as version 1" in again
    copied = _ok(home, "lists", "import", str(copy), "--format", "un", "--name", "un")
    assert "unchanged" in copied
    listing = json.loads(_ok(home, "lists", "ls", "--json"))
    assert [(v["list"], v["version"]) for v in listing] == [("un", 1)]
