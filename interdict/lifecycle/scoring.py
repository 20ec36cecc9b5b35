"""Score customers against a small index of changed entities, on all cores.

The index is the screener's own, weighted as the index over all lists would be
(:meth:`ScreeningIndex.from_key_counts`); the candidate step is the screener's evidence filter
(:meth:`ScreeningIndex.reached`: a name must share ``evidence_share × threshold`` of the
customer's key weight), and the scoring is the screener's (:func:`best_per_entity`) — so a
rescreen alert has the score and explanation that ``interdict screen`` gives the same customer
against the same entity.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass

from interdict.model import Party
from interdict.screening.index import ScreeningIndex
from interdict.screening.screener import (
    Screener,
    best_per_entity,
    compatible_schemas,
    evidence_share,
)

__all__ = ["Hit", "score_customers"]

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


def _score_one(
    index: ScreeningIndex,
    threshold: float,
    position: int,
    item: tuple[str, Sequence[int] | None],
) -> list[Hit]:
    payload, shared = item
    party = Party.model_validate_json(payload)
    query = Screener.query(party)
    floor = evidence_share(query.name.script) * threshold
    reached, _ = index.reached(query.name, compatible_schemas(party.schema_), None, floor)
    names = [int(n) for n in reached]
    if shared is not None:
        wanted = set(shared)
        names = [n for n in names if n in wanted]
    best = best_per_entity(index, query, names, threshold)
    return [
        Hit(position, entity, scored.score, index.displays[name], scored.explanation)
        for entity, (name, scored) in best.items()
    ]


_STATE: tuple[ScreeningIndex, float] | None = None


def _score_chunk(chunk: tuple[int, Sequence[tuple[str, Sequence[int] | None]]]) -> list[Hit]:
    assert _STATE is not None
    index, threshold = _STATE
    start, items = chunk
    hits: list[Hit] = []
    for offset, item in enumerate(items):
        hits.extend(_score_one(index, threshold, start + offset, item))
    return hits


def score_customers(
    index: ScreeningIndex,
    payloads: Sequence[tuple[str, Sequence[int] | None]],
    *,
    threshold: float,
    workers: int | None = None,
) -> list[Hit]:
    """Hits of the customers on the index's entities, in input order.

    Each customer is its stored party JSON with, when known, the index's names its keys reach
    (else every name the evidence filter lets through is scored). ``index`` should weigh keys
    as the whole index does (:meth:`ScreeningIndex.from_key_counts`).
    """
    global _STATE
    if not index.names or not payloads:
        return []
    _STATE = (index, threshold)
    chunks = [(i, payloads[i : i + CHUNK]) for i in range(0, len(payloads), CHUNK)]
    count = workers or os.cpu_count() or 1
    try:
        if (
            count <= 1
            or len(payloads) < PARALLEL_MIN
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            return [hit for chunk in chunks for hit in _score_chunk(chunk)]
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return [hit for part in pool.imap(_score_chunk, chunks) for hit in part]
    finally:
        _STATE = None
