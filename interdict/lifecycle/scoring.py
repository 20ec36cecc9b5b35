"""Score customers against a small index of changed entities, on all cores.

The index is the screener's own, weighted as the index over all lists would be
(:meth:`ScreeningIndex.from_key_counts`); the candidate step is the screener's evidence filter
(:meth:`ScreeningIndex.reached`: a name must share ``evidence_share`` of the customer's key
weight, whatever the threshold), and the scoring is the screener's (:func:`best_per_entity`) — so a
rescreen alert has the score and explanation that ``interdict screen`` gives the same customer
against the same entity. Customers whose stored name keys show they cannot pass that filter
(:class:`~interdict.lifecycle.keys.EvidenceBound`) are dropped before they are parsed.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from interdict.lifecycle.keys import EvidenceBound
from interdict.model import Party
from interdict.names.normalize import clean_name, detect_script, readings
from interdict.screening.index import ScreeningIndex
from interdict.screening.matchers import ScoreAbove, matcher_named
from interdict.screening.scorer import Scored
from interdict.screening.screener import (
    Screener,
    best_per_entity,
    compatible_schemas,
    displayed_reading,
    evidence_share,
)

__all__ = ["Candidate", "Hit", "score_customers"]

PARALLEL_MIN = 4000
"""Fewer candidates than this are scored in-process (forking costs more than it saves)."""
CHUNK = 1000


@dataclass(frozen=True, slots=True)
class Hit:
    """A customer (by position in the input) scoring at or above the threshold on an entity."""

    position: int
    entity: int
    """Index into ``ScreeningIndex.entities`` of the small index."""
    score: float
    matched_name: str
    explanation: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A customer to score against the small index."""

    payload: str
    """The stored party JSON."""
    names: Sequence[int] | None = None
    """The index names its keys reach (``None``: not known, every name is tried)."""
    name: str = ""
    keys: Collection[str] | None = None
    """Its stored name keys: with ``names``, they bound its evidence before any parsing."""


def _score_one(
    state: _State,
    position: int,
    candidate: Candidate,
) -> list[Hit] | None:
    """The customer's hits, or ``None`` when its keys show it cannot pass the evidence filter."""
    index, bound, threshold, score_above = state
    shared = candidate.names
    overridden = len(readings(candidate.name)) > 1
    if shared is not None and candidate.keys is not None and not overridden:
        # Stored keys are those of the name as stored: a displayed reading has other keys.
        share = evidence_share(detect_script(clean_name(candidate.name)))
        if not bound.may_pass(candidate.keys, shared, share):
            return None
    party = Party.model_validate_json(candidate.payload)
    best: dict[int, tuple[int, Scored]] = {}
    for reading in readings(party.name):
        query = Screener.query(party.model_copy(update={"name": reading}))
        share = evidence_share(query.name.script)
        reached, _ = index.reached(query.name, compatible_schemas(party.schema_), None, share)
        names = [int(n) for n in reached]
        if shared is not None:
            wanted = set(shared)
            names = [n for n in names if n in wanted]
        for entity, (name, scored) in best_per_entity(
            index, query, names, threshold, score_above
        ).items():
            if reading != party.name:
                scored = displayed_reading(scored)
            if entity not in best or scored.score > best[entity][1].score:
                best[entity] = (name, scored)
    return [
        Hit(position, entity, scored.score, index.displays[name], scored.explanation)
        for entity, (name, scored) in best.items()
    ]


_State = tuple[ScreeningIndex, EvidenceBound, float, ScoreAbove]
"""What every worker scores with: index, evidence bound, threshold, the matcher's scorer."""
_STATE: _State | None = None


def _score_chunk(chunk: tuple[int, Sequence[Candidate]]) -> tuple[list[Hit], int]:
    assert _STATE is not None
    start, candidates = chunk
    hits: list[Hit] = []
    scored = 0
    for offset, candidate in enumerate(candidates):
        found = _score_one(_STATE, start + offset, candidate)
        if found is not None:
            hits.extend(found)
            scored += 1
    return hits, scored


def score_customers(
    index: ScreeningIndex,
    candidates: Sequence[Candidate],
    *,
    threshold: float,
    workers: int | None = None,
    matcher: str | None = None,
) -> tuple[list[Hit], int]:
    """Hits of the customers on the index's entities, in input order, and how many customers
    were scored (the others could not pass the screener's evidence filter).

    ``index`` should weigh keys as the whole index does (:meth:`ScreeningIndex.from_key_counts`);
    ``matcher`` names the registered matcher that scores (default: the registry's default).
    """
    global _STATE
    if not index.names or not candidates:
        return [], 0
    _STATE = (index, EvidenceBound(index), threshold, matcher_named(matcher).score_above)
    chunks = [(i, candidates[i : i + CHUNK]) for i in range(0, len(candidates), CHUNK)]
    count = workers or os.cpu_count() or 1
    try:
        if (
            count <= 1
            or len(candidates) < PARALLEL_MIN
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            parts = [_score_chunk(chunk) for chunk in chunks]
        else:
            with multiprocessing.get_context("fork").Pool(count) as pool:
                parts = list(pool.imap(_score_chunk, chunks))
    finally:
        _STATE = None
    return [hit for hits, _ in parts for hit in hits], sum(scored for _, scored in parts)
