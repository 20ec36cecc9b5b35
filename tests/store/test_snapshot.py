"""The list snapshot: list readers keep working while another process writes the workspace."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from interdict.errors import ConflictError
from interdict.model import Entity
from interdict.readers.base import ListFile
from interdict.store import Workspace
from interdict.store.snapshot import publish, snapshot_path

HOLD = """
import sys, time
from pathlib import Path
from interdict.store import Workspace
with Workspace(Path(sys.argv[1])):
    print("held", flush=True)
    release = Path(sys.argv[2])
    while not release.exists():
        time.sleep(0.05)
"""


def _import(home: Path, entities: list[Entity], tmp_path: Path, text: str) -> None:
    source = tmp_path / f"list-{text}.csv"
    source.write_text(text)
    with Workspace(home) as ws:
        ws.import_list(ListFile(entities, "csv"), name="t", source=source)


class Writer:
    """Another process holding the workspace open for writing until released."""

    def __init__(self, home: Path, tmp_path: Path) -> None:
        self.release = tmp_path / "release"
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(home), str(self.release)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "held"

    def stop(self) -> None:
        self.release.touch()
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def writer(tmp_path: Path, small_list: list[Entity]) -> Iterator[Writer]:
    home = tmp_path / "ws"
    _import(home, small_list, tmp_path, "a")
    held = Writer(home, tmp_path)
    yield held
    held.stop()


def test_a_writer_publishes_the_lists_it_opens_with(
    tmp_path: Path, small_list: list[Entity]
) -> None:
    home = tmp_path / "ws"
    with Workspace(home):
        assert not snapshot_path(home).exists()  # no lists: nothing to publish
    _import(home, small_list, tmp_path, "a")
    with Workspace(home) as ws:
        assert snapshot_path(home).exists()
        assert publish(ws.db, home) is False  # unchanged lists: no second copy
    _import(home, small_list[:2], tmp_path, "b")
    with Workspace(home) as ws:
        assert publish(ws.db, home) is False  # refreshed when this writer opened
    assert snapshot_path(home).stat().st_mode & 0o777 == 0o600


def test_list_readers_read_the_snapshot_while_a_writer_holds_the_workspace(
    tmp_path: Path, small_list: list[Entity], writer: Writer
) -> None:
    home = tmp_path / "ws"
    started = time.monotonic()
    with Workspace(home, read_only=True, lists_only=True) as ws:
        assert ws.from_snapshot
        assert [(v.list_name, v.version) for v in ws.active_versions()] == [("t", 1)]
        assert len(list(ws.entities())) == len(small_list)
        first = small_list[0]
        assert ws.entity(f"t:{first.source_id}").names == first.names
    # It did not wait for the writer (which holds on until released).
    assert writer.process.poll() is None
    assert time.monotonic() - started < 10


def test_readers_of_more_than_lists_still_wait_for_the_writer(
    tmp_path: Path, writer: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import interdict.store.workspace as workspace_module

    real_connect = workspace_module._connect
    monkeypatch.setattr(
        workspace_module,
        "_connect",
        lambda path, read_only, wait=0.5: real_connect(path, read_only, wait=min(wait, 0.5)),
    )
    with pytest.raises(ConflictError, match="in use by another Interdict process"):
        Workspace(tmp_path / "ws", read_only=True)


def test_without_a_snapshot_list_readers_wait_as_before(
    tmp_path: Path, writer: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "ws"
    snapshot_path(home).unlink()
    import interdict.store.workspace as workspace_module

    monkeypatch.setattr(workspace_module, "LOCK_WAIT_SECONDS", 0.5)
    with pytest.raises(ConflictError):
        Workspace(home, read_only=True, lists_only=True)
