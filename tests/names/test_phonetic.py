"""Consonant skeletons: the key that honest spellings of one name share."""

from __future__ import annotations

import pytest

from interdict.names.phonetic import skeleton, strip_suffix


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("khaliq", "khalek"),
        ("rakhmonov", "rahmonov"),
        ("hasan", "khasan"),
        ("usama", "osama"),
        ("ladin", "laden"),
        ("jamal", "dzhamal"),
        ("qasim", "kasim"),
        ("yusuf", "yousef"),
        ("dawood", "daud"),
        ("shamil", "chamil"),
    ],
)
def test_spellings_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(("a", "b"), [("rahman", "karim"), ("smith", "jones"), ("bakr", "nasr")])
def test_different_names_differ(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


def test_vowel_only_word_keeps_itself() -> None:
    assert skeleton("aya") == "~aya"


def test_strip_suffix_longest_first() -> None:
    assert strip_suffix("rakhmonova", ("ov", "ova")) == "rakhmon"
    assert strip_suffix("ov", ("ov",)) is None
