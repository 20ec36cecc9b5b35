"""Detection metrics for a rare positive class: F1 at a threshold, the best-F1 threshold, PR-AUC.

Plain numpy, so training, scoring and the benchmarks share one definition without pulling in a
machine-learning toolkit at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Scores", "average_precision", "best_threshold", "f1_at", "temporal_split"]


@dataclass(frozen=True)
class Scores:
    """Minority-class precision, recall and F1 at one threshold."""

    threshold: float
    precision: float
    recall: float
    f1: float


def f1_at(labels: np.ndarray, scores: np.ndarray, threshold: float) -> Scores:
    """Precision, recall and F1 of the positive class when flagging ``scores >= threshold``."""
    flagged = scores >= threshold
    positive = labels.astype(bool)
    tp = float(np.sum(flagged & positive))
    precision = tp / max(float(np.sum(flagged)), 1.0)
    recall = tp / max(float(np.sum(positive)), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return Scores(threshold, precision, recall, f1)


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> Scores:
    """The threshold among the observed scores that maximises positive-class F1."""
    order = np.argsort(-scores, kind="stable")
    ranked = scores[order]
    hits = labels[order].astype(bool)
    tp = np.cumsum(hits)
    # Only the last position of each run of tied scores is a reachable cut.
    cut = np.r_[ranked[1:] != ranked[:-1], True]
    flagged = np.arange(1, len(ranked) + 1)
    total = max(int(hits.sum()), 1)
    precision = tp / flagged
    recall = tp / total
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(tp > 0, 2 * precision * recall / (precision + recall), 0.0)
    f1 = np.where(cut, f1, -1.0)
    if len(f1) == 0 or float(f1.max()) <= 0:
        return Scores(1.0, 0.0, 0.0, 0.0)
    best = int(np.argmax(f1))
    return Scores(float(ranked[best]), float(precision[best]), float(recall[best]), float(f1[best]))


def average_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the precision-recall curve (average precision, step-wise, ties grouped)."""
    positive = labels.astype(bool)
    total = int(positive.sum())
    if total == 0:
        return 0.0
    order = np.argsort(-scores, kind="stable")
    ranked = scores[order]
    tp = np.cumsum(positive[order])
    last = np.r_[ranked[1:] != ranked[:-1], True]
    tp_at = tp[last]
    flagged_at = np.arange(1, len(ranked) + 1)[last]
    recall_steps = np.diff(np.r_[0, tp_at]) / total
    return float(np.sum(recall_steps * tp_at / flagged_at))


def temporal_split(timestamps: np.ndarray, fractions: tuple[float, ...]) -> list[np.ndarray]:
    """Row indices of consecutive time slices with the given fractions (stable for ties)."""
    order = np.argsort(timestamps, kind="stable")
    bounds = np.cumsum([0.0, *fractions])
    bounds = np.round(bounds / bounds[-1] * len(order)).astype(int)
    return [np.sort(order[bounds[i] : bounds[i + 1]]) for i in range(len(fractions))]
