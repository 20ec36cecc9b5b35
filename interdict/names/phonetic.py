"""Consonant skeletons: a spelling-independent key that romanisations of one name share.

Arabic script writes no short vowels and Central Asian records spell one name many ways
(Abdulkhaliq, Abd al-Khaliq, Abdelkhalek; Rakhmonov, Rahmonov). Dropping vowels, the glides
w/y and the breathing letters h/kh/x, merging consonants that romanisations confuse
(q/k/c, j/g/dzh/zh, s/sh/ch/ts, f/v/ph, b/p, th/t, dh/d) and collapsing doubles gives a key
that all of them reach: ``khaliq`` and ``khalek`` → ``lk``; ``muhammad`` → ``md``.
The rules are deliberately coarse: the skeleton only proposes candidates and earns partial
credit; the scorer still compares spellings.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["skeleton", "strip_suffix"]

_DIGRAPHS = (
    ("shch", "s"),
    ("sch", "s"),
    ("tsh", "s"),
    ("tch", "s"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("sh", "s"),
    ("ch", "s"),
    ("ts", "s"),
    ("tz", "s"),
    ("ck", "k"),
)
_DIGRAPH_RE = re.compile("|".join(a for a, _ in _DIGRAPHS))
_DIGRAPH_MAP = dict(_DIGRAPHS)
_CLASSES = str.maketrans(
    {
        "a": None,
        "e": None,
        "i": None,
        "o": None,
        "u": None,
        "y": None,
        "w": None,
        "h": None,
        "x": None,
        "q": "k",
        "c": "k",
        "j": "g",
        "p": "b",
        "v": "f",
    }
)
_RUNS = re.compile(r"(.)\1+")


@lru_cache(maxsize=500_000)
def skeleton(ascii_word: str) -> str:
    """Consonant skeleton of a lower-case ASCII word; the word itself if it has no consonants.

    A word with no consonant left ("aya", "oh") keeps a marked copy of itself ("~aya") so that
    such words still only meet their own spelling.
    """
    word = _DIGRAPH_RE.sub(lambda m: _DIGRAPH_MAP[m.group()], ascii_word)
    word = "".join(ch for ch in word if not ch.isdigit()).translate(_CLASSES)
    word = _RUNS.sub(r"\1", word)
    return word or ("~" + ascii_word)


def strip_suffix(ascii_word: str, suffixes: tuple[str, ...], min_stem: int = 3) -> str | None:
    """The stem left after removing the first matching suffix (longest first), or ``None``."""
    for suffix in suffixes:
        if ascii_word.endswith(suffix) and len(ascii_word) - len(suffix) >= min_stem:
            return ascii_word[: -len(suffix)]
    return None
