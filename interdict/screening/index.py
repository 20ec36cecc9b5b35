"""An in-memory index over every loaded list: blocking keys → listed names, with rarity weights.

Candidates are found through keys that both spellings of a name reach — consonant skeletons,
surname stems, given-name variant groups, joined-part skeletons — and, for typos, skeletons one
edit apart (a deletion index over the skeleton vocabulary, as SymSpell does). A listed name is a
candidate when the summed rarity of the keys it shares with the query reaches a share of the
query's own (:meth:`ScreeningIndex.reached`, the evidence filter, whatever the threshold); the
screener scores every candidate (no cap). :meth:`ScreeningIndex.candidates` ranks them and keeps
the best few, for callers that want a short list, not for screening.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from interdict.model import Entity, NameQuality, Schema
from interdict.names.korean import KEY_PREFIX as KOREAN
from interdict.names.tokens import NameAnalysis, Role, Token, analyse_name, spelt_together
from interdict.screening.evidence import tables
from interdict.screening.scorer import ListedName

__all__ = [
    "IndexedEntity",
    "ScreeningIndex",
    "listed_keys",
    "name_alone",
    "name_keys",
    "parts_contained",
    "query_only_keys",
    "weightless_keys",
]

MAX_POSTINGS = 50_000
"""Keys shared by more names than this are too common to propose candidates on their own."""
TYPO_KEY_FACTOR = 0.6
PRUNE_RATIO = 0.5
"""Names sharing less than this share of the best candidate's evidence are not scored, unless
they are among the first :data:`MIN_CANDIDATES` or hold every part of the query (or the query
every part of theirs) in another order (:func:`parts_contained`)."""
MIN_CANDIDATES = 8
DENSE_RATIO = 4
"""Sum key weights in a dense array over all names when the hits are at least 1/4 of them
(below that, sorting the hits is cheaper than scanning every name)."""
TIE_SLACK = 1e-9
"""Shared evidence equal to the required share passes, whatever order the weights were summed in
(sums in another order differ in the last bits, and set order varies between processes)."""
JOINED = "w:"
"""Prefix of the keys of parts written together, by their spelling ("w:haroungaye"): a query
part reaches them with its own spelling. They rank candidates but, like typo keys, are not
evidence a match must share (a long name part is rarely parts written together)."""
SPELT = "j:"
"""Prefix of the skeletons of parts spelt together (:func:`spelt_together`) where they differ
from the parts' skeletons joined; a query part reaches them with its own skeletons."""
SPELT_MIN = 5
"""Shorter skeletons are too common to say that parts were written together."""
SUPPLEMENTARY = (JOINED, SPELT, KOREAN)
"""Key prefixes that rank candidates without being evidence a match must share: they add to
what a listed name shares, never to what the query asks for (so a Korean name's syllable keys
find "Kwang" for "Gwang" without making "PAK CHUN IL" ask more of "Chun-San PAK")."""
JOINED_MIN = 6
"""Query parts at least this long are looked up as parts written together."""
PATRONYMIC_FACTOR = 0.3
"""Patronymics (Ivanovich) are often missing from one side: they weigh less."""


@dataclass(frozen=True, slots=True)
class IndexedEntity:
    """What the index keeps about an entity besides its names."""

    entity_id: str
    list_name: str
    list_version: int
    source_id: str
    schema: Schema


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


def parts_contained(query: NameAnalysis, listed: NameAnalysis) -> bool:
    """Whether every identity part of one name (at least two) has a part of the same skeleton
    in the other: the same name reordered, or with parts dropped ("Doku Umarov")."""
    shorter, longer = sorted((query, listed), key=lambda n: len(n.name_tokens))
    return len(shorter.name_tokens) >= 2 and all(
        not token.skeletons.isdisjoint(longer.part_skeletons) for token in shorter.name_tokens
    )


def name_keys(analysis: NameAnalysis) -> set[str]:
    """Blocking keys of a name: those of each part plus skeletons of adjacent parts joined, and
    a Korean-looking name's syllable keys."""
    tokens = analysis.name_tokens or analysis.tokens
    keys: set[str] = set(analysis.korean_keys)
    for token in tokens:
        keys |= token.blocking_keys()
    for left, right in pairwise(tokens):
        for a in left.skeletons:
            for b in right.skeletons:
                keys.add(f"s:{a}{b}")
    if len(analysis.tokens) > 2:
        # The whole name written as one word ("Osamabinladen"), with and without particles.
        for run in (analysis.tokens, tokens):
            keys.add("s:" + "".join(min(t.skeletons) for t in run))
    return keys


