"""Break a name into tagged parts that the matcher can compare across scripts.

A name is cleaned (``normalize``), titles are dropped ("Sheikh", "Mullah", "Dr"), joined prefixes
are split ("Abdurrahman" → "abd" + "rrahman", "عبدالله" → "عبد" + "الله"), articles ("al-",
"ال") are dropped, filial particles ("bin", "uulu", "kyzy", "ogly") are kept with little weight,
patronymics ("Ivanovich") are tagged, and every part gets its Latin spellings, consonant
skeleton, surname stem ("Rakhmonova" → "rakhmon") and given-name variant group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

from interdict.names.korean import korean_keys
from interdict.names.normalize import Script, clean_name, detect_script
from interdict.names.phonetic import skeleton, strip_suffix
from interdict.names.tables import NameTables, name_tables
from interdict.names.transliterate import latin_forms

__all__ = [
    "MAX_JOIN",
    "NameAnalysis",
    "Role",
    "Token",
    "analyse_name",
    "joined_skeletons",
    "spelt_together",
]

MAX_JOIN = 6
"""Longest run of adjacent parts compared as one written-together part: a whole name of up to
six parts written with every space removed ("Gedeonkyungumutangawabafunkwakanonga")."""

_ARABIC_ARTICLE = "ال"
_ARABIC_ABD = "عبد"
_LATIN_ARTICLE_PREFIXES = ("al", "el")
_PLAIN_ARTICLES = frozenset(
    {"al", "el", "il", "ul", "ol", "l", "аль", "ал", "эль", _ARABIC_ARTICLE}
)
"""Always articles. The assimilated ones in the tables (ad, ar, as, ash, ud, ur …) are also
ordinary words, so they count as articles only before a word starting with their consonant
(ad-Din, ar-Rahman, ash-Shami)."""


class Role(StrEnum):
    """What a name part does in the name."""

    NAME = "name"
    PARTICLE = "particle"
    PATRONYMIC = "patronymic"


@dataclass(frozen=True, slots=True)
class Token:
    """One part of a name with every key it can be matched by."""

    text: str
    """The cleaned word as written (any script)."""
    forms: tuple[str, ...]
    """Lower-case ASCII spellings, the most usual first."""
    skeletons: frozenset[str]
    stems: frozenset[str]
    """Skeletons of the word without a surname/patronymic suffix or a joined article."""
    group: str | None
    """Given-name variant group (``muhammad`` for Magomed, Мухаммад, محمد …)."""
    role: Role
    vowelless: bool = False
    """Written in Arabic script: short vowels are absent, so spellings compare by consonants."""
    _keys: frozenset[str] = field(init=False, repr=False, compare=False)
    form_set: frozenset[str] = field(init=False, repr=False, compare=False)
    """The spellings, as a set."""
    near_skeletons: frozenset[str] = field(init=False, repr=False, compare=False)
    """Skeletons of three letters or more and each with one letter deleted: two parts whose
    skeletons are one edit apart share one of these."""

    def __post_init__(self) -> None:
        keys = {f"s:{s}" for s in self.skeletons} | {f"s:{s}" for s in self.stems}
        if self.group:
            keys.add(f"g:{self.group}")
        object.__setattr__(self, "_keys", frozenset(keys))
        object.__setattr__(self, "form_set", frozenset(self.forms))
        near = {s for s in self.skeletons if len(s) >= 3}
        near |= {s[:i] + s[i + 1 :] for s in near for i in range(len(s))}
        object.__setattr__(self, "near_skeletons", frozenset(near))

    @property
    def primary(self) -> str:
        """The usual ASCII spelling."""
        return self.forms[0] if self.forms else self.text

    def blocking_keys(self) -> frozenset[str]:
        """Every blocking key of this part: skeletons, stems and the variant group."""
        return self._keys


@dataclass(frozen=True, slots=True)
class NameAnalysis:
    """A name ready for matching."""

    original: str
    cleaned: str
    script: Script
    tokens: tuple[Token, ...]
    run_skeletons: frozenset[str] = frozenset()
    """Skeletons of runs of 2 to :data:`MAX_JOIN` adjacent parts written together."""
    part_skeletons: frozenset[str] = frozenset()
    """Skeletons of the single identity-carrying parts."""
    korean_keys: frozenset[str] = frozenset()
    """Candidate keys of a Korean-looking name (:func:`~interdict.names.korean.korean_keys`):
    its syllables in one romanisation, so that Kwang finds Gwang. Not part keys: they do not
    change a part's rarity weight."""
    name_tokens: tuple[Token, ...] = field(init=False, repr=False, compare=False)
    """Parts that carry identity (not particles)."""

    def __post_init__(self) -> None:
        named = tuple(t for t in self.tokens if t.role is not Role.PARTICLE)
        object.__setattr__(self, "name_tokens", named)


