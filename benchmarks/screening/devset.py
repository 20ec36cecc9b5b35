"""The development set: cases from every source we have, tagged by family, split dev / frozen.

Sources (see ``benchmarks/README.md``, section "Development benchmark"):

- **Held-out aliases** over the OFAC (SDN + non-SDN), UK and UN lists: for every entity with at
  least two distinct names, one strong alias or former name (seeded per entity) is taken out of
  the index and must find its entity; the index keeps every other name of every list. An alias
  in Arabic or Cyrillic script is a **cross-script** query: the entity then keeps only its
  Latin-script names. Every query is tagged with one family (first that applies):
  ``cross-script``, ``no shared word`` (no non-particle word in common with the remaining names:
  noms de guerre, beyond any name matcher, reported apart), ``korean`` (a DPRK-listed or
  Korean-national person), ``organisation``, ``partial`` (the alias has fewer or more words than
  every remaining name, or its words are a subset or superset of one), ``other``.
- **Evasion**: listed persons' primary names with up to two digits for letters (1 for i, 0 for
  o, 3 for e, 9 for g), with every space removed, or with up to two Cyrillic look-alike letters.
- **Hard negatives**, each a query that must *not* alert as one named entity: another entity
  of the same list sharing the most words with it; the same family name with another listed
  person's given name; another middle name; the same organisation name with another number or
  another (non-equivalent) legal form.
- **Clean customers** from Faker's ru_RU, uz_UZ, fa_IR, ar_SA, tr_TR, az_AZ, uk_UA, en_US, de_DE
  and ko_KR locales: persons with birth date and the locale's country, and some companies.
- **Labelled pairs** (one query against one listed name): matcher name_v2's specification pairs
  (``tests/screening/test_name_v2_cases.py``, part ``spec``: tuned on by definition) and the
  pairs below, written for the same families with other names.

**Split.** Every case belongs to ``dev`` or ``frozen`` by a SHA-256 hash of its key (the entity
id for list-derived cases, the query id for customers, the texts for pairs): 30 % is frozen.
The frozen part is never looked at while tuning a matcher: report it, don't tune on it.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from benchmarks.screening.cases import Case, Query
from benchmarks.screening.datasets import PARTICLES, name_script, words
from interdict.errors import BadInputError
from interdict.model import (
    Entity,
    Name,
    NameKind,
    NameQuality,
    PartialDate,
    Provenance,
    Schema,
)

__all__ = [
    "CLEAN_LOCALES",
    "FROZEN_SHARE",
    "PAIRS",
    "DevCase",
    "DevSet",
    "Kind",
    "Pair",
    "build_devset",
    "clean_customers",
    "evasion_cases",
    "hard_negatives",
    "held_out_aliases",
    "is_frozen",
    "labelled_pairs",
    "part_of",
]

FROZEN_SHARE = 0.30
"""Share of cases in the frozen test part (by hash, so the same cases every run)."""
_SPLIT_SALT = "interdict-devset-2026-12"
CLEAN_LOCALES: dict[str, str] = {
    "ru_RU": "RU",
    "uz_UZ": "UZ",
    "fa_IR": "IR",
    "ar_SA": "SA",
    "tr_TR": "TR",
    "az_AZ": "AZ",
    "uk_UA": "UA",
    "en_US": "US",
    "de_DE": "DE",
    "ko_KR": "KR",
}
"""Faker locale → the customers' country (nationality)."""

Kind = Literal["positive", "hard negative", "clean", "pair"]
Part = Literal["dev", "frozen", "spec"]


