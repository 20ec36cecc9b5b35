"""The workspace: versioned, atomic list imports in the embedded DuckDB file."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdict.errors import BadInputError, ListNotFoundError, WorkspaceNotFoundError
from interdict.model import Entity
from interdict.readers.base import ListFile
from interdict.store import Workspace


def _source(tmp_path: Path, text: str = "x") -> Path:
    path = tmp_path / "list.bin"
    path.write_text(text)
    return path


def test_import_creates_versions_and_keeps_provenance(
    tmp_path: Path, small_list: list[Entity]
) -> None:
    with Workspace(tmp_path / "ws") as ws:
        first = ws.import_list(ListFile(small_list, "csv"), name="t", source=_source(tmp_path))
        second = ws.import_list(
            ListFile(small_list[:3], "csv"), name="t", source=_source(tmp_path, "y")
        )
        assert (first.version, second.version) == (1, 2)
        assert [v.version for v in ws.versions("t")] == [2, 1]
        assert ws.version("t").version == 2
        loaded = list(ws.entities())
        assert len(loaded) == 3
        provenance = loaded[0].provenance
        assert provenance is not None
        assert (provenance.list_name, provenance.list_version) == ("t", 2)
        assert provenance.file_sha256 == second.file_sha256 != first.file_sha256


def test_failed_import_leaves_previous_version(tmp_path: Path, small_list: list[Entity]) -> None:
    with Workspace(tmp_path / "ws") as ws:
        ws.import_list(ListFile(small_list, "csv"), name="t", source=_source(tmp_path))
        duplicated = ListFile([small_list[0], small_list[0]], "csv")
        with pytest.raises(BadInputError, match="share the id"):
            ws.import_list(duplicated, name="t", source=_source(tmp_path))
        with pytest.raises(BadInputError, match="no entities"):
            ws.import_list(ListFile([], "csv"), name="t", source=_source(tmp_path))
        assert [v.version for v in ws.versions("t")] == [1]
        assert len(list(ws.entities())) == len(small_list)


def test_state_survives_reopening(tmp_path: Path, small_list: list[Entity]) -> None:
    with Workspace(tmp_path / "ws") as ws:
        ws.import_list(ListFile(small_list, "csv"), name="t", source=_source(tmp_path))
    with Workspace(tmp_path / "ws", read_only=True) as ws:
        assert ws.version("t").entity_count == len(small_list)


def test_unknown_list_is_a_clear_error(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws, pytest.raises(ListNotFoundError, match="no list 'nope'"):
        list(ws.entities(["nope"]))


def test_reading_a_workspace_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    with pytest.raises(WorkspaceNotFoundError, match="no Interdict workspace") as caught:
        Workspace(missing, read_only=True)
    assert caught.value.where == str(missing)
    assert not missing.exists()


def test_a_missing_workspace_can_be_created_empty_on_request(tmp_path: Path) -> None:
    with Workspace(tmp_path / "new", read_only=True, create=True) as ws:
        assert ws.versions() == []


def test_a_workspace_killed_before_its_schema_reads_as_empty(tmp_path: Path) -> None:
    import duckdb

    home = tmp_path / "ws"
    home.mkdir()
    duckdb.connect(str(home / "interdict.duckdb")).close()  # the file, but no tables yet
    with Workspace(home, read_only=True) as ws:
        assert ws.versions() == [] and ws.active_versions() == []
        with pytest.raises(ListNotFoundError):
            ws.version("un")
    with Workspace(home) as ws:  # the next writer creates the schema
        assert ws.versions() == []
