"""Invariants of the scorer: scores in [0, 1] whatever the names, and ranking pairs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.model import Entity, Party
from interdict.screening import Screener
from tests.conftest import person

NAME_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz -'")
    + list("абвгдежзийклмнопрстуфхцчшщыэюяғӣқӯҳҷәңөұүһі")
    + list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةى")
    + ["\u200b", "\u202e", "0", "1"]
)
NAMES = st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=40).filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None, print_blob=True)
@given(listed=st.lists(NAMES, min_size=1, max_size=4), query=NAMES)
def test_scores_stay_in_unit_interval(listed: list[str], query: str) -> None:
    entities = [person(f"P{i}", name) for i, name in enumerate(listed)]
    try:
        screener = Screener(entities)
    except ValueError:
        return
    for match in screener.screen(Party(id="q", name=query), threshold=0.0).matches:
        assert 0.0 <= match.score <= 1.0
        assert match.explanation


@settings(max_examples=100, deadline=None, print_blob=True)
@given(NAMES)
def test_a_listed_name_finds_itself(name: str) -> None:
    screener = Screener([person("P", name), person("Q", "Completely Different Person")])
    result = screener.screen(Party(id="q", name=name), threshold=0.0)
    if any(ch.isalpha() for ch in name):
        assert result.matches and result.matches[0].source_id == "P"


RANKING = [
    # (query, better listed name, worse listed name)
    ("Abdurrahman Yusuf", "Abd al-Rahman Yusuf", "Abd al-Karim Yusuf"),
    ("Rakhmonov Shokhrukh", "Раҳмонов Шоҳрух", "Раҳимов Шоҳрух"),
    ("Mohammed Omar", "Muhammad Umar", "Muhammad Ammar"),
    ("Ivan Petrov", "Ivan Petrov", "Ivan Petrovsky"),
    ("Aigul Zhaksybekova", "Айгуль Жаксыбекова", "Айгуль Жаксылыкова"),
]


@pytest.mark.parametrize(("query", "better", "worse"), RANKING)
def test_better_candidate_outscores_worse(query: str, better: str, worse: str) -> None:
    entities: list[Entity] = [person("B", better), person("W", worse)]
    result = Screener(entities).screen(Party(id="q", name=query), threshold=0.0)
    scores = {m.source_id: m.score for m in result.matches}
    assert scores.get("B", 0.0) > scores.get("W", 0.0), scores
