"""The screener's candidate step returns every name the scorer gives ≥ T (issue 9): no cap
on candidates, each distinct listed name scored once, ``limit`` after scoring."""

from __future__ import annotations

from interdict.model import EntityCountry, PartialDate, Party
from interdict.screening import Screener
from interdict.screening.scorer import MAX_RAISE, Query, Scored, score_name_above
from interdict.screening.screener import attribute_raise, best_per_entity
from tests.conftest import person

COMMON = 100
"""More listed entities of one name than the old cap (64 names a query) let through."""


def _common_name_list() -> Screener:
    same = [person(f"S{i}", "Karim Nadirov Bashirovich", born=f"{1900 + i}") for i in range(COMMON)]
    return Screener([*same, person("X1", "Rustam Nadirov"), person("X2", "Karim Bashirov")])


def test_every_entity_of_a_common_name_is_returned_past_the_old_cap() -> None:
    result = _common_name_list().screen(Party(id="q", name="Karim Bashirovich Nadirov"), limit=500)
    found = {m.source_id for m in result.matches}
    assert {f"S{i}" for i in range(COMMON)} <= found


def test_limit_applies_after_scoring_best_first() -> None:
    screener = _common_name_list()
    party = Party(id="q", name="Karim Nadirov", birth_date="1961")
    every = screener.screen(party, limit=500).matches
    top = screener.screen(party, limit=3).matches
    assert [m.entity_id for m in top] == [m.entity_id for m in every[:3]]
    # The entity born in the query's year outranks its namesakes: scored before the cut.
    assert top[0].source_id == "S61" and top[0].score > top[1].score


def _brute(screener: Screener, query: Query, threshold: float) -> dict[int, float]:
    index = screener.index
    best: dict[int, float] = {}
    for number, listed in enumerate(index.names):
        scored: Scored | None = score_name_above(query, listed, index.token_weight, threshold)
        if scored is not None:
            entity = index.name_entity[number]
            best[entity] = max(best.get(entity, 0.0), scored.score)
    return best


def test_best_per_entity_is_scoring_every_name_on_its_own() -> None:
    """Shared names, weak aliases and attributes that raise a score past the threshold: the
    distinct-name pass finds what scoring name by name finds, score for score."""
    screener = Screener(
        [
            person("A", "Omar Farouk Haddad", born="1970-01-01", country="JO"),
            person("B", "Omar Farouk Haddad"),
            person("C", "Umar Faruq al-Haddad", weak=("Omar Haddad",)),
            person("D", "Omar Haddad", born="1970-01-01", country="JO", passport="JO123456"),
            person("E", "Farouk Haddad Trading"),
        ]
    )
    index = screener.index
    assert len(index.distinct) < len(index.names)  # "Omar Farouk Haddad" once for A and B
    for fields in (
        {},
        {"birth_date": "1970-01-01", "countries": ({"code": "JO"},), "id_number": "JO123456"},
    ):
        party = Party.model_validate({"id": "q", "name": "Omar F. Haddad", **fields})
        query = Screener.query(party)
        for threshold in (0.5, 0.7, 0.8, 0.9):
            found = best_per_entity(index, query, range(len(index.names)), threshold)
            assert {e: s.score for e, (_, s) in found.items()} == _brute(screener, query, threshold)


def test_names_written_alike_but_cased_otherwise_are_one_distinct_name() -> None:
    screener = Screener(
        [person("A", "Omar HADDAD"), person("B", "omar haddad"), person("C", "Omar Hadad")]
    )
    index = screener.index
    assert index.name_distinct[0] == index.name_distinct[1] != index.name_distinct[2]


def test_attribute_raise() -> None:
    name = Screener.query(Party(id="q", name="Omar Haddad")).name
    assert attribute_raise(Query(name=name)) == 1.0
    assert attribute_raise(Query(name=name, gender="male")) == 1.0  # gender only lowers
    assert attribute_raise(Query(name=name, birth_date=PartialDate.parse("1970"))) == MAX_RAISE
    assert attribute_raise(Query(name=name, countries=(EntityCountry(code="JO"),))) == MAX_RAISE
    assert attribute_raise(Query(name=name, id_number="X1")) == MAX_RAISE


def test_a_repeated_name_screens_as_on_a_fresh_screener() -> None:
    """Distinct-name verdicts carried over between queries of one name never change a result,
    whatever the attributes or threshold of the next query."""
    parties = [
        Party(id="a", name="Karim Nadirov"),
        Party(id="b", name="Karim Nadirov", birth_date="1961"),
        Party(id="c", name="KARIM NADIROV"),
    ]
    warm = _common_name_list()
    for threshold in (0.8, 0.9, 0.8):
        for party in parties:
            fresh = _common_name_list().screen(party, threshold=threshold, limit=500)
            assert warm.screen(party, threshold=threshold, limit=500) == fresh
