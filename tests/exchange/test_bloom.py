"""Hardened filters: equal features and salt give equal filters; the salt and the hardening
change them as documented; Dice lies in [0, 1] and is symmetric."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from interdict.exchange.bloom import Layout, dice_pairs, encode, fake_filters

VALUES = {f"s:{i}": hashlib.sha256(str(i).encode()).digest() for i in range(50)}


def _dice(layout: Layout, left: list[str], right: list[str], salts: tuple[bytes, bytes]) -> float:
    filters = encode([left, right], list(salts), VALUES, layout)
    return float(dice_pairs(filters, filters, np.array([0]), np.array([1]))[0])


@pytest.mark.parametrize("hardening", ["fold", "balance", "none"])
def test_same_features_and_year_are_the_same_filter(hardening: str) -> None:
    layout = Layout.fresh(hardening)
    assert _dice(layout, ["s:1", "s:2", "s:3"], ["s:3", "s:2", "s:1"], (b"1980", b"1980")) == 1.0


def test_another_birth_year_sets_other_bits() -> None:
    layout = Layout.fresh("none")
    assert _dice(layout, ["s:1", "s:2", "s:3"], ["s:1", "s:2", "s:3"], (b"1980", b"1981")) < 0.3


def test_similar_names_score_between_unrelated_and_equal() -> None:
    layout = Layout.fresh("fold")
    near = _dice(layout, ["s:1", "s:2", "s:3", "s:4"], ["s:1", "s:2", "s:3", "s:5"], (b"-", b"-"))
    far = _dice(layout, ["s:1", "s:2", "s:3", "s:4"], ["s:6", "s:7", "s:8", "s:9"], (b"-", b"-"))
    assert far < near < 1.0


def test_folding_halves_and_balancing_doubles_with_constant_weight() -> None:
    assert Layout(hardening="fold").words * 2 == Layout(hardening="none").words
    balanced = Layout.fresh("balance")
    filters = encode([["s:1"], ["s:1", "s:2", "s:3", "s:4", "s:5"]], [b"-", b"-"], VALUES, balanced)
    assert filters.shape[1] == balanced.words == 2 * Layout(hardening="none").words
    weights = np.bitwise_count(filters).sum(axis=1)
    assert weights[0] == weights[1] == balanced.bits


def test_decoys_have_the_asked_weight() -> None:
    layout = Layout()
    fakes = fake_filters(200, layout, 0.25)
    share = np.bitwise_count(fakes).sum() / fakes.size / 64
    assert 0.2 < share < 0.3


@given(
    st.lists(st.sampled_from(sorted(VALUES)), max_size=12),
    st.lists(st.sampled_from(sorted(VALUES)), max_size=12),
)
def test_dice_is_in_unit_range_and_symmetric(left: list[str], right: list[str]) -> None:
    layout = Layout(seed=b"\1" * 16)
    filters = encode([left, right], [b"-", b"-"], VALUES, layout)
    forward = dice_pairs(filters, filters, np.array([0]), np.array([1]))[0]
    backward = dice_pairs(filters, filters, np.array([1]), np.array([0]))[0]
    assert 0.0 <= forward <= 1.0
    assert forward == backward
