"""Cleaning names: Unicode forms, invisible characters, homoglyphs, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.names.normalize import Script, clean_name, detect_script


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Osama   BIN-Laden ", "osama bin laden"),
        ("O\u200bsa\u200dma bin La\u00addin", "osama bin ladin"),  # zero-width and soft hyphen
        ("\u202eOsama\u202c bin Laden", "osama bin laden"),  # bidi override
        ("Оsama bin Lаden", "osama bin laden"),  # Cyrillic О and а inside Latin words
        ("Ｏｓａｍａ", "osama"),  # full-width letters (NFKC)
        ("AL-QA'IDA", "al qaida"),
        ("Раҳмонов Шоҳрух", "раҳмонов шоҳрух"),
        ("Abd al‑Rahman (a.k.a.)", "abd al rahman a k a"),
    ],
)
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Rakhmonov", Script.LATIN),
        ("Раҳмонов", Script.CYRILLIC),
        ("عبد الرحمن", Script.ARABIC),
        ("ایوب بشیر", Script.ARABIC),
        ("Ivan Иванов", Script.MIXED),
        ("123", Script.NONE),
    ],
)
def test_detect_script(text: str, script: Script) -> None:
    assert detect_script(text) is script


@settings(max_examples=300, deadline=None, print_blob=True)
@given(st.text(max_size=60))
def test_clean_name_is_idempotent(text: str) -> None:
    once = clean_name(text)
    assert clean_name(once) == once


@settings(max_examples=200, deadline=None, print_blob=True)
@given(st.text(max_size=60))
def test_clean_name_has_no_invisible_or_control_characters(text: str) -> None:
    cleaned = clean_name(text)
    assert all(ch.isprintable() for ch in cleaned)
    assert "\u200b" not in cleaned and "\u202e" not in cleaned
