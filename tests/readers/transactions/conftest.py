"""Where the transaction fixtures live."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def fixtures() -> Path:
    """``tests/fixtures/transactions``."""
    return Path(__file__).resolve().parents[2] / "fixtures" / "transactions"
