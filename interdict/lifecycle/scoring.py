"""Score customers against a small index of changed entities, on all cores.

The candidate step is the screener's own (``ScreeningIndex.candidates`` over the changed
entities, every name it proposes), the scorer is the screener's pure function ``score_name``,
and the rarity weights are those of all loaded lists — so a rescreen alert has the score and
explanation that ``interdict screen`` gives the same customer against the same entity.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from interdict.model import Party
from interdict.names.tokens import Token, analyse_name
from interdict.screening.index import ScreeningIndex
from interdict.screening.scorer import Query, score_name
from interdict.screening.screener import compatible_schemas

__all__ = ["Hit", "query_for", "score_customers"]

PARALLEL_MIN = 4000
"""Fewer candidates than this are scored in-process (forking costs more than it saves)."""
CHUNK = 1000

Weight = Callable[[Token], float]


@dataclass(frozen=True, slots=True)
class Hit:
    """A customer (by position in the input) scoring at or above the threshold on an entity."""

    position: int
    entity: int
    """Index into ``ScreeningIndex.entities`` of the small index."""
    score: float
    matched_name: str
    explanation: tuple[str, ...]


def query_for(party: Party) -> Query:
    """The scorer's query for a party (as ``Screener.screen`` builds it)."""
    return Query(
        name=analyse_name(party.name),
        birth_date=party.birth_date,
        countries=party.countries,
        gender=party.gender,
        id_number=party.id_number,
    )


def _names(
    index: ScreeningIndex, party: Party, query: Query, shared: Sequence[int] | None
) -> list[int]:
    allowed = compatible_schemas(party.schema_)
    if shared is None:
        return index.candidates(query.name, len(index.names), allowed)
    return [
        n
        for n in sorted(shared)
        if allowed is None or index.entities[index.name_entity[n]].schema in allowed
    ]


def _score_one(
    index: ScreeningIndex,
    weight: Weight,
    threshold: float,
    position: int,
    item: tuple[str, Sequence[int] | None],
) -> list[Hit]:
    payload, shared = item
    party = Party.model_validate_json(payload)
    query = query_for(party)
    best: dict[int, Hit] = {}
    for name_index in _names(index, party, query, shared):
        scored = score_name(query, index.names[name_index], weight)
        entity = index.name_entity[name_index]
        current = best.get(entity)
        if scored.score < threshold or (current and current.score >= scored.score):
            continue
        best[entity] = Hit(
            position, entity, scored.score, index.displays[name_index], scored.explanation
        )
    return list(best.values())


_STATE: tuple[ScreeningIndex, Weight, float] | None = None


def _score_chunk(chunk: tuple[int, Sequence[tuple[str, Sequence[int] | None]]]) -> list[Hit]:
    assert _STATE is not None
    index, weight, threshold = _STATE
    start, items = chunk
    hits: list[Hit] = []
    for offset, item in enumerate(items):
        hits.extend(_score_one(index, weight, threshold, start + offset, item))
    return hits


def score_customers(
    index: ScreeningIndex,
    weight: Weight,
    payloads: Sequence[tuple[str, Sequence[int] | None]],
    *,
    threshold: float,
    workers: int | None = None,
) -> list[Hit]:
    """Hits of the customers on the index's entities, in input order.

    Each customer is its stored party JSON with, when known, the index's names its keys reach
    (else the screener's candidate step picks them).
    """
    global _STATE
    if not index.names or not payloads:
        return []
    _STATE = (index, weight, threshold)
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