def listed_keys(analysis: NameAnalysis) -> set[str]:
    """:func:`name_keys` of a listed name, plus the keys of its parts written together that a
    query written as one word reaches with :func:`query_only_keys`: their joined spelling
    ("w:haroungaye"), and the skeleton of that spelling where it differs from the parts'
    skeletons joined ("j:nknsmrnd" of "Innocent Zimurinda": a digraph across the boundary)."""
    keys = name_keys(analysis)
    tokens = analysis.name_tokens or analysis.tokens
    runs: list[tuple[Token, ...]] = list(pairwise(tokens))
    if len(analysis.tokens) > 2:
        runs += [tuple(analysis.tokens), tuple(tokens)]
    for run in runs:
        for spelt in spelt_together(run):
            if len(spelt) >= SPELT_MIN and f"s:{spelt}" not in keys and spelt[0] != "~":
                keys.add(SPELT + spelt)
        keys.add(JOINED + "".join(t.forms[0] for t in run))
    if len(analysis.tokens) > 1:
        keys.add(JOINED + analysis.cleaned.replace(" ", ""))
    return keys


def query_only_keys(analysis: NameAnalysis) -> set[str]:
    """Keys by which a query part, or the whole query, written as one word reaches
    :func:`listed_keys`' joined ones."""
    whole = analysis.cleaned.replace(" ", "")
    keys = {JOINED + whole} if len(whole) >= JOINED_MIN else set()
    for token in analysis.name_tokens:
        keys.update(SPELT + s for s in token.skeletons if len(s) >= SPELT_MIN)
        keys.update(JOINED + form for form in token.forms if len(form) >= JOINED_MIN)
    return keys


@cache
def weightless_keys() -> frozenset[str]:
    """Keys of legal forms and generic organisation words ("Open Joint Stock Company",
    "Trading"): they may propose candidates but are not evidence a match must share.

    Without this, "Open Joint Stock Company Gazprom" needs a fifth of its key weight from
    "OJSC Gazprom", which shares only "Gazprom". Taking them out of the required share only
    lowers it, so what was scored before still is.
    """
    found = tables()
    keys: set[str] = set()
    for spelling in (*found.legal_forms, *found.generic_words):
        keys |= name_keys(analyse_name(spelling))
    return frozenset(keys)


def name_alone(listed: ListedName) -> ListedName:
    """``listed`` as a strong name of an entity with no attributes: what every listed name
    with the same analysis shares, scored once per query (:attr:`ScreeningIndex.distinct`)."""
    return ListedName(name=listed.name, kind=listed.kind, quality=NameQuality.STRONG)


