"""The two binary messages the answering side sends, and their hostile-input readers.

Both sides treat what the other sends as hostile: every reader checks the magic, the counts
against the length, and the limits, and raises :class:`~interdict.errors.BadInputError`.

* identifier tags ``IXT1``: count, then per identifier a 16-byte tag of its evaluated value
  and the 8-byte opaque reference of the customer holding it;
* name filters ``IXN1``: count, words per filter, number of block keys, then the references,
  the filters, each record's number of block keys, and the block keys.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from interdict.errors import BadInputError

__all__ = [
    "REF_BYTES",
    "TAG_BYTES",
    "NameFilters",
    "dump_filters",
    "dump_tags",
    "identifier_tag",
    "read_filters",
    "read_tags",
]

TAG_BYTES = 16
REF_BYTES = 8
_TAGS = struct.Struct("<4sI")
_NAMES = struct.Struct("<4sIHI")
MAX_RECORDS = 5_000_000
MAX_WORDS = 64


def identifier_tag(value: bytes, exchange_id: str) -> bytes:
    """The tag both sides compute from an evaluated identifier: bound to the exchange."""
    return hashlib.blake2b(
        b"id-tag\x1f" + value, key=exchange_id.encode()[:64], digest_size=TAG_BYTES
    ).digest()


def dump_tags(tags: list[tuple[bytes, bytes]]) -> bytes:
    """``IXT1`` message of (tag, reference) pairs."""
    return _TAGS.pack(b"IXT1", len(tags)) + b"".join(t + r for t, r in tags)


def read_tags(data: bytes) -> dict[bytes, bytes]:
    """tag → reference from an ``IXT1`` message."""
    if len(data) < _TAGS.size:
        raise BadInputError("the peer's identifier tags are cut off", where="peer answer")
    magic, count = _TAGS.unpack_from(data)
    size = TAG_BYTES + REF_BYTES
    if magic != b"IXT1" or count > MAX_RECORDS or len(data) != _TAGS.size + count * size:
        raise BadInputError("the peer's identifier tags are malformed", where="peer answer")
    body = memoryview(data)[_TAGS.size :]
    return {
        bytes(body[i * size : i * size + TAG_BYTES]): bytes(
            body[i * size + TAG_BYTES : (i + 1) * size]
        )
        for i in range(count)
    }


@dataclass
class NameFilters:
    """The answering side's encoded records: references, filters and block keys."""

    refs: list[bytes]
    filters: npt.NDArray[np.uint64]
    blocks: list[list[bytes]]


def dump_filters(records: NameFilters) -> bytes:
    """``IXN1`` message."""
    count, words = records.filters.shape if records.filters.size else (len(records.refs), 0)
    counts = bytes(len(b) for b in records.blocks)
    keys = b"".join(k for block in records.blocks for k in block)
    header = _NAMES.pack(b"IXN1", count, words, len(keys) // 8)
    return (
        header
        + b"".join(records.refs)
        + np.ascontiguousarray(records.filters, dtype="<u8").tobytes()
        + counts
        + keys
    )


def read_filters(data: bytes, *, words: int) -> NameFilters:
    """The records of an ``IXN1`` message whose filters are ``words`` 64-bit words long."""
    bad = BadInputError("the peer's name filters are malformed", where="peer answer")
    if len(data) < _NAMES.size:
        raise bad
    magic, count, sent_words, total = _NAMES.unpack_from(data)
    if magic != b"IXN1" or count > MAX_RECORDS or (count and sent_words != words):
        raise bad
    if words > MAX_WORDS:
        raise bad
    start = _NAMES.size
    ends = (count * REF_BYTES, count * words * 8, count, total * 8)
    if len(data) != start + sum(ends):
        raise bad
    refs = [data[start + i * REF_BYTES : start + (i + 1) * REF_BYTES] for i in range(count)]
    start += ends[0]
    filters = np.frombuffer(data, dtype="<u8", count=count * words, offset=start).reshape(
        count, words
    )
    start += ends[1]
    counts = data[start : start + count]
    start += count
    if sum(counts) != total:
        raise bad
    blocks: list[list[bytes]] = []
    for n in counts:
        blocks.append([data[start + j * 8 : start + (j + 1) * 8] for j in range(n)])
        start += n * 8
    return NameFilters(refs, filters.astype(np.uint64), blocks)
