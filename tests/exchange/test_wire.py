"""The binary messages: they round-trip, and any bytes are read or refused, never a crash."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.exchange.wire import NameFilters, dump_filters, dump_tags, read_filters, read_tags


def test_tags_round_trip() -> None:
    pairs = [(bytes([i]) * 16, bytes([i + 1]) * 8) for i in range(5)]
    assert read_tags(dump_tags(pairs)) == dict(pairs)


def test_filters_round_trip() -> None:
    filters = np.arange(12, dtype=np.uint64).reshape(3, 4)
    sent = NameFilters([b"a" * 8, b"b" * 8, b"c" * 8], filters, [[b"k" * 8], [], [b"l" * 8] * 2])
    got = read_filters(dump_filters(sent), words=4)
    assert got.refs == sent.refs
    assert got.blocks == sent.blocks
    assert (got.filters == filters).all()


def test_a_filter_length_other_than_agreed_is_refused() -> None:
    sent = NameFilters([b"a" * 8], np.zeros((1, 4), dtype=np.uint64), [[]])
    with pytest.raises(BadInputError):
        read_filters(dump_filters(sent), words=8)


@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused(data: bytes) -> None:
    for reader in (read_tags, lambda d: read_filters(d, words=4)):
        with contextlib.suppress(BadInputError):
            reader(data)