class ScreeningIndex:
    """Listed names of all loaded entities, searchable by blocking key.

    ``distinct`` holds each distinct listed name once (:func:`name_alone`): many entities and
    lists carry the same name, and a query scores each distinct name only once
    (:func:`~interdict.screening.screener.best_per_entity`); ``name_distinct[n]`` is the
    position in ``distinct`` of listed name ``n``. Names are the same when their analyses are,
    apart from ``original`` (the text as written, which no matcher scores: "BIN LADIN, Usama"
    and "bin Ladin, Usama" analyse alike).
    """

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: list[IndexedEntity] = []
        self.names: list[ListedName] = []
        self.name_entity: list[int] = []
        self.displays: list[str] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for entity in entities:
            self._add(entity, postings)
        self.postings: dict[str, npt.NDArray[np.int32]] = {
            key: np.unique(np.asarray(ids, dtype=np.int32)) for key, ids in postings.items()
        }
        self.entity_of_name = np.asarray(self.name_entity, dtype=np.int32)
        list_names = sorted({e.list_name for e in self.entities})
        self.list_codes = {name: code for code, name in enumerate(list_names)}
        self.list_of_name = np.asarray(
            [self.list_codes[self.entities[e].list_name] for e in self.name_entity], dtype=np.int16
        )
        self.schema_of_name = np.asarray(
            [list(Schema).index(self.entities[e].schema) for e in self.name_entity], dtype=np.int8
        )
        self._weigh({key: len(ids) for key, ids in self.postings.items()}, len(self.names))
        self.typo_keys: dict[str, list[str]] = defaultdict(list)
        for key in self.postings:
            if key.startswith("s:") and len(key) >= 6:
                for deleted in _deletions(key[2:]):
                    self.typo_keys[deleted].append(key)
        self.list_versions = {e.list_name: e.list_version for e in self.entities}
        self.distinct: list[ListedName] = []
        positions: dict[NameAnalysis, int] = {}
        of_name: list[int] = []
        for listed in self.names:
            shape = replace(listed.name, original="")
            position = positions.get(shape)
            if position is None:
                position = positions[shape] = len(self.distinct)
                self.distinct.append(name_alone(listed))
            of_name.append(position)
        self.name_distinct = np.asarray(of_name, dtype=np.int32)
        self._schema_masks: dict[frozenset[Schema], npt.NDArray[np.bool_]] = {}

    @classmethod
    def from_key_counts(
        cls, entities: Iterable[Entity], counts: Mapping[str, int], total: int
    ) -> ScreeningIndex:
        """An index over ``entities`` that weighs keys as an index over all lists would.

        ``counts`` holds how many of all ``total`` listed names have each key (every key of
        ``entities`` included). A few changed entities indexed this way propose a customer, and
        score it, exactly as the whole index would (delta rescreening).
        """
        index = cls(entities)
        index._weigh(counts, total)
        return index

    def _weigh(self, counts: Mapping[str, int], total: int) -> None:
        """Key rarity from how many of ``total`` names have each key."""
        size = max(1, total)
        self.key_weight: dict[str, float] = {
            key: math.log(2.0 + size / count) for key, count in counts.items()
        }
        self.max_weight = math.log(2.0 + size)
        self.common_keys = {key for key, count in counts.items() if count > MAX_POSTINGS}
        """Keys too common to propose candidates (see :data:`MAX_POSTINGS`)."""
        self._weights: dict[tuple[str, Role], float] = {}

    def evidence_mass(self, keys: Iterable[str]) -> float:
        """The key weight a name with these (exact, not typo) keys brings to the evidence filter:
        unseen keys count half the rarest weight, :func:`weightless_keys` nothing."""
        unseen, weightless = self.max_weight / 2, weightless_keys()
        return sum(
            self.key_weight.get(k, unseen)
            for k in keys
            if k not in weightless and not k.startswith(SUPPLEMENTARY)
        )

    def _add(self, entity: Entity, postings: dict[str, list[int]]) -> None:
        provenance = entity.provenance
        list_name = provenance.list_name if provenance else "unnamed"
        self.entities.append(
            IndexedEntity(
                entity_id=f"{list_name}:{entity.source_id}",
                list_name=list_name,
                list_version=provenance.list_version if provenance else 0,
                source_id=entity.source_id,
                schema=entity.schema,
            )
        )
        entity_index = len(self.entities) - 1
        seen: set[str] = set()
        for name in entity.names:
            analysis = analyse_name(name.full)
            if not analysis.tokens or analysis.cleaned in seen:
                continue
            seen.add(analysis.cleaned)
            name_index = len(self.names)
            self.names.append(
                ListedName(
                    name=analysis,
                    kind=name.kind,
                    quality=name.quality,
                    birth_dates=entity.birth_dates,
                    countries=entity.countries,
                    gender=entity.gender,
                    identifiers=entity.identifiers,
                )
            )
            self.name_entity.append(entity_index)
            self.displays.append(name.full)
            for key in listed_keys(analysis):
                postings[key].append(name_index)

    def token_weight(self, token: Token) -> float:
        """Rarity of a name part: the weight of its rarest key (unseen parts weigh most)."""
        cache_key = (token.text, token.role)
        cached = self._weights.get(cache_key)
        if cached is None:
            cached = self._weights[cache_key] = self._token_weight(token)
        return cached

    def _token_weight(self, token: Token) -> float:
        best = 0.0
        for key in token.blocking_keys():
            best = max(best, self.key_weight.get(key, self.max_weight))
        best = best or self.max_weight
        return best * PATRONYMIC_FACTOR if token.role is Role.PATRONYMIC else best

    def _query_keys(self, analysis: NameAnalysis) -> dict[str, float]:
        keys = {key: 1.0 for key in name_keys(analysis)}
        for key in query_only_keys(analysis):
            keys.setdefault(key, TYPO_KEY_FACTOR)
        for token in analysis.name_tokens:
            for skel in token.skeletons:
                if len(skel) < 3:
                    continue
                near = set(self.typo_keys.get(skel, ()))
                for deleted in _deletions(skel):
                    if len(deleted) >= 3:
                        near.add(f"s:{deleted}")
                        near.update(self.typo_keys.get(deleted, ()))
                for key in near:
                    keys.setdefault(key, TYPO_KEY_FACTOR)
        return keys

    def _shared_weight(
        self, arrays: list[npt.NDArray[np.int32]], scores: list[float]
    ) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """Names reached by the posting ``arrays`` (ascending) and their summed key ``scores``."""
        ids = np.concatenate(arrays)
        weights = np.repeat(np.asarray(scores), [len(a) for a in arrays])
        if len(ids) * DENSE_RATIO >= len(self.names):
            # Many hits: one pass over a dense array beats sorting them.
            dense = np.bincount(ids, weights=weights, minlength=len(self.names))
            unique = np.flatnonzero(dense)
            return unique, dense[unique]
        found, inverse = np.unique(ids, return_inverse=True)
        return found, np.bincount(inverse, weights=weights)

    def _schema_mask(self, schemas: set[Schema]) -> npt.NDArray[np.bool_]:
        """Which schema codes (positions in ``Schema``) are among ``schemas``."""
        key = frozenset(schemas)
        mask = self._schema_masks.get(key)
        if mask is None:
            mask = np.asarray([s in key for s in Schema], dtype=np.bool_)
            self._schema_masks[key] = mask
        return mask

    def candidates(
        self,
        analysis: NameAnalysis,
        limit: int,
        allowed_schemas: set[Schema] | None = None,
        allowed_lists: set[str] | None = None,
        min_share: float = 0.0,
    ) -> list[int]:
        """Indexes of up to ``limit`` listed names sharing the most rare keys with the query.

        A ranked short list, lossy by design: screening does not use it (a name below the cut
        may score ≥ any threshold); it scores every name :meth:`reached` passes. A name whose
        shared evidence is below ``min_share`` of the query's own (the summed weight of the
        query's keys) is not proposed.
        """
        unique, totals = self.reached(analysis, allowed_schemas, allowed_lists, min_share)
        if not len(unique):
            return []
        if len(unique) > limit:
            top = np.argpartition(-totals, limit - 1)[:limit]
            unique, totals = unique[top], totals[top]
        order = np.argsort(-totals, kind="stable")
        ranked = [int(i) for i in unique[order]]
        # Names sharing far less rare evidence than the best one rarely score well, unless
        # they hold the same parts in another order (whose joined-part keys differ).
        strong = totals[order] >= PRUNE_RATIO * totals[order[0]]
        names = self.names
        return [
            name
            for rank, name in enumerate(ranked)
            if rank < MIN_CANDIDATES or strong[rank] or parts_contained(analysis, names[name].name)
        ]

    def reached(
        self,
        analysis: NameAnalysis,
        allowed_schemas: set[Schema] | None = None,
        allowed_lists: set[str] | None = None,
        min_share: float = 0.0,
    ) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """Every listed name (ascending) whose shared key weight is at least ``min_share`` of
        the query's, with that shared weight: :meth:`candidates` before ranking."""
        nothing = np.zeros(0, dtype=np.intp), np.zeros(0)
        arrays: list[npt.NDArray[np.int32]] = []
        scores: list[float] = []
        # Keys no listed name has (a rare surname) count half: they cannot be shared, and a
        # query with one unknown middle name may still match well.
        query_keys = self._query_keys(analysis)
        mass = self.evidence_mass(k for k, factor in query_keys.items() if factor == 1.0)
        postings, key_weight, common = self.postings, self.key_weight, self.common_keys
        for key, factor in query_keys.items():
            weight = key_weight.get(key)
            ids = postings.get(key)
            if weight is None or ids is None or key in common:
                continue
            arrays.append(ids)
            scores.append(weight * factor)
        if not arrays:
            return nothing
        unique, totals = self._shared_weight(arrays, scores)
        keep = totals >= min_share * mass * (1 - TIE_SLACK) if min_share > 0 else None
        if allowed_schemas is not None:
            allowed = self._schema_mask(allowed_schemas)[self.schema_of_name[unique]]
            keep = allowed if keep is None else keep & allowed
        if allowed_lists is not None:
            wanted = [self.list_codes[n] for n in allowed_lists if n in self.list_codes]
            listed = np.isin(self.list_of_name[unique], wanted)
            keep = listed if keep is None else keep & listed
        if keep is not None:
            unique, totals = unique[keep], totals[keep]
        return unique, totals
