"""Each evidence rule of name_v2 on its own: the score it gives and the reason it writes."""

from __future__ import annotations

import pytest

from interdict.names.tokens import Token, analyse_name
from interdict.screening import evidence
from interdict.screening.evidence import Evidence
from interdict.screening.name_v2 import prepare


def _part(word: str) -> Token:
    return analyse_name(word).tokens[0]


def test_same_han_compares_characters_not_readings() -> None:
    same = evidence.same_han(_part("张伟"), _part("张伟"))
    other = evidence.same_han(_part("张伟"), _part("章伟"))
    assert same is not None and same.score == 1.0 and same.final
    assert other is not None and other.score == 0.0 and "张伟 ≠ 章伟" in other.reason
    assert evidence.same_han(_part("zhang"), _part("张伟")) is None


@pytest.mark.parametrize(
    ("x", "y"),
    [("chong", "jong"), ("jeong", "jung"), ("kwang", "gwang"), ("cho", "jo"), ("chun", "jun"),
     ("pak", "park")],
)  # fmt: skip
def test_korean_romanisations_share_a_key(x: str, y: str) -> None:
    assert evidence.korean_key(x) == evidence.korean_key(y) is not None
    found = evidence.korean_romanisation(_part(x), _part(y))
    assert found is not None and found.score >= 0.9 and f"{x} = {y}" in found.reason


def test_korean_key_refuses_words_that_are_not_korean_syllables() -> None:
    assert evidence.korean_key("schwarzkopf") is None
    assert evidence.korean_romanisation(_part("smith"), _part("smith")) is None


def test_korean_whole_name_needs_a_korean_family_name() -> None:
    found = evidence.korean_whole_name(("kim", "chong", "un"), ("kim", "jongun"))
    assert found is not None and found.score > 0.9
    assert evidence.korean_whole_name(("tom", "minu"), ("dom", "minu")) is None


def test_initial_stands_for_a_name_starting_with_it() -> None:
    found = evidence.initial(_part("v"), _part("vladimir"))
    assert found is not None and found.reason == "initial V = vladimir"
    assert evidence.initial(_part("w"), _part("vladimir")) is None


def test_surname_prefix_only_lowers_a_spelling_similarity() -> None:
    base = Evidence(0.8, "spelling similarity 0.84")
    found = evidence.surname_prefix_only(_part("kasimov"), _part("kasymbekov"), base)
    assert found is not None and found.score < base.score
    assert evidence.surname_prefix_only(_part("kasimov"), _part("kasimova"), base) is None


def test_legal_forms_agree_within_a_family() -> None:
    same = evidence.compare_legal_forms([("oao", "joint_stock")], [("jsc", "joint_stock")])
    other = evidence.compare_legal_forms([("llc", "limited")], [("jsc", "joint_stock")])
    assert same == Evidence(1.0, "legal form OAO = JSC")
    assert other is not None and other.score < 1.0 and "LLC vs JSC" in other.reason
    assert evidence.compare_legal_forms([], [("jsc", "joint_stock")]) is None


def test_numbers_must_be_the_same_numbers() -> None:
    assert evidence.compare_numbers([44], [44]) == Evidence(1.0, "number 44 on both sides")
    differ = evidence.compare_numbers([8], [9])
    one_side = evidence.compare_numbers([], [9])
    assert differ is not None and one_side is not None
    assert differ.score < one_side.score < 1.0
    assert evidence.compare_numbers([], []) is None


def test_different_middle_is_a_contradiction() -> None:
    found = evidence.different_middle(["petrovich"], ["sergeyevich"], "patronymic")
    assert (
        found is not None and found.score < 1.0 and found.reason.startswith("different patronymic")
    )
    assert evidence.different_middle([], ["sergeyevich"], "patronymic") is None


@pytest.mark.parametrize(
    ("name", "forms", "numbers", "parts"),
    [
        ("OOO Romashka", ("limited",), (), ("romashka",)),
        ("Open Joint Stock Company Gazprom", ("joint_stock",), (), ("gazprom",)),
        ("Forty-Four Trading Ltd", ("limited",), (44,), ("trading",)),
        ("1st Bank", (), (1,), ("bank",)),
        ("John Smith born in 1970", (), (), ("john", "smith")),
        ("Limited", (), (), ("limited",)),  # nothing else left: still a name
    ],
)
def test_prepare_takes_forms_numbers_and_notes_out(
    name: str, forms: tuple[str, ...], numbers: tuple[int, ...], parts: tuple[str, ...]
) -> None:
    prepared = prepare(analyse_name(name))
    assert tuple(f for _, f in prepared.legal_forms) == forms
    assert prepared.numbers == numbers and prepared.primaries == parts
