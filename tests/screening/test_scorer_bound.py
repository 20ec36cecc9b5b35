"""The early rejection in ``score_name_above`` never changes a score: its bound is a true bound."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.model import PartialDate
from interdict.names.tokens import analyse_name
from interdict.screening.compare import (
    MIN_PART_SIMILARITY,
    _may_align,
    align_names,
    alignment_bound,
    part_similarities,
    token_similarity,
)
from interdict.screening.index import ScreeningIndex
from interdict.screening.scorer import Query, score_name, score_name_above
from tests.conftest import person
from tests.screening.test_scorer_properties import NAMES

WORDS = st.sampled_from(
    [
        "muhammad", "mohammed", "magomed", "ali", "al", "bin", "abd", "rahman", "abdurrahman",
        "yusuf", "ivanov", "ivanovich", "petrov", "osama", "ladin", "laden", "шоҳрух", "раҳмонов",
        "محمد", "عبدالله", "hamdan", "dagalo", "smith", "smithson", "anna", "maria", "kyzy",
    ]
)  # fmt: skip
WORDY_NAMES = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)


def _check(query_name: str, listed_names: list[str], floor: float) -> None:
    entities = [
        person(
            f"P{i}",
            name,
            weak=(f"{name} yusuf",) if i == 1 else (),
            born=("1970", "1990", None)[i % 3],
        )
        for i, name in enumerate(listed_names)
    ]
    index = ScreeningIndex(entities)
    query = Query(name=analyse_name(query_name), birth_date=PartialDate(year=1970), gender="male")
    # Weak aliases and dates of birth that agree, disagree or are missing.
    for listed in index.names:
        sims = part_similarities(query.name, listed.name)
        exact = align_names(query.name, listed.name, index.token_weight, sims).score
        assert alignment_bound(query.name, listed.name, index.token_weight, sims) >= exact
        full = score_name(query, listed, index.token_weight)
        above = score_name_above(query, listed, index.token_weight, floor)
        if full.score >= floor:
            assert above == full
        else:
            assert above is None


@settings(max_examples=200, deadline=None, print_blob=True)
@given(
    query=WORDY_NAMES,
    listed=st.lists(WORDY_NAMES, min_size=1, max_size=3),
    floor=st.sampled_from([0.0, 0.5, 0.7, 0.8, 0.9]),
)
def test_bound_never_rejects_a_score_at_the_floor(
    query: str, listed: list[str], floor: float
) -> None:
    _check(query, listed, floor)


@settings(max_examples=100, deadline=None, print_blob=True)
@given(query=NAMES, listed=st.lists(NAMES, min_size=1, max_size=3))
def test_bound_holds_for_any_characters(query: str, listed: list[str]) -> None:
    try:
        _check(query, listed, 0.8)
    except ValueError:  # a name the model refuses (no letters)
        return


LATIN_WORDS = st.text(alphabet="abcdeghiklmnorstuyz", min_size=1, max_size=12)


@settings(max_examples=1500, deadline=None, print_blob=True)
@given(st.one_of(LATIN_WORDS, NAMES, WORDS), st.one_of(LATIN_WORDS, NAMES, WORDS))
def test_parts_left_unrelated_are_below_the_part_threshold(x: str, y: str) -> None:
    """part_similarities skips the full comparison only for pairs no alignment would use."""
    for a in analyse_name(x).tokens:
        for b in analyse_name(y).tokens:
            if not _may_align(a, b):
                assert token_similarity(a, b)[0] < MIN_PART_SIMILARITY