def _split_joined(word: str, tables: NameTables) -> list[str]:
    """Split words written joined: Arabic article and ``abd``, Latin ``abdul``/``abdur``…"""
    if word in tables.keep_whole or word in tables.variant_group:
        return [word]
    if detect_script(word) is Script.ARABIC:
        parts: list[str] = []
        if word.startswith(_ARABIC_ABD) and len(word) > len(_ARABIC_ABD) + 1:
            parts.append(_ARABIC_ABD)
            word = word[len(_ARABIC_ABD) :]
        if word.startswith(_ARABIC_ARTICLE) and len(word) > len(_ARABIC_ARTICLE) + 1:
            parts.append(_ARABIC_ARTICLE)
            word = word[len(_ARABIC_ARTICLE) :]
        return [*parts, word]
    latin = word if word.isascii() else (latin_forms(word) or (word,))[0]
    if latin in tables.keep_whole or latin in tables.variant_group:
        return [word]
    for prefix in tables.joined_prefixes:
        if latin.startswith(prefix) and len(latin) - len(prefix) >= 2 and prefix.startswith("abd"):
            return ["abd", latin[len(prefix) :]]
    return [word]


def _role(word: str, forms: tuple[str, ...], tables: NameTables) -> Role:
    spellings = {word, *forms}
    if spellings & _PLAIN_ARTICLES:
        return Role.PARTICLE
    if spellings & tables.filial:
        return Role.PARTICLE
    if any(strip_suffix(f, tables.patronymic_suffixes) for f in forms[:1]):
        return Role.PATRONYMIC
    return Role.NAME


def _stems(forms: tuple[str, ...], tables: NameTables) -> frozenset[str]:
    stems: set[str] = set()
    for form in forms:
        for suffixes in (tables.family_suffixes, tables.patronymic_suffixes, tables.given_suffixes):
            stem = strip_suffix(form, suffixes)
            if stem:
                stems.add(skeleton(stem))
        if form.startswith(_LATIN_ARTICLE_PREFIXES) and len(form) >= 6:
            stems.add(skeleton(form[2:]))
    return frozenset(stems)


@lru_cache(maxsize=300_000)
def _analyse_word(word: str) -> tuple[Token, ...]:
    tables = name_tables()
    tokens: list[Token] = []
    for part in _split_joined(word, tables):
        forms = latin_forms(part) or (part,)
        group = tables.variant_group.get(part)
        if group is None:
            group = next(
                (tables.variant_group[f] for f in forms if f in tables.variant_group), None
            )
        role = _role(part, forms, tables)
        skeletons = frozenset(skeleton(f) for f in forms)
        stems = _stems(forms, tables) - skeletons
        arabic = detect_script(part) is Script.ARABIC
        tokens.append(Token(part, forms, skeletons, stems, group, role, arabic))
    return tuple(tokens)


def joined_skeletons(run: Sequence[Token]) -> tuple[str, str]:
    """Skeletons of parts written together: with particles ("smbnldn") and without ("smldn")."""
    with_all = "".join(min(t.skeletons) for t in run)
    core = "".join(min(t.skeletons) for t in run if t.role is not Role.PARTICLE)
    return with_all, core


