"""Clean a raw name: Unicode NFKC, invisible and bidi characters, homoglyphs, case, punctuation.

Evasion defences live here: zero-width and bidi control characters are removed, and a word written
mostly in Latin letters with a few Cyrillic or Greek look-alikes ("Оsama" with a Cyrillic О) is
folded back to Latin, so that neither trick hides a listed name.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from functools import lru_cache

from interdict.names.tables import name_tables

__all__ = ["Script", "clean_name", "detect_script", "fold_homoglyphs", "letter_script"]

_APOSTROPHES = "'’‘ʼʻ`´ʹʾʿ"


_ARABIC_FOLD = str.maketrans(
    {
        "ی": "ي",  # Persian/Urdu yeh → Arabic yeh (one letter, two code points)
        "ې": "ي",  # Pashto yeh
        "ے": "ي",  # Urdu yeh barree
        "ک": "ك",  # Persian keheh → Arabic kaf
        "ہ": "ه",  # Urdu heh goal
        "ھ": "ه",  # heh doachashmee
        "ۀ": "ه",
        "ـ": None,  # tatweel, a stretching stroke, not a letter
    }
)
"""Arabic-script code points that write the same letter (folded so spellings compare)."""


class Script(StrEnum):
    """Writing system of a word or name."""

    LATIN = "Latin"
    CYRILLIC = "Cyrillic"
    ARABIC = "Arabic"
    GREEK = "Greek"
    OTHER = "Other"
    MIXED = "Mixed"
    NONE = "None"


@lru_cache(maxsize=8192)
def letter_script(char: str) -> Script:
    """Script of one letter, from its Unicode name; digits and marks are ``NONE``."""
    if not char.isalpha():
        return Script.NONE
    name = unicodedata.name(char, "")
    for script in (Script.LATIN, Script.CYRILLIC, Script.ARABIC, Script.GREEK):
        if name.startswith(script.value.upper()):
            return script
    if "ARABIC" in name or "PERSIAN" in name:
        return Script.ARABIC
    return Script.OTHER


def detect_script(text: str) -> Script:
    """The one script a text's letters use, else ``MIXED`` (or ``NONE`` without letters)."""
    scripts = {letter_script(ch) for ch in text} - {Script.NONE}
    if not scripts:
        return Script.NONE
    if len(scripts) == 1:
        return scripts.pop()
    return Script.MIXED


@lru_cache(maxsize=100_000)
def fold_homoglyphs(word: str) -> str:
    """Replace Cyrillic/Greek look-alikes in a word that is otherwise Latin (and vice versa).

    A word whose letters are mostly Latin gets its confusable letters mapped to Latin. A word that
    is mostly Cyrillic keeps its Cyrillic letters, but Latin look-alikes in it are mapped to the
    Cyrillic letter they imitate, so that transliteration sees one script.
    """
    scripts = [letter_script(ch) for ch in word]
    latin = scripts.count(Script.LATIN)
    foreign = sum(1 for s in scripts if s in (Script.CYRILLIC, Script.GREEK))
    if latin == 0 or foreign == 0:
        return word
    table = name_tables().confusables
    if latin >= foreign:
        return "".join(
            table.get(ch, ch) if s is not Script.LATIN else ch
            for ch, s in zip(word, scripts, strict=True)
        )
    reverse = _latin_to_cyrillic()
    return "".join(
        reverse.get(ch, ch) if s is Script.LATIN else ch
        for ch, s in zip(word, scripts, strict=True)
    )


def _latin_to_cyrillic() -> dict[str, str]:
    table = name_tables().confusables
    reverse: dict[str, str] = {}
    for source, target in table.items():
        if letter_script(source) is Script.CYRILLIC and source.islower() == target.islower():
            reverse.setdefault(target, source)
    return reverse


_ASCII_CLEAN = str.maketrans(
    {
        chr(code): (None if chr(code) in _APOSTROPHES else " ")
        for code in range(128)
        if not chr(code).isalnum()
    }
)
"""What :func:`clean_name` does to ASCII: apostrophes go, anything but letters and digits splits."""


def clean_name(text: str) -> str:
    """Canonical form of a name for matching: one line, lower case, words split by single spaces.

    Idempotent: ``clean_name(clean_name(x)) == clean_name(x)``.
    """
    if text.isascii():
        # Nothing to normalise, fold or casefold beyond lower case: the common case, fast.
        return " ".join(text.translate(_ASCII_CLEAN).lower().split())
    return _clean_unicode(text)


class _CharTable(dict[int, str | None]):
    """``str.translate`` table, filled on first sight of each character: invisible and format
    characters and apostrophes go, letters, marks and digits stay, anything else splits words."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        category = unicodedata.category(char)
        value: str | None
        if char in name_tables().invisible or category == "Cf" or char in _APOSTROPHES:
            value = None
        else:
            value = char if category[0] in "LMN" else " "
        self[code] = value
        return value


_CHARS = _CharTable()


def _clean_unicode(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).translate(_CHARS).translate(_ARABIC_FOLD)
    words = [fold_homoglyphs(word) for word in value.split()]
    value = " ".join(words).casefold()
    # casefold can produce sequences NFKC would change again (e.g. ß -> ss is fine; ǅ -> dž).
    value = unicodedata.normalize("NFKC", value)
    return " ".join(value.split())
