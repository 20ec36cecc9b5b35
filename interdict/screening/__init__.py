"""Screening: index listed names, find candidates, score them with reasons.

Start at :class:`Screener`; the scoring itself is the pure function
:func:`interdict.screening.scorer.score_name` (matcher ``name_v1``).
"""

from interdict.screening.result import Match, ScreeningResult
from interdict.screening.scorer import DEFAULT_THRESHOLD, MATCHER_VERSION
from interdict.screening.screener import Screener

__all__ = ["DEFAULT_THRESHOLD", "MATCHER_VERSION", "Match", "Screener", "ScreeningResult"]
