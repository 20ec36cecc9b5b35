"""Identifiers normalised by kind: two spellings of one number meet, different kinds never."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interdict.exchange.identifiers import identifier_items, normalise_identifier

SAME = [
    ("DE89 3704 0044 0532 0130 00", "iban:de89370400440532013000", "iban:DE89370400440532013000"),
    ("GB82-WEST-1234-5698-7654-32", "GB82WEST12345698765432", "iban:GB82WEST12345698765432"),
    ("+44 20 7946 0958", "0044 (20) 7946-0958", "phone:+442079460958"),
    (
        "Ana.Example@Mail.Example",
        "email: ana.example@mail.example ",
        "email:ana.example@mail.example",
    ),
    (
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "wallet:0x52908400098527886e0f7030069857d2e4169ee7",
        "wallet:0x52908400098527886e0f7030069857d2e4169ee7",
    ),
    ("passport:ab 123-4567", "AB1234567", "document:AB1234567"),
    ("400 123 456", "400-123-456", "document:400123456"),
    ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", None),
]


@pytest.mark.parametrize(("left", "right", "expected"), SAME)
def test_two_spellings_of_one_identifier_meet(left: str, right: str, expected: str | None) -> None:
    assert normalise_identifier(left) == normalise_identifier(right)
    if expected is not None:
        assert normalise_identifier(left) == expected


def test_an_iban_with_a_wrong_check_digit_is_not_an_iban() -> None:
    assert normalise_identifier("DE88 3704 0044 0532 0130 00") == "document:DE88370400440532013000"
    assert normalise_identifier("iban:DE88 3704 0044 0532 0130 00") is None


def test_kinds_never_meet_on_equal_digits() -> None:
    assert normalise_identifier("account:4001234567") != normalise_identifier("4001234567")


def test_several_identifiers_in_one_field_zero_width_and_junk_dropped() -> None:
    items = identifier_items("AB\u200b1234567; +7 701 123 45 67;;  ; ###; AB1234567")
    assert items == ["document:AB1234567", "phone:+77011234567"]


@given(st.text(max_size=300))
def test_any_text_gives_items_or_nothing_and_normalising_is_stable(text: str) -> None:
    for item in identifier_items(text):
        assert normalise_identifier(item) == item