def is_frozen(key: str) -> bool:
    """Whether the case keyed ``key`` is in the frozen test part (a fixed 30 % by hash)."""
    digest = hashlib.sha256(f"{_SPLIT_SALT}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < FROZEN_SHARE


def part_of(key: str) -> Part:
    """``frozen`` or ``dev`` for ``key``."""
    return "frozen" if is_frozen(key) else "dev"


@dataclass(frozen=True)
class DevCase:
    """One case with its kind, family and part.

    For a ``hard negative`` the case's ``truth`` holds the entity it must *not* alert as; its
    false alert at ``t`` is that entity scoring ≥ ``t``.
    """

    case: Case
    kind: Kind
    family: str
    part: Part
    key: str
    """What the split hashed (entity id, query id or pair texts)."""


@dataclass(frozen=True)
class Pair:
    """A labelled pair: ``query`` against one listed ``listed`` name; ``match`` is the label."""

    family: str
    query: str
    listed: str
    match: bool
    schema: Schema = Schema.PERSON


@dataclass
class DevSet:
    """The index every list-derived case runs against, the cases, pairs and build facts."""

    entities: list[Entity]
    cases: list[DevCase]
    pairs: list[tuple[Pair, Part]]
    facts: dict[str, Any] = field(default_factory=dict)


# --- held-out aliases -------------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")
_KOREAN_PROGRAMS = ("DPRK", "KOREA", "NKOREA")


def _key(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def _is_latin(name: Name) -> bool:
    return name_script(name.full) == "LATIN"


def _is_korean(entity: Entity) -> bool:
    if entity.schema is not Schema.PERSON:
        return False
    if any(country.code == "KP" for country in entity.countries):
        return True
    return any(tag in program.upper() for program in entity.programs for tag in _KOREAN_PROGRAMS)


def _is_partial(held: str, others: Sequence[str]) -> bool:
    mine = words(held)
    theirs = [words(other) for other in others]
    if all(len(mine) != len(other) for other in theirs):
        return True
    return any(mine < other or other < mine for other in theirs)


def alias_family(held: Name, entity: Entity, kept: Sequence[Name]) -> str:
    """The family of a held-out alias given the entity's remaining names."""
    if not _is_latin(held):
        return "cross-script"
    others = [n.full for n in kept if _is_latin(n)]
    mine = words(held.full)
    if not any(mine & words(other) for other in others):
        return "no shared word"
    if _is_korean(entity):
        return "korean"
    if entity.schema in (Schema.ORGANIZATION, Schema.LEGAL_ENTITY):
        return "organisation"
    if _is_partial(held.full, others):
        return "partial"
    return "other"


def held_out_aliases(
    entities: Sequence[Entity], lists: Iterable[str], seed: int
) -> tuple[list[Entity], list[DevCase]]:
    """Hold one alias of each entity of ``lists`` out of the index; the index and the cases."""
    chosen_lists = set(lists)
    index: list[Entity] = []
    cases: list[DevCase] = []
    for entity in entities:
        entity_id = entity.entity_id()
        if entity.provenance is None or entity.provenance.list_name not in chosen_lists:
            index.append(entity)
            continue
        primary = {_key(n.full) for n in entity.names if n.kind is NameKind.PRIMARY}
        choices = [
            n
            for n in entity.names
            if n.kind is not NameKind.PRIMARY
            and n.quality is NameQuality.STRONG
            and _key(n.full) not in primary
            and len(_key(n.full)) > 2
        ]
        if len({_key(n.full) for n in entity.names}) < 2 or not choices:
            index.append(entity)
            continue
        held = random.Random(f"{seed}:{entity_id}").choice(choices)
        held_key = _key(held.full)
        kept = tuple(n for n in entity.names if _key(n.full) != held_key)
        if not _is_latin(held):
            kept = tuple(n for n in kept if _is_latin(n))
        if not kept:
            index.append(entity)
            continue
        index.append(entity.model_copy(update={"names": kept}))
        family = alias_family(held, entity, kept)
        query = Query(id=f"alias:{entity_id}", name=held.full, schema=entity.schema)
        case = Case(query, frozenset({entity_id}), family)
        cases.append(DevCase(case, "positive", family, part_of(entity_id), entity_id))
    return index, cases


# --- evasion ----------------------------------------------------------------------------------

_DIGITS = {"i": "1", "o": "0", "e": "3", "g": "9"}
"""Digits for letters, as issue 9 lists them."""
_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "i": "і"}
"""Latin letters → the Cyrillic letters that look the same."""


def _swap_some(text: str, table: dict[str, str], rng: random.Random, most: int = 2) -> str:
    """``text`` with up to ``most`` letters found in ``table`` (any case) replaced."""
    out = list(text)
    spots = [i for i, ch in enumerate(out) if ch.lower() in table]
    for spot in rng.sample(spots, min(most, len(spots))):
        swapped = table[out[spot].lower()]
        out[spot] = swapped.upper() if out[spot].isupper() else swapped
    return "".join(out)


def evasion_cases(entities: Sequence[Entity], lists: Iterable[str], seed: int) -> list[DevCase]:
    """Each listed person's primary Latin name, evaded one way (seeded per entity)."""
    chosen_lists = set(lists)
    cases: list[DevCase] = []
    for entity in entities:
        if entity.schema is not Schema.PERSON or entity.provenance is None:
            continue
        if entity.provenance.list_name not in chosen_lists:
            continue
        primary = next((n for n in entity.names if n.kind is NameKind.PRIMARY), None)
        if primary is None or not _is_latin(primary) or len(primary.full.split()) < 2:
            continue
        entity_id = entity.entity_id()
        rng = random.Random(f"{seed}:evasion:{entity_id}")
        how = rng.choice(("digits", "no spaces", "homoglyphs"))
        if how == "digits":
            text = _swap_some(primary.full, _DIGITS, rng)
        elif how == "no spaces":
            text = "".join(primary.full.split())
        else:
            text = _swap_some(primary.full, _HOMOGLYPHS, rng)
        if text == primary.full:
            continue
        family = f"evasion: {how}"
        query = Query(id=f"evasion:{entity_id}", name=text, schema=entity.schema)
        case = Case(query, frozenset({entity_id}), family)
        cases.append(DevCase(case, "positive", family, part_of(entity_id), entity_id))
    return cases


# --- hard negatives ---------------------------------------------------------------------------

_LEGAL_FORMS = {
    "llc": "jsc",
    "ltd": "jsc",
    "limited": "jsc",
    "ooo": "oao",
    "gmbh": "ag",
    "jsc": "llc",
    "ojsc": "llc",
    "oao": "ooo",
    "cjsc": "llc",
    "zao": "ooo",
    "ag": "gmbh",
    "sa": "sarl",
    "sarl": "sa",
    "plc": "llp",
    "inc": "llp",
    "corp": "llp",
    "corporation": "foundation",
    "fze": "plc",
}
"""A legal form → one of a different kind (limited ↔ joint stock …), written here and not taken
from the matcher's own tables, so that the benchmark does not grade the matcher by itself."""
_NUMBER = re.compile(r"\b\d+\b")
_COMMON_WORD = 300
"""Words held by more entities than this (``company``, ``mohammed``) do not pick neighbours."""


def _latin_names(entity: Entity) -> list[Name]:
    return [n for n in entity.names if _is_latin(n) and n.quality is NameQuality.STRONG]


def _negative(
    forbidden: Entity, text: str, group: str, number: int, keys: set[str]
) -> DevCase | None:
    if _key(text) in keys or not words(text):
        return None
    entity_id = forbidden.entity_id()
    query = Query(id=f"hard:{group}:{entity_id}:{number}", name=text, schema=forbidden.schema)
    case = Case(query, frozenset({entity_id}), group)
    return DevCase(case, "hard negative", group, part_of(entity_id), entity_id)


def _list_of(entity: Entity) -> str:
    return entity.provenance.list_name if entity.provenance else ""


def _shared_word_neighbour(
    entity: Entity, by_word: dict[str, list[int]], entities: Sequence[Entity], rng: random.Random
) -> str | None:
    """A name of another entity of the same list sharing the most words with ``entity``."""
    counts: dict[int, int] = defaultdict(int)
    mine = [words(n.full) for n in _latin_names(entity)]
    for word in set().union(*mine) if mine else set():
        holders = by_word.get(word, ())
        if len(holders) <= _COMMON_WORD:
            for other in holders:
                counts[other] += 1
    own_list = _list_of(entity)
    best = [
        other
        for other in counts
        if entities[other] is not entity
        and entities[other].schema is entity.schema
        and _list_of(entities[other]) == own_list
    ]
    if not best:
        return None
    top = max(counts[o] for o in best)
    pick = entities[rng.choice(sorted(o for o in best if counts[o] == top))]
    names = [n.full for n in _latin_names(pick) if any(words(n.full) & m for m in mine)]
    return rng.choice(names) if names else None


def _given_family(name: Name) -> tuple[list[str], str] | None:
    if name.given and name.family:
        return name.given.split(), name.family
    parts = name.full.replace(",", " ").split()
    if len(parts) < 2 or parts[0].casefold() in PARTICLES:
        return None
    return parts[:-1], parts[-1]


def hard_negatives(
    entities: Sequence[Entity], lists: Iterable[str], seed: int, per_group: int | None
) -> list[DevCase]:
    """Queries that must not alert as a named listed entity (seeded, ``per_group`` at most)."""
    chosen_lists = set(lists)
    listed = [
        e for e in entities if e.provenance is not None and e.provenance.list_name in chosen_lists
    ]
    by_word: dict[str, list[int]] = defaultdict(list)
    given_pool: list[str] = []
    for position, entity in enumerate(listed):
        for word in set().union(*(words(n.full) for n in _latin_names(entity))):
            by_word[word].append(position)
        if entity.schema is Schema.PERSON:
            for name in _latin_names(entity):
                split = _given_family(name)
                if split and split[0][0].isalpha() and len(split[0][0]) >= 3:
                    given_pool.append(split[0][0])
    given_pool = sorted(set(given_pool))
    rng = random.Random(f"{seed}:hard")
    groups: dict[str, list[DevCase]] = defaultdict(list)
    for number, entity in enumerate(listed):
        keys = {_key(n.full) for n in entity.names}
        names = _latin_names(entity)
        if not names:
            continue
        own = set().union(*(words(n.full) for n in names))
        made: list[DevCase | None] = []
        neighbour = _shared_word_neighbour(entity, by_word, listed, rng)
        if neighbour and not any(words(neighbour) == words(n.full) for n in names):
            made.append(_negative(entity, neighbour, "shares words", number, keys))
        name = names[0]
        if entity.schema is Schema.PERSON and (split := _given_family(name)):
            given, family = split
            other = rng.choice(given_pool)
            if other.casefold() not in own and words(family):
                text = " ".join([other, *given[1:], family])
                made.append(_negative(entity, text, "other given name", number, keys))
            if len(given) >= 2:
                middle = rng.choice(given_pool)
                if middle.casefold() not in own:
                    text = " ".join([given[0], middle, *given[2:], family])
                    made.append(_negative(entity, text, "other middle name", number, keys))
        if entity.schema is Schema.ORGANIZATION:
            for org in names:
                found = _NUMBER.search(org.full)
                if found:
                    value = int(found.group()) + rng.randint(1, 9)
                    text = org.full[: found.start()] + str(value) + org.full[found.end() :]
                    made.append(_negative(entity, text, "other number", number, keys))
                    break
            for org in names:
                parts = org.full.split()
                forms = [i for i, p in enumerate(parts) if _key(p) in _LEGAL_FORMS]
                if forms and len(parts) > len(forms):
                    at = forms[-1]
                    parts[at] = _LEGAL_FORMS[_key(parts[at])].upper()
                    made.append(
                        _negative(entity, " ".join(parts), "other legal form", number, keys)
                    )
                    break
        for case in made:
            if case is not None:
                groups[case.family].append(case)
    chosen: list[DevCase] = []
    for group in sorted(groups):
        items = groups[group]
        if per_group is not None and len(items) > per_group:
            picks = sorted(random.Random(f"{seed}:{group}").sample(range(len(items)), per_group))
            items = [items[i] for i in picks]
        chosen.extend(items)
    return chosen


# --- clean customers --------------------------------------------------------------------------


def clean_customers(per_locale: int, seed: int, company_share: float = 0.2) -> list[DevCase]:
    """Invented customers from Faker's locales: persons (birth date, country) and companies."""
    try:
        from faker import Faker
    except ImportError as error:
        raise BadInputError(
            "the development benchmark's clean customers need Faker",
            where="benchmarks/screening/devset.py",
            hint="install the bench extra: .venv/bin/pip install faker==40.54.0",
        ) from error

    cases: list[DevCase] = []
    for number, (locale, country) in enumerate(CLEAN_LOCALES.items()):
        fake = Faker(locale)
        fake.seed_instance(seed + number)
        rng = random.Random(f"{seed}:{locale}")
        for row in range(per_locale):
            query_id = f"clean:{locale}:{row}"
            if rng.random() < company_share:
                query = Query(id=query_id, name=fake.company(), schema=Schema.ORGANIZATION)
            else:
                born = fake.date_of_birth(minimum_age=18, maximum_age=90)
                query = Query(
                    id=query_id,
                    name=fake.name(),
                    schema=Schema.PERSON,
                    birth_date=PartialDate(year=born.year, month=born.month, day=born.day),
                    countries=(country,),
                )
            case = Case(query, frozenset(), locale)
            cases.append(DevCase(case, "clean", locale, part_of(query_id), query_id))
    return cases


# --- labelled pairs ---------------------------------------------------------------------------

_ORG = Schema.ORGANIZATION
PAIRS: tuple[Pair, ...] = (
    # korean romanisations (invented names)
    Pair("korean", "Pak Chol Su", "Park Cheol Soo", True),
    Pair("korean", "Choe Kwang Jin", "Choi Gwang Jin", True),
    Pair("korean", "Ri Song Chol", "Lee Seong Cheol", True),
    Pair("korean", "Kim Yong-chol", "Kim Yong Chol", True),
    Pair("korean", "Jon Il Chun", "Chon Il Chun", True),
    Pair("korean", "Hwang Ul Dok", "Hwang Eul Deok", True),
    Pair("korean", "Kim Myong Nam", "Kim Myong Chol", False),
    Pair("korean", "Ri Chol Ho", "Ri Chol Man", False),
    # partial names
    Pair("partial", "Ivan Sidorov", "Ivan Petrovich Sidorov", True),
    Pair("partial", "Omar Abdullah", "Omar Khalid Abdullah al-Tamimi", True),
    Pair("partial", "SIDOROV, Ivan Petrovich", "Ivan Petrovich Sidorov", True),
    Pair("partial", "Dr. Hassan Nasrallah Yusuf", "Hassan Nasrallah Yusuf", True),
    Pair("partial", "Khalid Mahmoud Rahimi (born 1975)", "Khalid Mahmoud Rahimi", True),
    Pair("partial", "Ivan Sidorov", "Ivan Petrovich Sidorenko", False),
    # organisations
    Pair(
        "organisation", "Almaz Trading LLC", "Almaz Trading Limited Liability Company", True, _ORG
    ),
    Pair("organisation", "ZAO Neftegaz", "Neftegaz CJSC", True, _ORG),
    Pair("organisation", "Seventh Star Shipping", "7th Star Shipping Co", True, _ORG),
    Pair("organisation", "Tabriz Steel", "Tabriz Steel Industries Company", True, _ORG),
    Pair(
        "organisation", "KOMID", "Korea Mining Development Trading Corporation (KOMID)", True, _ORG
    ),
    Pair("organisation", "Nova Holding AG", "Nova Holding Aktiengesellschaft", True, _ORG),
    Pair("organisation", "Tabriz Steel", "Tabriz Cement Company", False, _ORG),
    Pair("organisation", "Pacific Fund 12", "Pacific Fund 21", False, _ORG),
    # cross-script → Latin
    Pair("cross-script", "Шамиль Басаев", "Shamil Basayev", True),
    Pair("cross-script", "Владимир Путин", "Vladimir Putin", True),
    Pair("cross-script", "عبد الله محمد", "Abdullah Mohammed", True),
    Pair("cross-script", "أسامة بن لادن", "Usama bin Laden", True),
    Pair("cross-script", "Иван Сидоров", "Ivan Smirnov", False),
    Pair("cross-script", "محمد علي", "Mohammed Hassan", False),
    # false alerts to avoid
    Pair("false alert", "Sergei Ivanovich Petrov", "Sergei Nikolaevich Petrov", False),
    Pair("false alert", "Abdul Rahman Karimi", "Abdul Rahim Karimi", False),
    Pair("false alert", "Nasrullah Barakzai", "Nasrullah Baratov", False),
    Pair("false alert", "Golden Eagle 7", "Golden Eagle 17", False, _ORG),
    Pair("false alert", "李明", "黎明", False),
    Pair("false alert", "Al Amal Exchange", "Al Huda Exchange", False, _ORG),
    # evasion
    Pair("evasion", "0sama bin L4den", "Usama bin Laden", True),
    Pair("evasion", "SHAMILBASAYEV", "Shamil Basayev", True),
    Pair("evasion", "Kіm Jоng Un", "Kim Jong Un", True),
    Pair("evasion", "Ab0u Bakr al-Baghd4di", "Abu Bakr al-Baghdadi", True),
)
"""Pairs written for the dev set (beside the specification's); persons are invented or public."""


def _spec_pairs() -> list[Pair]:
    """Matcher name_v2's specification pairs from its test module (empty when not importable)."""
    try:
        from tests.screening.test_name_v2_cases import CASES
    except ImportError:
        return []
    return [
        Pair(family, query, listed, expected, _spec_schema(family, query))
        for family, query, listed, expected in CASES
    ]


def _spec_schema(family: str, query: str) -> Schema:
    """The specification gives no schema: organisations are its organisation family and the
    false-alert names with a number or ``Trading`` in them."""
    if family == "organisation" or any(ch.isdigit() for ch in query) or "Trading" in query:
        return _ORG
    return Schema.PERSON


def labelled_pairs() -> list[tuple[Pair, Part]]:
    """The specification pairs (part ``spec``) and :data:`PAIRS`, split by their texts."""
    spec: list[tuple[Pair, Part]] = [(pair, "spec") for pair in _spec_pairs()]
    return spec + [(pair, part_of(f"{pair.query}|{pair.listed}")) for pair in PAIRS]


def _pair_id(pair: Pair) -> str:
    return hashlib.sha256(f"{pair.query}|{pair.listed}".encode()).hexdigest()[:16]


def pair_entity(pair: Pair) -> Entity:
    """The one listed entity a pair's query is screened against (its id unique to the pair:
    logic-v2 caches what it computes about an entity by the entity's id)."""
    return Entity(
        source_id=_pair_id(pair),
        schema=pair.schema,
        names=(Name(full=pair.listed),),
        provenance=Provenance(list_name="pair", list_version=1),
    )


def pair_query(pair: Pair) -> Query:
    """A pair's query (name and schema only)."""
    return Query(id=f"pair-query:{_pair_id(pair)}", name=pair.query, schema=pair.schema)


# --- all together -----------------------------------------------------------------------------

HELD_OUT_LISTS = ("ofac", "ofac_nonsdn", "uk", "un")


def _sample(cases: list[DevCase], size: int | None, seed: int) -> list[DevCase]:
    """At most ``size`` cases of each family (seeded), order kept."""
    if size is None:
        return cases
    by_family: dict[str, list[int]] = defaultdict(list)
    for position, case in enumerate(cases):
        by_family[case.family].append(position)
    keep: set[int] = set()
    for family, positions in sorted(by_family.items()):
        rng = random.Random(f"{seed}:sample:{family}")
        keep.update(rng.sample(positions, min(size, len(positions))))
    return [case for position, case in enumerate(cases) if position in keep]


def build_devset(
    entities: Sequence[Entity],
    *,
    seed: int,
    per_family: int | None,
    per_locale: int,
    with_clean: bool = True,
) -> DevSet:
    """Every case of the dev set over ``entities`` (all lists loaded), seeded and split."""
    index, held = held_out_aliases(entities, HELD_OUT_LISTS, seed)
    evasion = evasion_cases(entities, HELD_OUT_LISTS, seed)
    hard = hard_negatives(entities, HELD_OUT_LISTS, seed, per_family)
    clean = clean_customers(per_locale, seed) if with_clean else []
    cases = _sample(held, per_family, seed) + _sample(evasion, per_family, seed) + hard + clean
    pairs = labelled_pairs()
    facts: dict[str, Any] = {
        "seed": seed,
        "frozen_share": FROZEN_SHARE,
        "held_out_lists": list(HELD_OUT_LISTS),
        "per_family_cap": per_family,
        "clean_per_locale": per_locale,
        "available": _counts(held + evasion + hard + clean),
        "used": _counts(cases),
        "pairs": {part: sum(p == part for _, p in pairs) for part in ("spec", "dev", "frozen")},
    }
    return DevSet(index, cases, pairs, facts)


def _counts(cases: Iterable[DevCase]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for case in cases:
        counts[f"{case.kind}: {case.family}"][case.part] += 1
    return {key: dict(value) for key, value in sorted(counts.items())}
