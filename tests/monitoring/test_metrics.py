"""Minority-class metrics against hand-computed values and their invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.monitoring.metrics import average_precision, best_threshold, f1_at, temporal_split


def test_f1_at_threshold() -> None:
    labels = np.array([1, 0, 1, 0, 1])
    scores = np.array([0.9, 0.8, 0.7, 0.2, 0.1])
    result = f1_at(labels, scores, 0.5)
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(2 / 3)


def test_best_threshold_picks_the_best_cut() -> None:
    labels = np.array([1, 1, 0, 0, 1, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.1])
    best = best_threshold(labels, scores)
    assert best.threshold == pytest.approx(0.8)  # two of two flagged right: F1 0.8
    assert best.f1 == pytest.approx(0.8)


def test_average_precision_known_value() -> None:
    labels = np.array([1, 0, 1, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.1])
    assert average_precision(labels, scores) == pytest.approx((1.0 + 2 / 3) / 2)
    assert average_precision(np.array([0, 0]), np.array([0.1, 0.2])) == 0.0


def test_temporal_split_keeps_time_order() -> None:
    stamps = np.array([5, 1, 4, 2, 3, 9, 8, 7, 6, 0])
    first, second = temporal_split(stamps, (0.6, 0.4))
    assert len(first) == 6 and len(second) == 4
    assert stamps[first].max() < stamps[second].min()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.floats(0, 1, allow_nan=False)), min_size=1, max_size=40)
)
def test_best_threshold_beats_every_other_cut(pairs: list[tuple[bool, float]]) -> None:
    labels = np.array([int(label) for label, _score in pairs])
    scores = np.array([score for _label, score in pairs])
    best = best_threshold(labels, scores)
    assert 0.0 <= average_precision(labels, scores) <= 1.0
    for cut in scores:
        assert f1_at(labels, scores, float(cut)).f1 <= best.f1 + 1e-12
    if best.f1 > 0:
        assert f1_at(labels, scores, best.threshold).f1 == pytest.approx(best.f1)
