"""Hand-built transaction tables for the monitoring tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa
import pytest

from interdict.model.transaction import transaction_schema

START = datetime(2024, 1, 1, tzinfo=UTC)

Payment = tuple[str, str, float, float] | tuple[str, str, float, float, dict[str, Any]]
"""(from, to, amount, day offset from 2024-01-01 [, extra canonical columns])."""


def _extra(payment: Sequence[Any]) -> dict[str, Any]:
    return dict(payment[4]) if len(payment) == 5 else {}


def build(payments: Sequence[Payment], currency: str = "EUR") -> pa.Table:
    """A canonical table: txn ids t1, t2 … in the order given."""
    extras = sorted({key for p in payments for key in _extra(p)})
    columns: dict[str, list[Any]] = {
        "txn_id": [],
        "timestamp": [],
        "from_account": [],
        "to_account": [],
        "amount": [],
        "currency": [],
        **{key: [] for key in extras},
    }
    for i, payment in enumerate(payments, start=1):
        extra = _extra(payment)
        columns["txn_id"].append(f"t{i}")
        columns["timestamp"].append(START + timedelta(days=payment[3]))
        columns["from_account"].append(payment[0])
        columns["to_account"].append(payment[1])
        columns["amount"].append(float(payment[2]))
        columns["currency"].append(currency)
        for key in extras:
            columns[key].append(extra.get(key))
    schema = transaction_schema(extras)
    return pa.table([columns[f.name] for f in schema], schema=schema)


@pytest.fixture
def make_table() -> Callable[..., pa.Table]:
    """Build a canonical table from ``(from, to, amount, day[, extras])`` tuples."""
    return build
