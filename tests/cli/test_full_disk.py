"""A full disk during a command: one clear line and a non-zero exit, nothing half written,
and the same command succeeds once space is freed. On a real small tmpfs (needs root)."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.disk import fill, free, small_disk
from tests.runner import interdict

PARTIES = Path(__file__).resolve().parents[1] / "fixtures" / "parties"


def test_customers_import_on_a_full_disk_ends_with_one_line(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", size="8m") as disk:
        home = disk / "ws"
        first = interdict(home, "customers", "import", str(PARTIES / "customers.jsonl"))
        assert first.returncode == 0, first.stderr
        filler = fill(disk)
        full = interdict(home, "customers", "import", str(PARTIES / "customers.csv"))
        assert full.returncode == 1
        assert "Traceback" not in full.stderr
        lines = full.stderr.strip().splitlines()
        assert len(lines) == 1, full.stderr
        assert "No space left on device" in lines[0] and "free disk space" in lines[0]
        free(filler)
        again = interdict(home, "customers", "import", str(PARTIES / "customers.csv"))
        assert again.returncode == 0, again.stderr
        assert "imported customer version 2" in again.stdout


def test_the_workspace_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    done = interdict(home, "customers", "import", str(PARTIES / "customers.csv"))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE((home / "interdict.duckdb").stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) & 0o077 == 0
