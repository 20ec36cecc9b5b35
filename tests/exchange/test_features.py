"""Name features are the pipeline's cross-script keys: spellings of one name share them."""

from __future__ import annotations

import pytest

from interdict.exchange.features import name_features, prepare
from interdict.model import Party

SAME_PERSON = [
    ("Раҳмонов Шоҳрух", "Shokhrukh Rakhmonov"),
    ("Мухаммад Абдуллаев", "Muhammad Abdullaev"),
    ("محمد عبدالله", "Mohammed Abdullah"),
    ("Usama bin Ladin", "Osama bin Laden"),
]


@pytest.mark.parametrize(("left", "right"), SAME_PERSON)
def test_spellings_across_scripts_share_blocks_and_most_features(left: str, right: str) -> None:
    left_features, left_blocks = name_features(left)
    right_features, right_blocks = name_features(right)
    assert set(left_blocks) & set(right_blocks)
    shared = set(left_features) & set(right_features)
    assert 2 * len(shared) / (len(left_features) + len(right_features)) >= 0.6


def test_features_carry_no_letters_of_the_name_as_written() -> None:
    features, _ = name_features("Шохрух Рахмонов")
    assert all(f.isascii() and f[:2] in ("s:", "g:") for f in features)


def test_the_salt_is_the_birth_year_or_a_dash() -> None:
    prepared = prepare(
        [
            Party(id="1", name="Ana Lopez", birth_date="1980-05-01", id_number="AB1234567"),
            Party(id="2", name="Ana Lopez"),
        ],
        identifiers=True,
        names=True,
    )
    assert prepared.salts == [b"1980", b"-"]
    assert prepared.identifier_items() == ["id\x1fdocument:AB1234567"]
