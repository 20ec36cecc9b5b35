"""The EDIFACT tokeniser: service string advice, release characters, functional groups, what real
senders get wrong (tolerated with a warning) and what is broken (BadInputError with the place)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.readers.travel.edifact import parse_interchange

GROUPED = (
    "UNA:+.? '"
    "UNB+UNOA:4+AIRLINE:ZZ+GOV:ZZ+240501:1200+REF1'"
    "UNG+PAXLST+AIRLINE+GOV+240501:1200+1+UN+D:05B'"
    "UNH+M1+PAXLST:D:05B:UN:IATA'"
    "BGM+745'"
    "NAD+FL+++O?'NEILL:SEAN?+PAT'"
    "UNT+4+M1'"
    "UNE+1+1'"
    "UNZ+1+REF1'"
)


def parse(text: str) -> object:
    return parse_interchange(text.encode(), "manifest.edi")


def test_functional_groups_and_release_characters() -> None:
    interchange = parse_interchange(GROUPED.encode(), "m.edi")
    assert interchange.syntax == "UNOA"
    assert interchange.prepared == "240501"
    [message] = interchange.messages
    assert (message.type, message.version, message.reference) == ("PAXLST", "D:05B", "M1")
    nad = message.segments[1]
    assert nad.tag == "NAD"
    assert nad.elements[3] == ("O'NEILL", "SEAN+PAT")
    assert interchange.warnings == []


def test_declared_separators_are_used() -> None:
    text = GROUPED.replace("UNA:+.? '", "UNA#*.! $").replace("'", "$").replace("+", "*")
    text = text.replace(":", "#").replace("?$", "!$").replace("?*", "!*")
    interchange = parse_interchange(text.encode(), "m.edi")
    assert interchange.messages[0].segments[1].elements[3] == ("O$NEILL", "SEAN*PAT")


def test_line_breaks_indentation_and_blank_in_tag_are_tolerated() -> None:
    text = GROUPED.replace("O?'NEILL", "O?#NE\nILL").replace("'", "'\n   ")
    text = text.replace("UNG+", "UNG +").replace("O?#", "O?'")
    message = parse_interchange(text.encode(), "m.edi").messages[0]
    assert message.segments[1].elements[3][0] == "O'NEILL"
    assert message.segments[1].line == 6


def test_five_character_una_and_typographic_apostrophe_warn() -> None:
    five = parse_interchange(GROUPED.replace("UNA:+.? '", "UNA:+? '\n").encode(), "m.edi")
    assert any("five characters" in w for w in five.warnings)
    curly = GROUPED.replace("BGM+745'", "BGM+745\u2019\n")
    repaired = parse_interchange(curly.encode(), "m.edi")
    assert [s.tag for s in repaired.messages[0].segments] == ["BGM", "NAD"]
    assert any("U+2019" in w for w in repaired.warnings)


def test_counts_that_do_not_add_up_and_trailing_text_warn() -> None:
    text = GROUPED.replace("UNT+4+M1", "UNT+99+M1") + "\n13Nov09"
    interchange = parse_interchange(text.encode(), "m.edi")
    assert any("UNT counts 99" in w for w in interchange.warnings)
    assert any("after UNZ" in w for w in interchange.warnings)


def test_unterminated_final_unz_is_tolerated() -> None:
    interchange = parse_interchange(GROUPED.removesuffix("'").encode(), "m.edi")
    assert any("UNZ has no terminator" in w for w in interchange.warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GROUPED[: GROUPED.index("UNT")], "is not closed by"),
        (GROUPED.replace("UNT+4+M1'", ""), "without UNT"),
        (GROUPED.replace("UNE+1+1'", ""), "not closed by UNE"),
        (GROUPED.replace("BGM+745'", "B1+745'"), "not a three-letter segment tag"),
        (GROUPED.replace("UNB+", "XYZ+", 1), "starts with UNB"),
        (GROUPED.replace("UNZ+1+REF1'", ""), "not closed by UNZ"),
        (GROUPED.replace("UNH+M1+PAXLST:D:05B:UN:IATA'", ""), "outside a message"),
        ("UNA:+", "cut off"),
        ("UNA+++.? '" + GROUPED[9:], "unusable separators"),
        ("", "starts with UNB"),
    ],
)
def test_broken_interchanges_name_the_place(text: str, expected: str) -> None:
    with pytest.raises(BadInputError) as caught:
        parse(text)
    assert expected in caught.value.message
    assert "manifest.edi" in caught.value.message


def test_segment_and_line_are_named() -> None:
    broken = GROUPED.replace("'", "'\n").replace("BGM+745", "bgm+745")
    with pytest.raises(BadInputError) as caught:
        parse(broken)
    assert "line 5 record segment 4:" in caught.value.message


def test_control_characters_are_refused() -> None:
    with pytest.raises(BadInputError, match="control character"):
        parse(GROUPED.replace("BGM+745", "BGM+7\x0145"))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_parse_or_raise_our_error(data: bytes) -> None:
    _parse_or_refuse(data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.integers(min_value=0, max_value=len(GROUPED)),
    st.integers(min_value=0, max_value=40),
    st.text(alphabet="UNAHTBGEZ+:'?* \n\u2019", max_size=12),
)
def test_mutated_interchanges_parse_or_raise_our_error(start: int, cut: int, insert: str) -> None:
    _parse_or_refuse((GROUPED[:start] + insert + GROUPED[start + cut :]).encode())


def _parse_or_refuse(data: bytes) -> None:
    """Messages of well-formed segments — or our error naming the input."""
    try:
        interchange = parse_interchange(data, "fuzz.edi")
    except BadInputError as exc:
        assert exc.where is not None and exc.where.startswith("fuzz.edi")
        return
    assert interchange.messages
    for message in interchange.messages:
        assert all(len(s.tag) == 3 and s.line >= 1 for s in message.segments)
