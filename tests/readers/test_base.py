"""Shared hostile-input guards: decoding, control characters, DOCTYPE refusal."""

from __future__ import annotations

import codecs

import pytest

from interdict.errors import BadInputError
from interdict.readers.base import decode_text, parse_xml


def test_trailing_dos_end_of_file_byte_is_dropped() -> None:
    assert decode_text(b"a,b\r\n\x1a", "f.csv") == "a,b\r\n"
    assert (
        decode_text(codecs.BOM_UTF16_LE + "a,b\n".encode("utf-16-le") + b"\x1a", "f.csv") == "a,b\n"
    )


def test_control_character_mid_file_is_refused_with_its_line() -> None:
    with pytest.raises(BadInputError, match=r"f\.csv line 2.*U\+001A"):
        decode_text(b"a,b\nc\x1a,d\n", "f.csv")


def test_boms_and_legacy_encodings() -> None:
    assert decode_text(codecs.BOM_UTF8 + "Раҳмонов".encode(), "f") == "Раҳмонов"
    assert decode_text("Müller".encode("cp1252"), "f") == "Müller"


def test_doctype_is_refused_before_parsing() -> None:
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(BadInputError, match="DOCTYPE"):
        parse_xml(xxe, "evil.xml")
