"""The peer: OpenSanctions' nomenklatura ``logic-v2`` behind a character n-gram candidate step.

Candidate step (ours has its own index; logic-v2 has none): every listed name is folded to
ASCII with ``rigour.text.ascii_text`` (the transliteration OpenSanctions' own tools use, so an
Arabic or Cyrillic query can reach Latin names at all), then vectorised as TF-IDF over character
3-grams (scikit-learn ``TfidfVectorizer(analyzer="char_wb")``, sublinear tf). A query's names are
ranked by cosine similarity, and the entities of the best names are taken in order until 50
distinct entities are found. Each is then scored by ``logic-v2`` (default configuration) against
the whole entity — all its names, birth dates, nationalities and gender — as yente does.

Benchmark-only: needs ``nomenklatura==4.17.4`` (the ``bench`` extra), never a runtime dependency.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator

import numpy as np
from followthemoney import EntityProxy, model
from nomenklatura.matching import LogicV2
from nomenklatura.matching.types import ScoringConfig
from rigour.text import ascii_text
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from benchmarks.screening.cases import Case, Query
from benchmarks.screening.outcome import Outcome
from interdict.model import CountryRole, Entity, NameKind, NameQuality, PartialDate, Schema

__all__ = ["CANDIDATES", "PEER_NAME", "PEER_THRESHOLD", "PeerIndex", "run_peer", "warm_up"]

PEER_NAME = "nomenklatura logic-v2 4.17.4"
PEER_THRESHOLD = 0.7
"""logic-v2's own default match threshold (yente's ``threshold``)."""
CANDIDATES = 50
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SCHEMAS = {
    Schema.PERSON: "Person",
    Schema.ORGANIZATION: "Organization",
    Schema.VESSEL: "Vessel",
    Schema.AIRCRAFT: "Airplane",
    Schema.LEGAL_ENTITY: "LegalEntity",
}
_NAME_PROPS = {
    NameKind.PRIMARY: "name",
    NameKind.ALIAS: "alias",
    NameKind.FORMER: "previousName",
    NameKind.ORIGINAL_SCRIPT: "alias",
}


def ascii_key(name: str) -> str:
    """The ASCII form of a name that the n-gram candidate step compares."""
    return " ".join(_NON_ALNUM.sub(" ", ascii_text(name).casefold()).split())


def _dates(date: PartialDate) -> list[str]:
    if date.until_year is not None:
        return [str(year) for year in range(date.year, min(date.until_year, date.year + 30) + 1)]
    text = f"{date.year:04d}"
    if date.month is not None:
        text += f"-{date.month:02d}"
        if date.day is not None:
            text += f"-{date.day:02d}"
    return [text]


def entity_proxy(entity: Entity) -> EntityProxy:
    """A followthemoney entity for a listed entity: names by kind, dates, countries, gender."""
    proxy = model.make_entity(_SCHEMAS[entity.schema])
    proxy.id = entity.entity_id()
    for name in entity.names:
        prop = "weakAlias" if name.quality is NameQuality.WEAK else _NAME_PROPS[name.kind]
        proxy.add(prop, name.full)
    is_person = entity.schema is Schema.PERSON
    for date in entity.birth_dates:
        if is_person:
            proxy.add("birthDate", _dates(date))
    for country in entity.countries:
        personal = country.role in (CountryRole.NATIONALITY, CountryRole.CITIZENSHIP)
        proxy.add("nationality" if personal and is_person else "country", country.code.lower())
    if is_person and entity.gender:
        proxy.add("gender", entity.gender)
    return proxy


def query_proxy(query: Query) -> EntityProxy:
    """A followthemoney entity for a query: Person with name, birthDate, nationality, gender."""
    schema = _SCHEMAS[query.schema] if query.schema else "LegalEntity"
    proxy = model.make_entity(schema)
    proxy.id = query.id
    proxy.add("name", query.name)
    is_person = query.schema is Schema.PERSON
    if query.birth_date is not None and is_person:
        proxy.add("birthDate", _dates(query.birth_date))
    for code in query.countries:
        proxy.add("nationality" if is_person else "country", code.lower())
    if query.gender and is_person:
        proxy.add("gender", query.gender)
    return proxy


_WARM = False


def warm_up() -> None:
    """Load logic-v2's lazy name tables (~20 s) once, before timing or forking workers."""
    global _WARM
    if _WARM:
        return
    config = LogicV2.default_config()
    for schema in (Schema.PERSON, Schema.ORGANIZATION):
        query = query_proxy(Query(id="warm-up", name="Абд аль-Халик Husayn", schema=schema))
        listed = query_proxy(Query(id="warm-up-2", name="عبدالخالق حسين", schema=schema))
        LogicV2.compare(query, listed, config)
    _WARM = True


class PeerIndex:
    """Listed entities as followthemoney proxies, with a char 3-gram TF-IDF over their names."""

    def __init__(self, entities: list[Entity]) -> None:
        self.proxies = [entity_proxy(entity) for entity in entities]
        names: list[str] = []
        owners: list[int] = []
        for number, entity in enumerate(entities):
            for key in {ascii_key(name.full) for name in entity.names} - {""}:
                names.append(key)
                owners.append(number)
        self.owner = np.asarray(owners, dtype=np.int32)
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 3), sublinear_tf=True, dtype=np.float32
        )
        self.matrix_t = self.vectorizer.fit_transform(names).T.tocsr()
        self.config: ScoringConfig = LogicV2.default_config()
        warm_up()

    def candidates(self, name: str, limit: int = CANDIDATES) -> list[int]:
        """Entities (by position) of the names most similar to ``name``, up to ``limit``."""
        vector = self.vectorizer.transform([ascii_key(name)])
        sims = np.asarray((vector @ self.matrix_t).todense()).ravel()
        width = min(len(sims), limit * 8)
        top = np.argpartition(-sims, width - 1)[:width]
        top = top[np.argsort(-sims[top], kind="stable")]
        chosen: list[int] = []
        seen: set[int] = set()
        for position in top:
            if sims[position] <= 0.0:
                break
            owner = int(self.owner[position])
            if owner not in seen:
                seen.add(owner)
                chosen.append(owner)
                if len(chosen) == limit:
                    break
        return chosen

    def screen(self, case: Case) -> Outcome:
        """logic-v2 scores of the query against its candidates, summarised for the case."""
        query = query_proxy(case.query)
        truth_score = 0.0
        top_score = 0.0
        top_id = ""
        for position in self.candidates(case.query.name):
            proxy = self.proxies[position]
            score = float(LogicV2.compare(query, proxy, self.config).score)
            if proxy.id in case.truth:
                truth_score = max(truth_score, score)
            if score > top_score:
                top_score, top_id = score, str(proxy.id)
        return Outcome(truth_score, top_score, top_id)


_PEER: PeerIndex | None = None


def _screen_in_worker(case: Case) -> Outcome:
    assert _PEER is not None
    return _PEER.screen(case)


def run_peer(index: PeerIndex, cases: list[Case], workers: int = 2) -> Iterator[Outcome]:
    """Outcomes of the peer for ``cases``, in order, on ``workers`` forked processes."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (index.screen(case) for case in cases)
        return
    global _PEER
    _PEER = index
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_screen_in_worker, cases, chunksize=16)
    finally:
        _PEER = None
