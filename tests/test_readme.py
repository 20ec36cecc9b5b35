"""The README's examples, run as printed: the 30-second tour, "Looking things up", the Python
snippet.

They run in a fresh folder laid out like a clone: ``examples/`` and ``.venv`` are the project's,
and ``../shared/data`` holds the small fixture lists under the file names the README prints (or
is the real data folder, in the slow variant). A command that names an entity only the real
lists hold is skipped with its reason when the fixtures stand in.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FIXTURES = ROOT / "tests" / "fixtures" / "lists"
SHARED_LISTS = "../shared/data/lists/"
FIXTURE_FOR = {
    "un/": FIXTURES / "un" / "un_sample.xml",
    "ofac": FIXTURES / "ofac" / "csv_set",
    "uk/": FIXTURES / "uk" / "ofsi_conlist_2018.csv",
}
"""The fixture standing in for each shared-data path the README names, by its list folder."""
REAL_ONLY = re.compile(r"\bun:QDi\.372\b")
"""Entities of the real UN list that the fixture list does not hold."""


def section(title: str) -> str:
    """The README's text under the heading ``title``, up to the next heading."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#)", text, re.MULTILINE | re.DOTALL)
    assert match, f"README.md has no section {title!r}"
    return match.group(1)


def blocks(text: str, language: str) -> list[str]:
    """The fenced code blocks of ``language`` in ``text``."""
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def commands(block: str) -> list[str]:
    """One shell command per line, without blank lines."""
    return [line for line in block.splitlines() if line.strip()]


def shared_paths(lines: list[str]) -> list[str]:
    return [path for line in lines for path in re.findall(r"\.\./shared/data/\S+", line)]


def clone_like(folder: Path, data: Path | None) -> Path:
    """A working folder like a clone, beside a ``shared/data`` (the real one, or fixtures)."""
    work = folder / "clone"
    work.mkdir()
    (work / ".venv").symlink_to(Path(sys.prefix))
    shutil.copytree(ROOT / "examples", work / "examples")
    if data is not None:
        (folder / "shared").mkdir()
        (folder / "shared" / "data").symlink_to(data)
        return work
    tour = commands(blocks(section("30-second tour"), "bash")[0])
    for printed in shared_paths(tour):
        relative = printed.removeprefix(SHARED_LISTS)
        fixture = next((f for k, f in FIXTURE_FOR.items() if relative.startswith(k)), None)
        if fixture is None:
            pytest.skip(f"the README's {printed} needs the shared data (no fixture for it)")
        target = work / printed
        target.parent.mkdir(parents=True, exist_ok=True)
        if fixture.is_dir():
            shutil.copytree(fixture, target)
        else:
            shutil.copyfile(fixture, target)
    return work


def run_shell(work: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``lines`` as one bash script in ``work``, stopping at the first failing command."""
    script = "set -eo pipefail\ntrap 'echo \"FAILED: $BASH_COMMAND\" >&2' ERR\n" + "\n".join(lines)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("INTERDICT_")}
    return subprocess.run(
        ["bash", "-c", script],
        cwd=work,
        capture_output=True,
        text=True,
        env={**environment, "COLUMNS": "200"},
        timeout=1200,
        check=False,
    )


def tour_then_lookups(work: Path, *, real: bool) -> None:
    tour = commands(blocks(section("30-second tour"), "bash")[0])
    lookups = commands(blocks(section("Looking things up"), "bash")[0])
    if not real:
        lookups = [line for line in lookups if not REAL_ONLY.search(line)]
    done = run_shell(work, tour + lookups)
    assert done.returncode == 0, done.stderr[-3000:]
    customers = (work / "examples" / "customers.csv").read_text(encoding="utf-8")
    records = len(customers.strip().splitlines()) - 1
    assert len((work / "results.jsonl").read_text(encoding="utf-8").splitlines()) == records
    (snippet,) = blocks(section("30-second tour"), "python")
    ran = subprocess.run(
        [str(work / ".venv" / "bin" / "python"), "-c", snippet],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]


def test_the_readme_tour_runs_as_printed_on_the_fixture_lists(tmp_path: Path) -> None:
    tour_then_lookups(clone_like(tmp_path, None), real=False)


@pytest.mark.slow
def test_the_readme_tour_runs_as_printed_on_the_real_lists(tmp_path: Path) -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (only CI and developers have it)")
    tour_then_lookups(clone_like(tmp_path, SHARED_DATA), real=True)


def test_the_python_snippet_refuses_a_folder_without_a_workspace(tmp_path: Path) -> None:
    (snippet,) = blocks(section("30-second tour"), "python")
    ran = subprocess.run(
        [sys.executable, "-c", snippet],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.returncode != 0
    assert "no Interdict workspace" in ran.stderr
    assert not (tmp_path / ".interdict").exists()


def curl_commands(text: str) -> list[str]:
    """The README's ``curl`` commands, continuation lines joined."""
    joined = text.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("curl ")]


def test_every_readme_curl_with_a_body_names_its_content_type() -> None:
    body = re.compile(r"\s(-d|--data\S*)\s")
    sent = [c for c in curl_commands(README.read_text(encoding="utf-8")) if body.search(c)]
    assert sent, "the README shows no curl request with a body"
    untyped = [c for c in sent if "content-type:" not in c.lower()]
    assert not untyped, f"curl sends application/x-www-form-urlencoded (refused, 415): {untyped}"
