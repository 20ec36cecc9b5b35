"""A match that scores ≥ T is returned at threshold T (issue 9): what the screener scores does
not depend on the threshold. Over real list names (UN + OFAC + UK), for ``Screener.screen``
and payment screening; the CLI, rescreen and service faces have their own such tests."""

from __future__ import annotations

import pytest

from interdict.model import Party
from interdict.readers.payments import read_payment
from interdict.screening import DEFAULT_THRESHOLD
from interdict.screening.messages import BicIndex, screen_payments
from tests.real_lists import (
    HIGH,
    LOW,
    REGRESSIONS,
    at_least,
    pacs008,
    real_entities,
    real_screener,
    sample_names,
)

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def _screened(threshold: float) -> dict[str, list[tuple[str, float]]]:
    screener = real_screener()
    return {
        name: [
            (m.entity_id, m.score)
            for m in screener.screen(Party(id="q", name=name), threshold=threshold).matches
        ]
        for name in sample_names()
    }


def test_every_match_scoring_the_threshold_is_returned_at_it() -> None:
    low, high = _screened(LOW), _screened(HIGH)
    assert at_least(low) == at_least(high)
    # Not vacuous: the sample has many matches, and some between the two thresholds.
    assert sum(map(len, at_least(high).values())) >= 500
    assert any(score < HIGH for matches in low.values() for _, score in matches)


@pytest.mark.parametrize("query", sorted(REGRESSIONS))
def test_records_the_evidence_filter_dropped_are_found_at_the_default(query: str) -> None:
    entity_id, score = REGRESSIONS[query]
    result = real_screener().screen(Party(id="q", name=query), threshold=DEFAULT_THRESHOLD)
    found = {m.entity_id: m.score for m in result.matches}
    assert found.get(entity_id) == pytest.approx(score, abs=0.001)


def test_payment_screening_returns_at_the_threshold_what_scores_it() -> None:
    messages = read_payment(pacs008(sample_names()), "test.xml", "xml")
    screener, bics = real_screener(), BicIndex(list(real_entities()))

    def screened(threshold: float) -> dict[str, list[tuple[str, float]]]:
        result = screen_payments(messages, screener, bics, threshold=threshold)
        return {p.id: [(m.entity_id, m.score) for m in r.matches] for p, r in result.parties if r}

    high = at_least(screened(HIGH))
    assert at_least(screened(LOW)) == high
    debtors = [p for p in messages[0].parties if p.party and p.party.name == "CHO IL U"]
    assert debtors and "ofac:19791" in high[debtors[0].id]
