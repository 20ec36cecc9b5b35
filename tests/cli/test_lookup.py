"""What an analyst looks up from the command line: one entity, a name in the lists, one name
screened, "why not" for a pair, ``--json`` on every listing, and every setting documented."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from tests.runner import interdict

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "cli"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("lookup") / "ws"
    done = interdict(
        home, "lists", "import", str(FIXTURES / "inhouse.csv"), "-f", "csv", "-n", "ih"
    )
    assert done.returncode == 0, done.stderr
    return home


def test_lists_show_prints_one_entity(home: Path) -> None:
    done = interdict(home, "lists", "show", "ih:IH-1")
    assert done.returncode == 0, done.stderr
    entity = json.loads(done.stdout)
    assert entity["entity_id"] == "ih:IH-1"
    assert "Шоҳрух Раҳмонов" in [n["full"] for n in entity["names"]]
    missing = interdict(home, "lists", "show", "ih:NOPE")
    assert missing.returncode == 3 and "lists search" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_lists_search_finds_a_name_in_another_script(home: Path) -> None:
    done = interdict(home, "lists", "search", "Шохрух Рахмонов", "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found[0]["entity_id"] == "ih:IH-1" and found[0]["score"] > 0.6


def test_screen_one_name(home: Path, tmp_path: Path) -> None:
    done = interdict(home, "screen", "--name", "Shokhrukh Rakhmonov", "-b", "1985")
    assert done.returncode == 0, done.stderr
    assert "ih:IH-1" in done.stdout and "year of birth 1985 agrees" in done.stdout
    line = interdict(home, "screen", "--name", "Shokhrukh Rakhmonov", "--out", "-")
    result = json.loads(line.stdout)
    assert result["matches"][0]["source_id"] == "IH-1" and result["matcher"]
    both = interdict(home, "screen", str(FIXTURES / "customers.csv"), "--name", "x")
    assert both.returncode == 2 and "not both" in both.stderr


def test_explain_gives_the_full_reasons_below_the_threshold(home: Path) -> None:
    done = interdict(home, "explain", "Shokhrukh Karimov", "ih:IH-1", "--json")
    assert done.returncode == 0, done.stderr
    match = json.loads(done.stdout)
    assert match["entity_id"] == "ih:IH-1" and 0 < match["score"] < 0.8
    assert any("karimov" in reason for reason in match["explanation"])
    screened = interdict(home, "screen", "--name", "Shokhrukh Karimov", "--out", "-")
    assert json.loads(screened.stdout)["matches"] == []  # not raised: explain says why


@pytest.mark.parametrize(
    "command",
    [("lists", "ls"), ("customers", "ls"), ("keys", "ls"), ("decisions", "freezes")],
)
def test_every_listing_has_json(home: Path, command: tuple[str, ...]) -> None:
    done = interdict(home, *command, "--json")
    assert done.returncode == 0, done.stderr
    assert isinstance(json.loads(done.stdout), list)


def test_short_options(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    args = ("screen", str(FIXTURES / "customers.csv"), "-o", str(out), "-t", "0.5", "-n", "1")
    done = interdict(home, *args, "-l", "ih", "-w", "1")
    assert done.returncode == 0, done.stderr
    assert all(len(json.loads(x)["matches"]) <= 1 for x in out.read_text().splitlines())


def _settings_doc() -> object:
    spec = importlib.util.spec_from_file_location("settings_doc", ROOT / "scripts/settings_doc.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_setting_is_documented_in_one_place() -> None:
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert page == _settings_doc().render(), "run: python scripts/settings_doc.py"  # type: ignore[attr-defined]
    used = {
        name
        for path in (ROOT / "interdict").rglob("*.py")
        for name in re.findall(r"INTERDICT_[A-Z0-9_]+", path.read_text(encoding="utf-8"))
    }
    assert used and all(f"`{name}`" in page for name in used)
