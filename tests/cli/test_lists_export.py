"""``interdict lists export NAME --format ftm``: FollowTheMoney JSON lines that 'lists import
--format ftm' reads back as the same entities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interdict.model import Entity
from interdict.model.ftm import FTM_PROPERTIES
from interdict.store import Workspace
from tests.runner import interdict

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


def stored(home: Path, name: str, version: int) -> list[dict[str, object]]:
    with Workspace(home, read_only=True) as workspace:
        entities: list[Entity] = list(workspace.version_entities(name, version))
    return [e.model_dump(exclude={"provenance"}) for e in entities]


@pytest.mark.parametrize(
    ("fmt", "source"),
    [("un", LISTS / "un" / "un_sample.xml"), ("ofac", LISTS / "ofac" / "sdn_list.xml")],
)
def test_export_then_import_gives_the_same_entities(tmp_path: Path, fmt: str, source: Path) -> None:
    home = tmp_path / "ws"
    done = interdict(home, "lists", "import", str(source), "--format", fmt, "--name", fmt)
    assert done.returncode == 0, done.stderr
    out = tmp_path / f"{fmt}.ftm.json"
    exported = interdict(home, "lists", "export", fmt, "--format", "ftm", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(stored(home, fmt, 1))
    assert all(line["id"].startswith(f"{fmt}:") and line["datasets"] == [fmt] for line in lines)
    assert all(set(line["properties"]) <= FTM_PROPERTIES[line["schema"]] for line in lines)
    copy = interdict(home, "lists", "import", str(out), "--format", "ftm", "--name", "copy")
    assert copy.returncode == 0, copy.stderr
    assert stored(home, "copy", 1) == stored(home, fmt, 1)
    # Read back under its own name, it is the active version's content: nothing new to import.
    again = interdict(home, "lists", "import", str(out), "--format", "ftm", "--name", fmt)
    assert again.returncode == 0, again.stderr
    assert "unchanged" in again.stdout + again.stderr


def test_export_of_an_older_version_to_stdout(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    first = LISTS / "uk" / "ofsi_conlist_2018.csv"
    second = LISTS / "uk" / "ofsi_conlist_2025.csv"
    for source in (first, second):
        done = interdict(home, "lists", "import", str(source), "-f", "uk", "-n", "uk")
        assert done.returncode == 0, done.stderr
    old = interdict(home, "lists", "export", "uk", "--version", "1", "-f", "ftm", "--out", "-")
    assert old.returncode == 0, old.stderr
    ids = {json.loads(line)["id"].removeprefix("uk:") for line in old.stdout.splitlines()}
    assert ids == {e["source_id"] for e in stored(home, "uk", 1)}
    assert ids != {e["source_id"] for e in stored(home, "uk", 2)}


def test_export_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    source = LISTS / "un" / "un_sample.xml"
    assert interdict(home, "lists", "import", str(source), "-f", "un", "-n", "un").returncode == 0
    out = str(tmp_path / "x.json")
    wrong = interdict(home, "lists", "export", "un", "--format", "csv", "--out", out)
    assert wrong.returncode != 0 and "ftm" in wrong.stderr
    missing = interdict(home, "lists", "export", "nope", "--format", "ftm", "--out", out)
    assert missing.returncode != 0 and "no list 'nope'" in missing.stderr
    assert "Traceback" not in wrong.stderr + missing.stderr
    assert not Path(out).exists()
