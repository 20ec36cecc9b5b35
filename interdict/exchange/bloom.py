"""Hardened Bloom-filter encodings of names, and their comparison by Dice similarity.

A record's features (:mod:`interdict.exchange.features`) each come with a 32-byte secret value
that only the answering side can compute (the oblivious evaluation of the feature under the
exchange's key). Each feature sets :attr:`Layout.hashes` bits chosen by keyed BLAKE2b — key:
the feature's secret value, message: the record's salt (its birth year) — so the same name
sets different bits for a different birth year, and nobody without an evaluation can say
which bits a guessed name sets. Then the filter is hardened, by the agreed method:

* ``fold`` (XOR-folding, Schnell et al. 2016): the two halves are XOR-ed together, so a set
  bit no longer tells which feature set it;
* ``balance`` (balanced Bloom filters, Schnell et al. 2016): the filter is followed by its
  complement and the bits permuted by the exchange's seed: every filter has the same weight,
  so frequent names no longer stand out by their number of set bits.

Block keys (keyed BLAKE2b of a feature's value and the salt) let the comparing side compare
only records that share a feature and a birth year, never every pair.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["BLOCK_BYTES", "Layout", "dice_pairs", "encode", "fake_filters"]

BLOCK_BYTES = 8
HARDENING = ("fold", "balance", "none")


@dataclass(frozen=True)
class Layout:
    """How filters are built, agreed per exchange (sent by the answering side)."""

    bits: int = 1024
    """Length before hardening (a multiple of 128)."""
    hashes: int = 6
    hardening: str = "fold"
    seed: bytes = b"\0" * 16
    """Fresh per exchange: the permutation of ``balance``."""

    @property
    def words(self) -> int:
        """Length of a hardened filter in 64-bit words."""
        length = {"fold": self.bits // 2, "balance": self.bits * 2}.get(self.hardening, self.bits)
        return length // 64

    def to_dict(self) -> dict[str, object]:
        """JSON form."""
        return {
            "bits": self.bits,
            "hashes": self.hashes,
            "hardening": self.hardening,
            "seed": self.seed.hex(),
        }

    @classmethod
    def fresh(cls, hardening: str = "fold") -> Layout:
        """A layout with a new seed."""
        return cls(hardening=hardening, seed=secrets.token_bytes(16))


def _positions(value: bytes, salt: bytes, layout: Layout) -> list[int]:
    digest = hashlib.blake2b(salt, key=value, digest_size=4 * layout.hashes).digest()
    return [
        int.from_bytes(digest[i : i + 4], "little") % layout.bits for i in range(0, len(digest), 4)
    ]


def block_key(value: bytes, salt: bytes) -> bytes:
    """The block a feature puts a record in, for one salt."""
    return hashlib.blake2b(b"block\x1f" + salt, key=value, digest_size=BLOCK_BYTES).digest()


def encode(
    features: Sequence[Iterable[str]],
    salts: Sequence[bytes],
    values: Mapping[str, bytes],
    layout: Layout,
) -> npt.NDArray[np.uint64]:
    """Hardened filters, one row of :attr:`Layout.words` 64-bit words per record."""
    raw = np.zeros((len(features), layout.bits), dtype=np.bool_)
    for row, (names, salt) in enumerate(zip(features, salts, strict=True)):
        for feature in names:
            value = values.get(feature)
            if value is not None:
                raw[row, _positions(value, salt, layout)] = True
    if layout.hardening == "fold":
        half = layout.bits // 2
        raw = raw[:, :half] ^ raw[:, half:]
    elif layout.hardening == "balance":
        order = np.random.default_rng(int.from_bytes(layout.seed, "big")).permutation(
            2 * layout.bits
        )
        raw = np.concatenate([raw, ~raw], axis=1)[:, order]
    packed = np.ascontiguousarray(np.packbits(raw, axis=1, bitorder="little"))
    return packed.view(np.uint64).reshape(len(features), layout.words)


def fake_filters(count: int, layout: Layout, weight: float) -> npt.NDArray[np.uint64]:
    """Random filters of about the given share of set bits: decoys among the real ones."""
    rng = np.random.default_rng(secrets.randbits(64))
    bits = rng.random((count, layout.words * 64)) < weight
    packed = np.ascontiguousarray(np.packbits(bits, axis=1, bitorder="little"))
    return packed.view(np.uint64).reshape(count, -1)


def dice_pairs(
    left: npt.NDArray[np.uint64],
    right: npt.NDArray[np.uint64],
    pairs_left: npt.NDArray[np.int64],
    pairs_right: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """Dice similarity ``2|A∩B| / (|A|+|B|)`` of each pair of rows."""
    if not len(pairs_left):
        return np.zeros(0)
    a, b = left[pairs_left], right[pairs_right]
    common = np.bitwise_count(a & b).sum(axis=1, dtype=np.int64)
    total = np.bitwise_count(a).sum(axis=1, dtype=np.int64) + np.bitwise_count(b).sum(
        axis=1, dtype=np.int64
    )
    result: npt.NDArray[np.float64] = np.where(total > 0, 2.0 * common / np.maximum(total, 1), 0.0)
    return result
