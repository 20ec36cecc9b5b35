"""Screening: index listed names, find candidates, score them with reasons.

Start at :class:`Screener`; the scoring itself is a pure function per registered matcher
(:mod:`interdict.screening.matchers`: ``name_v1`` is :func:`interdict.screening.scorer.score_name`).
"""

from interdict.screening.matchers import DEFAULT_MATCHER, MATCHERS, matcher_named
from interdict.screening.result import Match, ScreeningResult
from interdict.screening.scorer import DEFAULT_THRESHOLD
from interdict.screening.screener import Screener

MATCHER_VERSION = DEFAULT_MATCHER
"""The default matcher's name (kept for callers of the single-matcher API)."""

__all__ = [
    "DEFAULT_MATCHER",
    "DEFAULT_THRESHOLD",
    "MATCHERS",
    "MATCHER_VERSION",
    "Match",
    "Screener",
    "ScreeningResult",
    "matcher_named",
]
