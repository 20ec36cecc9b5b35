"""Korean syllable keys: one key per romanisation family, and only for Korean-looking names."""

from __future__ import annotations

import pytest

from interdict.names.korean import KEY_PREFIX, is_korean_name, korean_key, korean_keys
from interdict.names.tokens import analyse_name
from interdict.screening.index import name_keys

SAME = [
    ("chong", "jong", "jeong", "jung", "chung"),
    ("kwang", "gwang"),
    ("cho", "jo"),
    ("chun", "jun", "jeon", "chon"),
    ("pak", "park", "bak"),
    ("ri", "rhee", "lee", "li", "yi", "i"),
    ("kim", "gim"),
    ("choe", "choi", "chwe"),
    ("hyon", "hyun", "hyeon"),
    ("thae", "tae"),
    ("son", "sohn"),
]


@pytest.mark.parametrize("spellings", SAME)
def test_romanisations_of_one_syllable_share_a_key(spellings: tuple[str, ...]) -> None:
    keys = {korean_key(s) for s in spellings}
    assert len(keys) == 1 and None not in keys, dict(zip(spellings, keys, strict=False))


def test_other_syllables_keep_apart() -> None:
    assert korean_key("kwang") != korean_key("kang")
    assert korean_key("kim") != korean_key("pak")


@pytest.mark.parametrize("word", ["smith", "schwarzkopf", "ivan", "vladimirovich", "al-tikriti"])
def test_words_that_are_not_korean_syllables_have_no_key(word: str) -> None:
    assert korean_key(word) is None


def test_a_name_is_korean_only_with_a_korean_family_name_at_either_end() -> None:
    assert is_korean_name(["hyon", "gwang", "il"])
    assert is_korean_name(["gwang", "il", "hyon"])
    assert not is_korean_name(["tom", "dom"])  # Korean syllables, no Korean family name
    assert not is_korean_name(["ali", "hassan"])
    assert not is_korean_name(["kim"])


def test_joined_given_names_reach_the_key_of_the_parts_written_apart() -> None:
    apart = korean_keys(["kim", "kwang", "il"])
    joined = korean_keys(["kim", "gwangil"])
    assert KEY_PREFIX + "gwangir" in apart & joined


def test_the_candidate_step_indexes_korean_keys_but_parts_keep_their_own() -> None:
    listed, query = analyse_name("HYON KWANG IL"), analyse_name("Hyon Gwang Il")
    assert "k:gwang" in name_keys(listed) & name_keys(query)
    # A part's own keys (which set its rarity weight, name_v1's too) do not change.
    assert all(not k.startswith(KEY_PREFIX) for t in query.tokens for k in t.blocking_keys())
    assert not any(k.startswith(KEY_PREFIX) for k in name_keys(analyse_name("Tom Miller")))
