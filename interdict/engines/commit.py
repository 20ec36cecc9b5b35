"""Output commits for batch jobs: write to a staging location, rename into place at the end.

A batch job that fails half-way (a bad input file, an executor lost, the machine stopped) must
not leave anything under the output's name that looks complete. :class:`StagedOutput` hands
the job a hidden sibling of the target (``.NAME.staging-TOKEN``: Spark and Hadoop skip names
that start with a dot), and only when the job finishes without error renames it to the target,
replacing an earlier output. On error the staging location is deleted and the error goes on.

Renames go through a :class:`FileSystem`: :class:`LocalFileSystem` for paths on this machine,
or the Spark engine's Hadoop file system for shared storage (HDFS, S3, ABFS, GCS). On a local
disk and on HDFS a rename is atomic; on object stores it is a copy, but the target still only
appears once the staged data is complete.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import uuid
from pathlib import Path
from types import TracebackType
from typing import Protocol

from interdict.errors import InterdictError

__all__ = ["FileSystem", "LocalFileSystem", "StagedOutput", "is_uri"]

log = logging.getLogger(__name__)

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def is_uri(location: str) -> bool:
    """Whether ``location`` names a scheme (``s3a://…``, ``hdfs://…``, ``file:/…``)."""
    return bool(_SCHEME.match(location)) and not _WINDOWS_DRIVE.match(location)


class FileSystem(Protocol):
    """The three operations a commit needs."""

    def exists(self, location: str) -> bool:
        """Whether ``location`` exists."""

    def rename(self, source: str, target: str) -> None:
        """Rename ``source`` to ``target`` (which does not exist)."""

    def delete(self, location: str) -> None:
        """Delete a file or folder; no error when absent."""


class LocalFileSystem:
    """Files and folders on this machine."""

    def exists(self, location: str) -> bool:
        return os.path.lexists(location)

    def rename(self, source: str, target: str) -> None:
        os.replace(source, target)

    def delete(self, location: str) -> None:
        if os.path.isdir(location) and not os.path.islink(location):
            shutil.rmtree(location, ignore_errors=True)
        elif os.path.lexists(location):
            os.remove(location)


def _sibling(target: str, label: str, token: str) -> str:
    head, _, name = target.rstrip("/").rpartition("/")
    hidden = f".{name}.{label}-{token}"
    return f"{head}/{hidden}" if head or target.startswith("/") else hidden


class StagedOutput:
    """Stage an output and commit it by rename; never leave a half-written output in place.

    >>> with StagedOutput("out/results.jsonl") as staging:  # doctest: +SKIP
    ...     Path(staging).write_text("...")
    """

    def __init__(self, target: str | Path, filesystem: FileSystem | None = None) -> None:
        self.target = str(target).rstrip("/") or "/"
        self.filesystem: FileSystem = filesystem or LocalFileSystem()
        self.token = uuid.uuid4().hex[:12]
        self.staging = _sibling(self.target, "staging", self.token)
        self.committed = False

    def __enter__(self) -> str:
        if not is_uri(self.target):
            Path(self.target).parent.mkdir(parents=True, exist_ok=True)
        return self.staging

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            if not self.committed:  # the block may commit itself, at the moment it chooses
                self.commit()
        else:
            self.abort()

    def commit(self) -> None:
        """Move the staged output to the target, replacing an earlier output."""
        fs = self.filesystem
        if not fs.exists(self.staging):
            raise InterdictError("the job wrote no output", where=self.target)
        if isinstance(fs, LocalFileSystem) and not os.path.isdir(self.staging):
            fs.rename(self.staging, self.target)  # atomic, replaces a file in one step
            self.committed = True
            return
        aside = _sibling(self.target, "replaced", self.token) if fs.exists(self.target) else None
        if aside is not None:
            fs.rename(self.target, aside)
        try:
            fs.rename(self.staging, self.target)
        except (InterdictError, OSError):
            if aside is not None:
                fs.rename(aside, self.target)
            self.abort()
            raise
        self.committed = True
        if aside is not None:
            fs.delete(aside)

    def abort(self) -> None:
        """Delete whatever was staged (the target is left as it was)."""
        try:
            self.filesystem.delete(self.staging)
        except (InterdictError, OSError) as exc:
            log.warning("staged output not removed path=%s reason=%s", self.staging, exc)
