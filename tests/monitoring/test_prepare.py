"""The compact table every monitoring job queries."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pytest

from interdict.errors import BadInputError
from interdict.monitoring.prepare import prepare


def test_accounts_become_dense_ids(make_table: Callable[..., pa.Table]) -> None:
    prepared = prepare(make_table([("A", "B", 10, 0), ("B", "C", 5, 1.5)]))
    table = prepared.table
    assert table["row"].to_pylist() == [0, 1]
    assert table["ts"].to_pylist() == [1_704_067_200, 1_704_067_200 + 129_600]
    names = [prepared.account(i) for i in table["src"].to_pylist() + table["dst"].to_pylist()]
    assert names == ["A", "B", "B", "C"]
    assert table["country_to"].null_count == 2  # optional columns exist, empty


def test_missing_columns_are_refused() -> None:
    with pytest.raises(BadInputError, match="lacks column"):
        prepare(pa.table({"txn_id": ["1"]}))
