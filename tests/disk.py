"""A real small filesystem that can be filled up: a tmpfs mounted for one test.

Mounting needs root (or CAP_SYS_ADMIN); elsewhere the tests that need a full disk skip and
say why. ``fill`` takes every free byte with a filler file; removing it frees the space again.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PAGE = 4096
"""tmpfs hands out space in pages."""


@contextmanager
def small_disk(folder: Path, size: str = "1m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``folder`` for the duration of the block."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        reason = (mounted.stderr or mounted.stdout).strip() or f"exit {mounted.returncode}"
        pytest.skip(f"cannot mount a small tmpfs to fill up (needs root): {reason}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def fill(disk: Path) -> Path:
    """Write a filler file until the disk is full; returns it (unlink it to free the space)."""
    filler = disk / "filler"
    chunk = b"\0" * PAGE
    with filler.open("wb", buffering=0) as handle:
        while True:
            try:
                if handle.write(chunk) != len(chunk):
                    break
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
    return filler


def free(filler: Path) -> None:
    """Give the filler's space back."""
    os.unlink(filler)
