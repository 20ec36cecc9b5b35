"""The screening API: build an index over listed entities, screen parties one by one or in bulk."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace

from interdict.model import Entity, Party, Schema
from interdict.names.normalize import Script, readings
from interdict.names.tokens import NameAnalysis, analyse_name
from interdict.screening.index import ScreeningIndex
from interdict.screening.matchers import ScoreAbove, matcher_named
from interdict.screening.result import Match, ScreeningResult
from interdict.screening.scorer import (
    BOUND_SLACK,
    DEFAULT_THRESHOLD,
    MAX_RAISE,
    Query,
    Scored,
    score_name_above,
)
from interdict.screening.subjects import subjects

__all__ = [
    "Screener",
    "attribute_raise",
    "best_per_entity",
    "compatible_schemas",
    "displayed_reading",
    "evidence_share",
]

EVIDENCE_SHARE = {Script.LATIN: 0.2}
"""A candidate must share this fraction of the query's key weight to be scored, whatever the
threshold: what is scored never depends on the threshold, so a name scoring ≥ T is returned at
T just as at any lower threshold.

Names written in Latin letters share most of their keys with a true match; romanised Cyrillic
and vowelless Arabic-script names reach fewer of them, so they need less. Measured on the first
250 UN persons and the aliases of 100 against UN + OFAC + UK: of the names scoring ≥ 0.80, 2 %
share less than 0.2 of the query's key weight."""
EVIDENCE_SHARE_OTHER = 0.1
VERDICT_QUERIES = 1000
"""Query names whose distinct-name verdicts a screener remembers (then it starts afresh)."""

_COMPATIBLE: dict[Schema, set[Schema]] = {
    Schema.PERSON: {Schema.PERSON, Schema.LEGAL_ENTITY},
    Schema.ORGANIZATION: {Schema.ORGANIZATION, Schema.LEGAL_ENTITY},
    Schema.VESSEL: {Schema.VESSEL},
    Schema.AIRCRAFT: {Schema.AIRCRAFT},
    Schema.LEGAL_ENTITY: {Schema.PERSON, Schema.ORGANIZATION, Schema.LEGAL_ENTITY},
}


def compatible_schemas(schema: Schema | None) -> set[Schema] | None:
    """Listed schemas a party of ``schema`` may match; ``None`` means all (schema unknown)."""
    return None if schema is None else _COMPATIBLE[schema]


def evidence_share(script: Script) -> float:
    """The share of its key weight a query in ``script`` must meet in a name to be scored."""
    return EVIDENCE_SHARE.get(script, EVIDENCE_SHARE_OTHER)


def displayed_reading(scored: Scored) -> Scored:
    """``scored`` saying it was found on the name as displayed, not as stored."""
    reason = "name read as displayed: a bidi override reverses the stored letters"
    return replace(scored, explanation=(reason, *scored.explanation))


def attribute_raise(query: Query) -> float:
    """The most a query's attributes can multiply a name score by: 1 without a date of birth,
    country or identifier (gender only ever lowers a score), :data:`MAX_RAISE` with any."""
    if query.birth_date is None and not query.countries and not query.id_number:
        return 1.0
    return MAX_RAISE


def best_per_entity(
    index: ScreeningIndex,
    query: Query,
    names: Iterable[int],
    threshold: float,
    score_above: ScoreAbove = score_name_above,
    verdicts: dict[int, bool] | None = None,
) -> dict[int, tuple[int, Scored]]:
    """Entity → its best-scoring name among ``names`` (the first on ties) and that score,
    for every entity with a name among ``names`` scoring at least ``threshold`` with the
    matcher's ``score_above``.

    Exact, not a sample: the result is what scoring every name of ``names`` on its own gives.
    It is found faster in two passes. First each *distinct* name among ``names`` (many entities
    and lists share a name: :attr:`ScreeningIndex.distinct`) is scored once, as a strong name
    with no attributes, against the query's name alone, at ``threshold`` / :func:`attribute_raise`.
    Every registered matcher scores ``adjust(name score × weak-alias factor ≤ 1, attributes)``,
    where the attributes multiply a name score by at most :func:`attribute_raise`; so a name
    whose distinct form falls below that floor cannot reach ``threshold`` on any entity, and is
    skipped. The names left are scored in full, entity by entity. (The bound is a property of
    the matchers; ``tests/screening/test_threshold_independence.py`` checks it on real list
    names.) ``verdicts`` (distinct name → may reach) carries the first pass over to another
    query with the same name analysis, attributes raising it as much, and the same threshold.
    """
    raise_by = attribute_raise(query)
    floor = threshold / raise_by - BOUND_SLACK
    alone = Query(name=query.name)
    distinct, of_name = index.distinct, index.name_distinct
    weight = index.token_weight
    may_reach: dict[int, bool] = {} if verdicts is None else verdicts
    best: dict[int, tuple[int, Scored]] = {}
    for name_index in names:
        if floor > 0:
            shape = int(of_name[name_index])
            verdict = may_reach.get(shape)
            if verdict is None:
                verdict = score_above(alone, distinct[shape], weight, floor) is not None
                may_reach[shape] = verdict
            if not verdict:
                continue
        entity_index = index.name_entity[name_index]
        current = best.get(entity_index)
        # A name must beat the entity's best so far (ties keep the first), and the threshold.
        least = threshold if current is None else max(threshold, current[1].score)
        scored = score_above(query, index.names[name_index], weight, least)
        if scored is None or (current and current[1].score >= scored.score):
            continue
        best[entity_index] = (name_index, scored)
    return best


