"""Romanise a word into the Latin spellings that lists and bank records actually use.

Why by hand: general transliterators (ICU, anyascii) give one canonical romanisation per word, but a
Cyrillic or Arabic-script name reaches a list or a payment in several honest spellings
(Рахмонов → Rakhmonov, Rahmonov; عبد الرحمن → Abd al-Rahman, Abdurrahman). We generate a few
variants from the tables in ``data/cyrillic.yaml`` and ``data/arabic.yaml``; scripts we have no
table for fall back to ``anyascii``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from anyascii import anyascii

from interdict.names.normalize import Script, detect_script, letter_script
from interdict.names.tables import NameTables, name_tables

__all__ = ["MAX_VARIANTS", "latin_forms"]

MAX_VARIANTS = 3
_ARABIC_VOWEL_LETTERS = {"ا": "a", "و": "u", "ي": "i", "ی": "i", "ى": "a", "ة": "a", "ه": "h"}
_ARABIC_CONSONANT_START = {"و": "w", "ي": "y", "ی": "y"}
_SHADDA = "\u0651"
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяәөүұӯӣіїєў")


def _ascii_fold(word: str) -> str:
    folded = anyascii(word).casefold()
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def _pick(options: tuple[str, ...], rank: int) -> str:
    return options[min(rank, len(options) - 1)]


def _cyrillic_forms(word: str, tables: NameTables) -> list[str]:
    # Variants change the consonants only: records differ on х → kh/h or ж → zh/j far more
    # than on vowels, and changing every letter at once yields spellings nobody writes.
    forms: list[str] = []
    for rank in range(MAX_VARIANTS):
        out: list[str] = []
        for index, char in enumerate(word):
            # в → w (German practice) would read as a glide and erase the consonant.
            letter_rank = 0 if char in _CYRILLIC_VOWELS or char == "в" else rank
            if index == 0 and char in tables.cyrillic_initial:
                out.append(_pick(tables.cyrillic_initial[char], letter_rank))
            elif char in tables.cyrillic:
                out.append(_pick(tables.cyrillic[char], letter_rank))
            else:
                out.append(_ascii_fold(char))
        forms.append("".join(out))
    return forms


def _arabic_forms(word: str, tables: NameTables) -> list[str]:
    forms: list[str] = []
    for rank in range(MAX_VARIANTS):
        out: list[str] = []
        for index, char in enumerate(word):
            if char == _SHADDA and out:
                out.append(out[-1][-1:])
            elif char in tables.arabic_marks:
                out.append(_pick(tables.arabic_marks[char], rank))
            elif char in tables.digits:
                out.append(tables.digits[char])
            elif rank == 0 and char in _ARABIC_VOWEL_LETTERS:
                # The primary form reads long-vowel letters as vowels, except a word-initial
                # waw/ya, which are consonants; the other ranks follow the table's variants.
                start = _ARABIC_CONSONANT_START.get(char) if index == 0 else None
                out.append(start or _ARABIC_VOWEL_LETTERS[char])
            elif char in tables.arabic:
                out.append(_pick(tables.arabic[char], rank))
            else:
                out.append(_ascii_fold(char))
        forms.append("".join(out))
    return forms


@lru_cache(maxsize=200_000)
def latin_forms(word: str) -> tuple[str, ...]:
    """Lower-case ASCII spellings of one cleaned word, the most usual first, without duplicates.

    Cyrillic and Arabic-script words get up to ``MAX_VARIANTS`` spellings (``раҳмонов`` →
    ``rahmonov``, ``rakhmonov`` …); Latin words with diacritics are folded to ASCII.
    """
    tables = name_tables()
    script = detect_script(word)
    if script is Script.CYRILLIC:
        forms = _cyrillic_forms(word, tables)
    elif script is Script.ARABIC:
        forms = _arabic_forms(word, tables)
    elif script is Script.MIXED:
        # Each letter by its own script: a Cyrillic run inside a Latin word is romanised too.
        forms = [
            "".join(
                _cyrillic_forms(ch, tables)[0]
                if letter_script(ch) is Script.CYRILLIC
                else _arabic_forms(ch, tables)[0]
                if letter_script(ch) is Script.ARABIC
                else _ascii_fold(ch)
                for ch in word
            )
        ]
    else:
        forms = [_ascii_fold(unicodedata.normalize("NFC", word))]
    unique: list[str] = []
    for form in forms:
        clean = "".join(ch for ch in form if ch.isascii() and ch.isalnum())
        if clean and clean not in unique:
            unique.append(clean)
    return tuple(unique)