def spelt_together(run: Sequence[Token]) -> tuple[str, str]:
    """:func:`joined_skeletons` taken from the joined spelling, which a digraph or a letter
    repeated across a boundary makes differ from the parts' skeletons joined: "innocent
    zimurinda" written together has a "tz", "frank kakolele" one "k"."""
    with_all = skeleton("".join(t.forms[0] for t in run))
    core = skeleton("".join(t.forms[0] for t in run if t.role is not Role.PARTICLE))
    return with_all, core


def _mark_assimilated_articles(tokens: list[Token]) -> list[Token]:
    """``ad din``, ``ar rahman``, ``ash shami``: an assimilated article before its consonant."""
    articles = name_tables().articles
    marked = list(tokens)
    for i in range(len(tokens) - 1):
        word, following = tokens[i].primary, tokens[i + 1].primary
        if (
            tokens[i].role is Role.NAME
            and word in articles
            and len(word) >= 2
            and following.startswith(word[1:])
            and len(following) > len(word)
        ):
            marked[i] = replace(tokens[i], role=Role.PARTICLE)
    return marked


def _merged_token(words: list[str], group: str) -> Token:
    """One token for several words that together spell one given name ("abd al rahman")."""
    parts = [token for word in words for token in _analyse_word(word)]
    core = [t for t in parts if t.role is not Role.PARTICLE] or parts
    forms = ("".join(t.primary for t in parts), "".join(t.primary for t in core))
    skeletons = frozenset({"".join(min(t.skeletons) for t in core)})
    arabic = any(t.vowelless for t in parts)
    text = " ".join(words)
    return Token(
        text, tuple(dict.fromkeys(forms)), skeletons, frozenset(), group, Role.NAME, arabic
    )


def _words_to_tokens(words: list[str]) -> list[Token]:
    """Tokens of a name's words; runs of words spelling one listed given name stay together."""
    groups = name_tables().variant_group
    tokens: list[Token] = []
    i = 0
    while i < len(words):
        for size in (3, 2):
            run = words[i : i + size]
            group = groups.get(" ".join(run)) if len(run) == size else None
            if group is None and len(run) == size:
                latin = [(latin_forms(w) or (w,))[0] for w in run]
                group = groups.get(" ".join(latin))
            if group is not None:
                tokens.append(_merged_token(run, group))
                i += size
                break
        else:
            tokens.extend(_analyse_word(words[i]))
            i += 1
    return tokens


@lru_cache(maxsize=100_000)
def _is_title(word: str) -> bool:
    tables = name_tables()
    return word in tables.titles or any(f in tables.titles for f in latin_forms(word)[:1])


def analyse_name(text: str) -> NameAnalysis:
    """Clean, split and tag a name. Titles are dropped unless nothing else is left."""
    cleaned = clean_name(text)
    words = cleaned.split()
    kept = [w for w in words if not _is_title(w)] or words
    tokens = tuple(_mark_assimilated_articles(_words_to_tokens(kept)))
    if tokens and all(t.role is Role.PARTICLE for t in tokens):
        # A name made only of particles ("Bin", "Al") is still a name to match.
        tokens = tuple(replace(t, role=Role.NAME) for t in tokens)
    runs = {
        joined
        for size in range(2, MAX_JOIN + 1)
        for start in range(len(tokens) - size + 1)
        if tokens[start + size - 1].role is not Role.PARTICLE
        for joined in (
            *joined_skeletons(tokens[start : start + size]),
            *spelt_together(tokens[start : start + size]),
        )
    }
    parts = {s for t in tokens if t.role is not Role.PARTICLE for s in t.skeletons}
    korean = korean_keys([t.primary for t in tokens])
    return NameAnalysis(
        text, cleaned, detect_script(cleaned), tokens, frozenset(runs), frozenset(parts), korean
    )
