"""What one screened case came to, for either matcher, and the figures computed from many.

Each case is screened once with no threshold; recall and alert rates at any threshold are then
read off the recorded scores:

- **recall@t**: share of positive cases whose true entity was returned with a score ≥ t;
- **alert rate@t**: share of cases for which any entity scored ≥ t (on negatives: false alerts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from benchmarks.screening.cases import Case
from interdict.screening import Screener

__all__ = ["RESULT_LIMIT", "Outcome", "alert_rate", "recall", "run_ours", "threshold_for_alerts"]

RESULT_LIMIT = 20
"""Matches kept per query (the true entity counts as found if it is among them at ≥ t)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """Best score of a true entity (0 when absent), best score of any entity, and which."""

    truth_score: float
    top_score: float
    top_id: str = ""
    top_name: str = ""


def run_ours(
    screener: Screener, cases: Sequence[Case], *, with_attributes: bool, workers: int
) -> list[Outcome]:
    """Screen every case with our screener (threshold 0, :data:`RESULT_LIMIT` matches)."""
    parties = (case.query.party(with_attributes=with_attributes) for case in cases)
    results = screener.screen_many(parties, threshold=0.0, limit=RESULT_LIMIT, workers=workers)
    outcomes: list[Outcome] = []
    for case, result in zip(cases, results, strict=True):
        truth = [m.score for m in result.matches if m.entity_id in case.truth]
        top = result.matches[0] if result.matches else None
        outcomes.append(
            Outcome(
                truth_score=max(truth, default=0.0),
                top_score=top.score if top else 0.0,
                top_id=top.entity_id if top else "",
                top_name=top.matched_name if top else "",
            )
        )
    return outcomes


def recall(outcomes: Iterable[Outcome], threshold: float) -> float:
    """Share of positive cases whose true entity scored at least ``threshold``."""
    values = [o.truth_score >= threshold for o in outcomes]
    return sum(values) / len(values) if values else float("nan")


def alert_rate(outcomes: Iterable[Outcome], threshold: float) -> float:
    """Share of cases with any match scoring at least ``threshold``."""
    values = [o.top_score >= threshold for o in outcomes]
    return sum(values) / len(values) if values else float("nan")


def threshold_for_alerts(negatives: Sequence[Outcome], rate: float) -> float:
    """The lowest threshold (step 0.01) at which at most ``rate`` of ``negatives`` alert."""
    for step in range(0, 101):
        threshold = step / 100
        if alert_rate(negatives, threshold) <= rate:
            return threshold
    return 1.0