class Screener:
    """Screens parties against an in-memory index of listed entities.

    >>> screener = Screener(entities)           # doctest: +SKIP
    >>> screener.screen(Party(id="c1", name="Usama bin Ladin")).matches[0].source_id  # +SKIP
    """

    def __init__(self, entities: Iterable[Entity], *, matcher: str | None = None) -> None:
        self.matcher = matcher_named(matcher).name
        """The registered matcher that scores (recorded on every result)."""
        listed = list(entities)
        self.index = ScreeningIndex(listed)
        self.subjects = subjects(listed)
        """Entity id → the designee it is a listing of (one person's UN, UK, OFAC records)."""
        self._verdicts: dict[tuple[NameAnalysis, float], dict[int, bool]] = {}
        """Distinct-name verdicts by query name and floor: a batch repeats its names."""

    def __getstate__(self) -> dict[str, object]:
        """Pickled (to workers, Spark executors, a cache) without the remembered verdicts."""
        return {**self.__dict__, "_verdicts": {}}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update({"_verdicts": {}, **state})

    @property
    def score_above(self) -> ScoreAbove:
        """The matcher's scoring function (looked up by name: a pickled screener stays small)."""
        return matcher_named(self.matcher).score_above

    @property
    def list_versions(self) -> dict[str, int]:
        """The list versions this screener was built from."""
        return dict(self.index.list_versions)

    @staticmethod
    def query(party: Party) -> Query:
        """The scorer's query for a party: its name analysed, its attributes as given."""
        return Query(
            name=analyse_name(party.name),
            birth_date=party.birth_date,
            countries=party.countries,
            gender=party.gender,
            id_number=party.id_number,
        )

    def screen(
        self,
        party: Party,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
        lists: set[str] | None = None,
    ) -> ScreeningResult:
        """Matches for one party, best first: at most ``limit``, each scoring ≥ ``threshold``.

        What is guaranteed: every listed entity of an allowed schema and list with a name that
        passes the evidence filter (:meth:`ScreeningIndex.reached`, which does not depend on the
        threshold) and that the matcher scores ≥ ``threshold`` is among the matches, unless
        ``limit`` better-scoring (or equal-scoring, lower-id) matches fill the result first.
        No cap on candidates drops one: every name the filter passes is scored (each distinct
        name once, :func:`best_per_entity`), and ``limit`` applies after scoring.

        A name under a bidi override is screened as stored and as displayed
        (:func:`~interdict.names.normalize.readings`); each entity keeps its best reading."""
        index = self.index
        found: dict[int, tuple[int, Scored]] = {}
        for reading in readings(party.name):
            query = self.query(
                party if reading == party.name else party.model_copy(update={"name": reading})
            )
            reached, _ = index.reached(
                query.name,
                compatible_schemas(party.schema_),
                lists,
                min_share=evidence_share(query.name.script),
            )
            names = (int(n) for n in reached)
            for entity_index, (name_index, scored) in best_per_entity(
                index,
                query,
                names,
                threshold,
                self.score_above,
                self._verdicts_for(query, threshold),
            ).items():
                if reading != party.name:
                    scored = displayed_reading(scored)
                current = found.get(entity_index)
                if current is None or scored.score > current[1].score:
                    found[entity_index] = (name_index, scored)
        best = []
        for entity_index, (name_index, scored) in found.items():
            entity = index.entities[entity_index]
            subject = self.subjects.get(entity.entity_id)
            match = Match(
                list_name=entity.list_name,
                list_version=entity.list_version,
                source_id=entity.source_id,
                entity_id=entity.entity_id,
                schema=entity.schema.value,
                score=scored.score,
                matched_name=index.displays[name_index],
                explanation=scored.explanation,
                subject=subject.label if subject else None,
                subject_reason=subject.reason if subject else None,
            )
            best.append(match)
        matches = sorted(best, key=lambda m: (-m.score, m.entity_id))[:limit]
        return ScreeningResult(
            party.id, tuple(matches), self.matcher, self.list_versions, name=party.name
        )

    def _verdicts_for(self, query: Query, threshold: float) -> dict[int, bool]:
        """The distinct-name verdicts of earlier queries with this name and floor (at most
        :data:`VERDICT_QUERIES` names remembered)."""
        key = (replace(query.name, original=""), threshold / attribute_raise(query))
        found = self._verdicts.get(key)
        if found is None:
            if len(self._verdicts) >= VERDICT_QUERIES:
                self._verdicts.clear()
            found = self._verdicts[key] = {}
        return found

    def screen_many(
        self,
        parties: Iterable[Party],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
        lists: set[str] | None = None,
        workers: int | None = None,
    ) -> Iterator[ScreeningResult]:
        """Screen many parties, in input order, on ``workers`` processes (default: all cores)."""
        count = workers or os.cpu_count() or 1
        if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            for party in parties:
                yield self.screen(party, threshold=threshold, limit=limit, lists=lists)
            return
        global _WORKER
        _WORKER = (self, threshold, limit, lists)
        context = multiprocessing.get_context("fork")
        with context.Pool(count) as pool:
            yield from pool.imap(_screen_in_worker, parties, chunksize=64)


_WORKER: tuple[Screener, float, int, set[str] | None] | None = None


def _screen_in_worker(party: Party) -> ScreeningResult:
    assert _WORKER is not None
    screener, threshold, limit, lists = _WORKER
    return screener.screen(party, threshold=threshold, limit=limit, lists=lists)
