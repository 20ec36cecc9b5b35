""" "Why (not)": the full explanation of one party against one listed entity, at any score; and
a name searched in the lists (``interdict lists search``, the service's ``/search``).

Screening shows only candidates found by the index and scoring at or above the threshold; an
analyst asking why a given entity was not raised needs that pair scored in full. The entity's
names are scored with the same scorer and the same rarity weights as in screening.
"""

from __future__ import annotations

from interdict.errors import BadInputError, ListNotFoundError
from interdict.model import Party
from interdict.readers.parties import parse_party_fields
from interdict.screening.result import Match
from interdict.screening.scorer import Scored, score_name
from interdict.screening.screener import Screener

__all__ = ["SEARCH_THRESHOLD", "explain_pair", "search_name"]

SEARCH_THRESHOLD = 0.6
"""Lowest score a name search shows: lower than screening's, to find spellings to look at."""


def search_name(
    screener: Screener,
    name: str,
    *,
    threshold: float = SEARCH_THRESHOLD,
    limit: int = 20,
    lists: set[str] | None = None,
    where: str = "name",
) -> list[Match]:
    """Listed entities whose names resemble ``name`` (the screening matcher), best first."""
    row = parse_party_fields({"id": "search", "name": name}, 1)
    if row.party is None:
        raise BadInputError(str(row.error).removeprefix("line 1: "), where=where)
    return list(screener.screen(row.party, threshold=threshold, limit=limit, lists=lists).matches)


def explain_pair(screener: Screener, party: Party, entity_id: str) -> Match:
    """The best name of ``entity_id`` scored against ``party``, with every reason (threshold 0)."""
    index = screener.index
    position = next(
        (i for i, entity in enumerate(index.entities) if entity.entity_id == entity_id), None
    )
    if position is None:
        raise ListNotFoundError(
            f"no entity {entity_id!r} in the loaded lists",
            hint="write LIST:SOURCE_ID as in 'entity_id' of a result, or find it with"
            " 'interdict lists search NAME'",
        )
    query = screener.query(party)
    best: tuple[int, Scored] | None = None
    for name_index, owner in enumerate(index.name_entity):
        if owner != position:
            continue
        scored = score_name(query, index.names[name_index], index.token_weight)
        if best is None or scored.score > best[1].score:
            best = (name_index, scored)
    assert best is not None  # every indexed entity has a name
    entity = index.entities[position]
    return Match(
        list_name=entity.list_name,
        list_version=entity.list_version,
        source_id=entity.source_id,
        entity_id=entity.entity_id,
        schema=entity.schema.value,
        score=best[1].score,
        matched_name=index.displays[best[0]],
        explanation=best[1].explanation,
    )
