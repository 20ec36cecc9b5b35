"""Model validation: partial dates, names, parties."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from interdict.model import Name, PartialDate, Party


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1975", "1975"),
        ("1975-05", "1975-05"),
        ("1975-05-14", "1975-05-14"),
        ("1965..1968", "1965..1968"),
        ("~1970", "~1970"),
    ],
)
def test_partial_date_round_trip(text: str, shown: str) -> None:
    assert str(PartialDate.parse(text)) == shown


@pytest.mark.parametrize("text", ["", "75", "1975-13", "1975-02-30x", "abcd", "1970..1960"])
def test_bad_partial_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_names_are_trimmed_and_never_blank() -> None:
    assert Name(full="  Osama   bin  Laden ").full == "Osama bin Laden"
    with pytest.raises(ValidationError):
        Name(full="   ")
    with pytest.raises(ValidationError):
        Name(full="x" * 501)


def test_party_accepts_date_strings_and_refuses_unknown_fields() -> None:
    party = Party(id="1", name="A B", birth_date="1980-02")  # type: ignore[arg-type]
    assert party.birth_date == PartialDate(year=1980, month=2)
    with pytest.raises(ValidationError):
        Party.model_validate({"id": "1", "name": "A", "nickname": "x"})
