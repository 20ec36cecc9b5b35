"""Clean a raw name: Unicode NFKC, invisible and bidi characters, homoglyphs, case, punctuation.

Evasion defences live here, so that no trick hides a listed name:

- zero-width and bidi control characters are removed; a name under a bidi override, which shows
  its letters in reverse, has a second reading in the order a reader sees (:func:`readings`);
- a word written mostly in Latin letters with look-alikes from another script ("Оsama" with a
  Cyrillic О, "Badeցe" with an Armenian ց) is folded back to Latin, and so is a word written
  wholly in Greek or Armenian look-alikes inside a Latin name;
- digits and symbols written for letters inside a word ("0sama b1n Lad3n", "Mu$tafa") become
  the letters (never in a number, a trailing number or an ordinal: "Fund 8", "Fund8", "1st");
- combining marks that compose with no Latin letter (stacked or random marks) are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

from interdict.names.tables import name_tables

__all__ = [
    "Script",
    "clean_name",
    "detect_script",
    "fold_homoglyphs",
    "letter_script",
    "readings",
    "unleet",
]

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
    """Replace look-alikes from another script in a word that is otherwise Latin (and vice versa).

    A word mixing Latin letters with Greek, Armenian or (fewer) Cyrillic ones gets its confusable
    letters mapped to Latin. A word that is mostly Cyrillic keeps its Cyrillic letters, but Latin
    look-alikes in it are mapped to the Cyrillic letter they imitate, so that transliteration
    sees one script.
    """
    scripts = [letter_script(ch) for ch in word]
    latin = scripts.count(Script.LATIN)
    foreign = sum(1 for s in scripts if s not in (Script.LATIN, Script.NONE))
    if latin == 0 or foreign == 0:
        return word
    table = name_tables().confusables
    if latin >= scripts.count(Script.CYRILLIC):
        # Greek and Armenian look-alikes in a Latin word are evasion, however many there are.
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
        return " ".join(unleet(text).translate(_ASCII_CLEAN).lower().split())
    return _clean_unicode(text)


_LEET_CHARS = re.compile(r"[0-9@$!|€]")
_KEPT_NUMBER = re.compile(r"[^\W\d_]*\d+(?:st|nd|rd|th)?", re.IGNORECASE)
"""A word ending in its number ("Fund8", "B52") or an ordinal ("1st")."""
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE)


def unleet(text: str) -> str:
    """``text`` with digits and symbols written for letters inside words made letters again.

    >>> unleet("0sama b1n Lad3n, Fund 8, 1st Mu$tafa")
    'osama bin Laden, Fund 8, 1st Mustafa'
    """
    if not _LEET_CHARS.search(text):
        return text
    leet = name_tables().leet
    words = text.split(" ")
    cores = [word.strip(".,;:()[]\"'") for word in words]
    mixed = [any(ch.isalpha() for ch in core) and bool(_LEET_CHARS.search(core)) for core in cores]
    # A word ending in digits ("Fund8") keeps them, unless the name writes digits for letters
    # elsewhere ("Jul10 Nh4t3"): then its digits are letters too. Ordinals always stay.
    evasive = any(m and not _KEPT_NUMBER.fullmatch(c) for m, c in zip(mixed, cores, strict=True))
    for i, core in enumerate(cores):
        if not mixed[i] or _ORDINAL.fullmatch(core):
            continue
        if evasive or not _KEPT_NUMBER.fullmatch(core):
            words[i] = "".join(leet.get(ch, ch) for ch in words[i])
    return " ".join(words)


_OVERRIDES = {"\u202e": True, "\u202d": False}
"""Bidi overrides: right-to-left (True) and left-to-right (False)."""
_POP = "\u202c"
_RTL_LETTERS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufefc]")


def readings(text: str) -> tuple[str, ...]:
    """The ways a name can be read: as stored and, under a bidi override, as displayed.

    An override shows the letters it governs in reverse: ``"\u202enedaL nib amasO"`` is stored
    backwards and displayed "Osama bin Laden", which is what the reader of the payment sees. A
    name is screened under every reading.
    """
    if not any(ch in text for ch in _OVERRIDES):
        return (text,)
    shown: list[str] = []
    span: list[str] = []
    direction: bool | None = None
    for ch in text + _POP:
        if ch in _OVERRIDES or ch == _POP:
            run = "".join(span)
            natural_rtl = bool(_RTL_LETTERS.search(run))
            reverse = direction is not None and direction != natural_rtl
            shown.append(run[::-1] if reverse else run)
            span = []
            direction = _OVERRIDES.get(ch)
        else:
            span.append(ch)
    visual = "".join(shown)
    unchanged = "".join(ch for ch in text if ch not in _OVERRIDES and ch != _POP)
    return (text,) if visual == unchanged else (text, visual)


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


def _fold_lookalike_words(words: list[str]) -> list[str]:
    """Words wholly in Greek or Armenian look-alikes, in a name with Latin words, to Latin."""
    if not any(letter_script(ch) is Script.LATIN for word in words for ch in word):
        return words
    table = name_tables().confusables
    folded = []
    for word in words:
        scripts = {letter_script(ch) for ch in word} - {Script.NONE}
        if (
            scripts
            and scripts <= {Script.GREEK, Script.OTHER}
            and all(ch in table for ch in word if ch.isalpha())
        ):
            word = "".join(table.get(ch, ch) for ch in word)
        folded.append(word)
    return folded


def _drop_loose_marks(word: str) -> str:
    """A Latin word without the combining marks that composed with none of its letters."""
    if detect_script(word) is not Script.LATIN:
        return word
    return "".join(ch for ch in word if unicodedata.category(ch) != "Mn")


def _clean_unicode(text: str) -> str:
    value = unleet(unicodedata.normalize("NFKC", text))
    value = value.translate(_CHARS).translate(_ARABIC_FOLD)
    words = _fold_lookalike_words([fold_homoglyphs(word) for word in value.split()])
    value = " ".join(_drop_loose_marks(word) for word in words).casefold()
    # casefold can produce sequences NFKC would change again (e.g. ß -> ss is fine; ǅ -> dž).
    value = unicodedata.normalize("NFKC", value)
    return " ".join(value.split())
