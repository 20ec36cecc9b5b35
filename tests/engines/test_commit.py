"""Staged outputs: nothing appears under the target's name until the job has finished."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdict.engines.commit import LocalFileSystem, StagedOutput, is_uri
from interdict.errors import InterdictError


class JobFailed(RuntimeError):
    """Stands for anything that stops a job half-way."""


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_file_appears_only_at_commit(tmp_path: Path) -> None:
    target = tmp_path / "out" / "results.jsonl"
    with StagedOutput(target) as staging:
        Path(staging).write_text("half")
        assert not target.exists()
        assert Path(staging).name.startswith(".results.jsonl.staging-")
        Path(staging).write_text("whole\n")
    assert target.read_text() == "whole\n"
    assert _siblings(target.parent) == ["results.jsonl"]


def test_failed_job_leaves_the_previous_output(tmp_path: Path) -> None:
    target = tmp_path / "results.jsonl"
    target.write_text("previous\n")
    with pytest.raises(JobFailed), StagedOutput(target) as staging:
        Path(staging).write_text("half")
        raise JobFailed("executor lost")
    assert target.read_text() == "previous\n"
    assert _siblings(tmp_path) == ["results.jsonl"]


def test_folder_replaces_the_previous_folder(tmp_path: Path) -> None:
    target = tmp_path / "results"
    target.mkdir()
    (target / "old.parquet").write_text("old")
    with StagedOutput(target) as staging:
        Path(staging).mkdir()
        (Path(staging) / "part-0.parquet").write_text("new")
        (Path(staging) / "_SUCCESS").touch()
    assert sorted(p.name for p in target.iterdir()) == ["_SUCCESS", "part-0.parquet"]
    assert _siblings(tmp_path) == ["results"]


def test_failed_folder_job_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "results"
    with pytest.raises(JobFailed), StagedOutput(str(target) + "/") as staging:
        Path(staging).mkdir()
        (Path(staging) / "part-0.parquet").write_text("partial")
        raise JobFailed("bad input")
    assert _siblings(tmp_path) == []


def test_a_job_that_wrote_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InterdictError, match="wrote no output"), StagedOutput(tmp_path / "x"):
        pass
    assert _siblings(tmp_path) == []


class _BrokenRename(LocalFileSystem):
    def rename(self, source: str, target: str) -> None:
        if ".staging-" in source:
            raise OSError("disk vanished")
        super().rename(source, target)


def test_failed_rename_restores_the_previous_folder(tmp_path: Path) -> None:
    target = tmp_path / "results"
    target.mkdir()
    (target / "old").write_text("old")
    with (
        pytest.raises(OSError, match="disk vanished"),
        StagedOutput(target, _BrokenRename()) as staging,
    ):
        Path(staging).mkdir()
    assert (target / "old").read_text() == "old"
    assert _siblings(tmp_path) == ["results"]


@pytest.mark.parametrize(
    "location, uri",
    [
        ("s3a://bucket/x", True),
        ("hdfs://nn:8020/x", True),
        ("file:/tmp/x", True),
        ("/tmp/x", False),
        ("relative/x.jsonl", False),
        ("C:\\data\\x", False),
    ],
)
def test_is_uri(location: str, uri: bool) -> None:
    assert is_uri(location) is uri


def test_uri_targets_stage_beside_the_target() -> None:
    staged = StagedOutput("s3a://bucket/run/results", LocalFileSystem())
    assert staged.staging.startswith("s3a://bucket/run/.results.staging-")
