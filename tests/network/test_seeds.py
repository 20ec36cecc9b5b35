"""Seeds from account holders through the screening engine (skipped if it is not there)."""

from __future__ import annotations

import pytest

from interdict.network import seeds_from_accounts
from tests.conftest import person


def test_matching_holders_become_seeds() -> None:
    screening = pytest.importorskip("interdict.screening")
    screener = screening.Screener([person("QDi.999", "Abu Bakr al-Baghdadi", list_name="un")])
    seeds = seeds_from_accounts(
        [("ACC1", "Abu Bakr al Baghdadi"), ("ACC2", "Maria Schmidt"), ("ACC3", " ")], screener
    )
    assert list(seeds) == ["ACC1"]
    [seed] = seeds["ACC1"]
    assert seed.list_name == "un" and seed.source_id == "QDi.999" and 0 < seed.score <= 1
