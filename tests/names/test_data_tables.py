"""Integrity of the name reference data in ``interdict/names/data`` (the YAML files themselves).

These tests read the files directly, not through the loader, so that a broken table is reported
as a data error with the offending entry, whatever the loader does with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "interdict" / "names" / "data"
YAML_FILES = {
    "cyrillic.yaml": {"letters", "word_initial"},
    "arabic.yaml": {"letters", "marks", "doubling", "digits"},
    "given_names.yaml": {"groups"},
    "particles.yaml": {"articles", "filial", "kunya", "prefixes_joined", "surname_suffixes"},
    "honorifics.yaml": {"titles", "ambiguous"},
    "confusables.yaml": {"to_latin", "leet", "invisible"},
}
ASCII_RENDERING = re.compile(r"[a-z]*")
LATIN_SPELLING = re.compile(r"[a-z]+( [a-z]+)*")
CODEPOINT = re.compile(r"U\+[0-9A-F]{4,6}")

RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
UKRAINIAN_BELARUSIAN = "іїєґў"
TAJIK = "ғӣқӯҳҷ"
KAZAKH = "әғқңөұүһі"
KYRGYZ = "ңөү"
UZBEK = "ўқғҳ"
SERBIAN_MACEDONIAN = "ђјљњћџ"
DIFFERENT_NAMES = [
    ("hasan", "husayn"),
    ("salim", "salih"),
    ("kamal", "kamil"),
    ("said", "sayyid"),
    ("said", "saad"),
    ("nasir", "nasr"),
    ("amir", "amer"),
    ("mahmud", "muhammad"),
]


@cache
def load(name: str) -> dict[str, Any]:
    """One data file, parsed with the safe loader."""
    with (DATA / name).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{name}: top level must be a mapping"
    return data


def groups() -> list[dict[str, Any]]:
    """The given-name groups."""
    found = load("given_names.yaml")["groups"]
    assert isinstance(found, list)
    return found


def script_of(spelling: str) -> str:
    """``latin``, ``cyrillic`` or ``arabic`` for a well-formed spelling, else ``invalid``."""
    if LATIN_SPELLING.fullmatch(spelling):
        return "latin"
    if "  " in spelling or spelling != spelling.strip():
        return "invalid"
    letters = [ch for ch in spelling if ch != " "]
    names = [unicodedata.name(ch, "") for ch in letters]
    if all(n.startswith("CYRILLIC SMALL LETTER") for n in names):
        return "cyrillic"
    if all(n.startswith("ARABIC LETTER") for n in names):
        return "arabic"
    return "invalid"


def codepoint(text: str) -> str:
    """The character named by a ``U+XXXX`` string."""
    assert CODEPOINT.fullmatch(text), f"not a U+XXXX code point: {text!r}"
    return chr(int(text[2:], 16))


def duplicates(items: list[Any]) -> list[Any]:
    """Items that occur more than once."""
    return [item for item, count in Counter(items).items() if count > 1]


# --- every file ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "keys"), sorted(YAML_FILES.items()))
def test_file_loads_with_required_keys(name: str, keys: set[str]) -> None:
    data = load(name)
    assert keys <= data.keys(), f"{name} lacks {keys - data.keys()}"


@pytest.mark.parametrize("name", sorted(YAML_FILES))
def test_file_starts_with_a_comment_block_naming_its_sources(name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    header = text[: text.index("\n\n")]
    assert all(line.startswith("#") for line in header.splitlines()), name
    assert "Sources" in text[:6000], f"{name}: header does not name its sources"


def test_sources_md_has_a_paragraph_per_file() -> None:
    text = (DATA / "sources.md").read_text(encoding="utf-8")
    for name in YAML_FILES:
        assert f"**{name}**" in text, f"sources.md does not describe {name}"


# --- cyrillic.yaml ---------------------------------------------------------------------------


def test_cyrillic_keys_are_single_lowercase_cyrillic_letters() -> None:
    for section in ("letters", "word_initial", "after_vowel"):
        for key in load("cyrillic.yaml").get(section, {}):
            assert len(key) == 1 and key.islower(), (section, key)
            assert unicodedata.name(key).startswith("CYRILLIC SMALL LETTER"), (section, key)


def test_cyrillic_renderings_are_lowercase_ascii_without_repeats() -> None:
    data = load("cyrillic.yaml")
    for section in ("letters", "word_initial", "after_vowel", "sequences"):
        for key, renderings in data.get(section, {}).items():
            assert isinstance(renderings, list) and renderings, (section, key)
            for rendering in renderings:
                assert isinstance(rendering, str), (section, key, rendering)
                assert ASCII_RENDERING.fullmatch(rendering), (section, key, rendering)
            assert not duplicates(renderings), (section, key)


@pytest.mark.parametrize(
    ("language", "letters"),
    [
        ("Russian", RUSSIAN),
        ("Ukrainian/Belarusian", UKRAINIAN_BELARUSIAN),
        ("Tajik", TAJIK),
        ("Kazakh", KAZAKH),
        ("Kyrgyz", KYRGYZ),
        ("Uzbek", UZBEK),
        ("Serbian/Macedonian", SERBIAN_MACEDONIAN),
    ],
)
def test_cyrillic_covers_every_letter_of(language: str, letters: str) -> None:
    missing = [ch for ch in letters if ch not in load("cyrillic.yaml")["letters"]]
    assert not missing, f"{language} letters missing: {missing}"


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        ("х", ["kh", "h", "x"]),
        ("ж", ["zh", "j"]),
        ("ч", ["ch", "tch"]),
        ("щ", ["shch", "sch"]),
        ("ц", ["ts", "tz", "c"]),
        ("ю", ["yu", "iu", "ju", "u"]),
        ("я", ["ya", "ia", "ja", "a"]),
        ("ё", ["yo", "e"]),
        ("й", ["y", "i", "j"]),
        ("ы", ["y", "i"]),
        ("ь", [""]),
        ("ъ", [""]),
        ("ғ", ["gh", "g"]),
        ("қ", ["q", "k"]),
        ("ҳ", ["h", "kh"]),
        ("ҷ", ["j", "dzh"]),
        ("ӯ", ["u", "o"]),
        ("ң", ["ng", "n"]),
        ("ө", ["o", "oe"]),
        ("ү", ["u", "ue"]),
        ("ә", ["a", "ae"]),
        ("ў", ["o", "u"]),
    ],
)
def test_cyrillic_has_the_usual_renderings(letter: str, expected: list[str]) -> None:
    renderings = load("cyrillic.yaml")["letters"][letter]
    assert renderings[0] == expected[0], f"{letter}: most common rendering first"
    assert set(expected) <= set(renderings), f"{letter}: {renderings}"


def test_cyrillic_word_initial_iotation() -> None:
    initial = load("cyrillic.yaml")["word_initial"]
    assert initial["е"][0] == "ye" and initial["ё"][0] == "yo"
    assert set(initial) <= set(load("cyrillic.yaml")["letters"])


def test_cyrillic_sequences_use_known_letters() -> None:
    letters = load("cyrillic.yaml")["letters"]
    for sequence in load("cyrillic.yaml").get("sequences", {}):
        body = sequence.removesuffix("$")
        assert len(body) >= 2 and all(ch in letters for ch in body), sequence


# --- arabic.yaml -----------------------------------------------------------------------------


def test_arabic_covers_every_code_point_from_hamza_to_yeh() -> None:
    letters = load("arabic.yaml")["letters"]
    missing = [f"U+{cp:04X}" for cp in range(0x0621, 0x064B) if chr(cp) not in letters]
    assert not missing, f"arabic.yaml lacks {missing}"


def test_arabic_covers_persian_urdu_pashto_and_hamza_forms() -> None:
    letters = load("arabic.yaml")["letters"]
    wanted = "پچژگکی" + "ٹڈڑںھےہۀ" + "ءأإآؤئ" + "ةى" + "ټډړږښځڅڼګ"
    assert not [ch for ch in wanted if ch not in letters]


def test_arabic_renderings_are_lowercase_ascii() -> None:
    data = load("arabic.yaml")
    for section in ("letters", "marks"):
        for key, renderings in data[section].items():
            assert len(key) == 1 and "ARABIC" in unicodedata.name(key), (section, key)
            assert isinstance(renderings, list) and renderings, (section, key)
            for rendering in renderings:
                assert re.fullmatch(r"[a-z']*", rendering), (section, key, rendering)
            assert not duplicates(renderings), (section, key)


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        ("ث", ["th", "s", "t"]),
        ("ذ", ["dh", "z", "d"]),
        ("ض", ["d", "dh", "z"]),
        ("ظ", ["z", "dh"]),
        ("ع", ["", "'", "a"]),
        ("غ", ["gh", "g"]),
        ("ق", ["q", "k", "g"]),
        ("ج", ["j", "dj", "g"]),
        ("خ", ["kh", "h", "x"]),
        ("ح", ["h", ""]),
        ("و", ["w", "u", "o", "v"]),
        ("ي", ["y", "i", "e", "ee"]),
        ("ا", ["a", ""]),
        ("ة", ["a", "ah", "at"]),
    ],
)
def test_arabic_has_the_usual_renderings(letter: str, expected: list[str]) -> None:
    renderings = load("arabic.yaml")["letters"][letter]
    assert renderings[0] == expected[0], f"{letter}: most common rendering first"
    assert set(expected) <= set(renderings), f"{letter}: {renderings}"


def test_arabic_marks_are_combining_and_shadda_doubles() -> None:
    data = load("arabic.yaml")
    for mark in data["marks"]:
        assert unicodedata.category(mark) == "Mn", f"U+{ord(mark):04X} is not a combining mark"
    vowels_and_tanwin = [chr(cp) for cp in range(0x064B, 0x0653)]
    assert set(vowels_and_tanwin) <= set(data["marks"])
    assert data["doubling"] == ["\u0651"]


def test_arabic_digits_map_to_their_ascii_value() -> None:
    digits = load("arabic.yaml")["digits"]
    wanted = [chr(cp) for cp in [*range(0x0660, 0x066A), *range(0x06F0, 0x06FA)]]
    assert sorted(digits) == sorted(wanted)
    for char, ascii_digit in digits.items():
        assert ascii_digit == str(unicodedata.digit(char)), char


# --- given_names.yaml ------------------------------------------------------------------------


def test_at_least_150_groups_with_unique_ascii_ids() -> None:
    ids = [group["id"] for group in groups()]
    assert len(ids) >= 150
    assert not duplicates(ids)
    for group_id in ids:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", group_id), group_id


def test_every_group_contains_its_id_as_a_spelling() -> None:
    for group in groups():
        assert group["id"].replace("_", " ") in group["spellings"], group["id"]


def test_no_spelling_is_in_two_groups() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for group in groups():
        assert not duplicates(group["spellings"]), (group["id"], duplicates(group["spellings"]))
        for spelling in group["spellings"]:
            owners[spelling].append(group["id"])
    shared = {spelling: ids for spelling, ids in owners.items() if len(ids) > 1}
    assert not shared, f"spellings in more than one group: {shared}"


def test_every_spelling_is_normalised_latin_cyrillic_or_arabic() -> None:
    bad = [
        (group["id"], spelling)
        for group in groups()
        for spelling in group["spellings"]
        if not isinstance(spelling, str) or script_of(spelling) == "invalid"
    ]
    assert not bad, f"not a normalised single-script spelling: {bad}"


def test_script_coverage_of_groups() -> None:
    scripts = [{script_of(s) for s in group["spellings"]} for group in groups()]
    assert all("latin" in found for found in scripts), "a group has no Latin spelling"
    assert sum("arabic" in found for found in scripts) >= 60
    assert sum("cyrillic" in found for found in scripts) >= 60


def test_spellings_use_only_letters_the_transliteration_tables_know() -> None:
    cyrillic = load("cyrillic.yaml")["letters"]
    arabic = load("arabic.yaml")["letters"]
    unknown = set()
    for group in groups():
        for spelling in group["spellings"]:
            table = {"cyrillic": cyrillic, "arabic": arabic}.get(script_of(spelling))
            if table is not None:
                unknown |= {ch for ch in spelling if ch != " " and ch not in table}
    assert not unknown, f"letters missing from the transliteration tables: {sorted(unknown)}"


@pytest.mark.parametrize(
    ("spelling", "group_id"),
    [
        ("magomed", "muhammad"),
        ("mehmet", "muhammad"),
        ("мухаммад", "muhammad"),
        ("муҳаммад", "muhammad"),
        ("محمد", "muhammad"),
        ("abdurakhmon", "abd_al_rahman"),
        ("abdrakhman", "abd_al_rahman"),
        ("абдурахмон", "abd_al_rahman"),
        ("عبد الرحمن", "abd_al_rahman"),
        ("osama", "usama"),
        ("ramzan", "ramadan"),
        ("farhod", "farhad"),
        ("botir", "batyr"),
        ("shuhrat", "shukhrat"),
        ("haibatullah", "hibatullah"),
        ("abdoulaye", "abdullah"),
        ("عبدالله", "abdullah"),
    ],
)
def test_known_spellings_land_in_the_right_group(spelling: str, group_id: str) -> None:
    owner = {s: g["id"] for g in groups() for s in g["spellings"]}
    assert owner.get(spelling) == group_id


def test_similar_but_different_names_stay_apart() -> None:
    owner = {s: g["id"] for g in groups() for s in g["spellings"]}
    for first, second in DIFFERENT_NAMES:
        assert owner[first] != owner[second], (first, second)


def test_no_surnames_or_titles_among_given_names() -> None:
    spellings = {s for g in groups() for s in g["spellings"]}
    surname_endings = ("ov", "ova", "ev", "eva", "zoda", "ovich", "ovna", "ов", "ова", "ев", "зода")
    assert not [s for s in spellings if s.endswith(surname_endings)]
    titles = set(load("honorifics.yaml")["titles"])
    assert not spellings & titles, f"titles listed as given names: {spellings & titles}"


# --- particles.yaml --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "required"),
    [
        ("articles", {"al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an"}),
        ("articles_prefix", {"ال"}),
        ("filial", {"bin", "ibn", "ben", "bint", "binti", "binte", "ould", "wuld", "walad"}),
        ("filial", {"uulu", "uly", "kyzy", "qizi", "kizi", "ogly", "oglu", "ogli", "ugli"}),
        ("filial", {"o'g'li", "бин", "ибн", "уулу", "кызы", "оглы", "بن", "بنت"}),
        ("kunya", {"abu", "abou", "abo", "umm", "um", "ابو", "أبو", "ام"}),
        ("prefixes_joined", {"abd", "abdul", "abdel", "abdal", "abdur", "abdus", "abdu", "abdi"}),
        ("prefixes_joined", {"عبد", "абдул"}),
    ],
)
def test_particles_include(key: str, required: set[str]) -> None:
    assert required <= set(load("particles.yaml")[key])


def test_particle_lists_hold_distinct_lowercase_words() -> None:
    data = load("particles.yaml")
    for key in ("articles", "articles_prefix", "keep_whole", "filial", "kunya", "prefixes_joined"):
        words = data[key]
        assert not duplicates(words), (key, duplicates(words))
        for word in words:
            assert isinstance(word, str) and word == word.strip().lower() and word, (key, word)


def test_joined_prefixes_are_longest_first_within_each_script() -> None:
    by_script: dict[str, list[str]] = defaultdict(list)
    for prefix in load("particles.yaml")["prefixes_joined"]:
        by_script[unicodedata.name(prefix[0]).split()[0]].append(prefix)
    for script, prefixes in by_script.items():
        lengths = [len(p) for p in prefixes]
        assert lengths == sorted(lengths, reverse=True), (script, prefixes)


def test_keep_whole_words_start_like_a_splittable_prefix() -> None:
    data = load("particles.yaml")
    starts = (*data["prefixes_joined"], *data["articles_prefix"])
    for word in data["keep_whole"]:
        assert word.startswith(starts), f"{word} needs no protection from splitting"


def test_surname_suffixes_are_well_formed() -> None:
    entries = load("particles.yaml")["surname_suffixes"]
    assert not duplicates([entry["suffix"] for entry in entries])
    for entry in entries:
        assert entry["kind"] in {"family", "patronymic", "nisba"}, entry
        assert isinstance(entry["weak"], bool) and isinstance(entry["reduces_to"], str), entry
        script = entry.get("script", "latin")
        assert script in {"latin", "cyrillic", "arabic"}, entry
        assert entry["suffix"] and script_of(entry["suffix"]) == script, entry


@pytest.mark.parametrize(
    ("suffix", "kind", "weak"),
    [
        ("ov", "family", False),
        ("ova", "family", False),
        ("ev", "family", False),
        ("eva", "family", False),
        ("yev", "family", False),
        ("yeva", "family", False),
        ("in", "family", True),
        ("ina", "family", True),
        ("zoda", "family", False),
        ("zade", "family", False),
        ("ovich", "patronymic", False),
        ("evna", "patronymic", False),
        ("uly", "patronymic", False),
        ("kyzy", "patronymic", False),
        ("i", "nisba", True),
        ("ович", "patronymic", False),
        ("зода", "family", False),
    ],
)
def test_surname_suffix(suffix: str, kind: str, weak: bool) -> None:
    entries = {e["suffix"]: e for e in load("particles.yaml")["surname_suffixes"]}
    assert (entries[suffix]["kind"], entries[suffix]["weak"]) == (kind, weak)


# --- honorifics.yaml -------------------------------------------------------------------------


def test_titles_and_ambiguous_words_are_distinct_normalised_words() -> None:
    data = load("honorifics.yaml")
    for key in ("titles", "ambiguous"):
        assert not duplicates(data[key]), (key, duplicates(data[key]))
        for word in data[key]:
            assert script_of(word) != "invalid" or word.replace(" ", "").isalpha(), (key, word)
            assert word == word.lower() and "." not in word, (key, word)
    assert not set(data["titles"]) & set(data["ambiguous"])


def test_honorifics_include_the_common_titles() -> None:
    data = load("honorifics.yaml")
    titles = {"mr", "mrs", "ms", "dr", "prof", "sheikh", "shaikh", "shaykh", "sheik", "шейх"}
    titles |= {"شيخ", "mullah", "mulla", "molla", "мулла", "ملا", "maulavi", "mawlawi", "maulvi"}
    titles |= {"مولوی", "qari", "قاري", "hajji", "haji", "hadji", "хаджи", "حاجي", "imam"}
    titles |= {"general", "colonel", "major", "captain", "commander", "engineer", "eng"}
    titles |= {"doctor", "ustad", "ustadh", "ustaz", "janab", "begum", "sahib", "effendi"}
    titles |= {"sir", "lord", "his excellency"}
    assert not titles - set(data["titles"])
    ambiguous = {"sayyid", "sayed", "amir", "emir", "hafiz", "agha", "aga", "khan", "pasha"}
    assert not ambiguous - set(data["ambiguous"])


# --- confusables.yaml ------------------------------------------------------------------------


def test_to_latin_maps_non_latin_letters_to_one_ascii_letter() -> None:
    for char, letter in load("confusables.yaml")["to_latin"].items():
        assert len(char) == 1 and char.isalpha(), char
        assert not unicodedata.name(char).startswith("LATIN"), char
        assert not unicodedata.normalize("NFKC", char).isascii(), f"{char}: NFKC handles it"
        assert re.fullmatch(r"[a-z]", letter), (char, letter)


def test_to_latin_covers_the_cyrillic_look_alikes() -> None:
    table = load("confusables.yaml")["to_latin"]
    wanted = dict(zip("аеорсухіјѕԛԝ", "aeopcyxijsqw", strict=True))
    wanted |= dict(zip("АВЕКМНОРСТХ", "bekmhopctx".join(["a", ""]), strict=True))
    wanted |= {"α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "Α": "a", "Ο": "o"}
    assert {char: table.get(char) for char in wanted} == wanted


def test_latin_fold_needs_listing_and_yields_ascii() -> None:
    for char, ascii_text in load("confusables.yaml").get("latin_fold", {}).items():
        assert unicodedata.name(char).startswith("LATIN"), char
        decomposed = unicodedata.normalize("NFKD", char)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        assert not stripped.isascii(), f"{char}: NFKD already folds it"
        assert re.fullmatch(r"[a-z]{1,2}", ascii_text), (char, ascii_text)


def test_leet_maps_symbols_to_letters() -> None:
    leet = load("confusables.yaml")["leet"]
    wanted = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
    assert {key: leet.get(key) for key in wanted} == wanted
    for key, letter in leet.items():
        assert len(key) == 1 and not key.isalpha() and re.fullmatch(r"[a-z]", letter), key


def test_invisible_code_points_parse_and_are_invisible() -> None:
    data = load("confusables.yaml")
    listed = [codepoint(text) for text in data["invisible"]]
    assert not duplicates(listed)
    for char in listed:
        category, name = unicodedata.category(char), unicodedata.name(char)
        assert category in {"Cf", "Mn"} or "FILLER" in name, f"U+{ord(char):04X} {name}"
    required = [0x00AD, 0x034F, 0x115F, 0x1160, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F]
    required += [*range(0x202A, 0x202F), 0x2060, *range(0x2066, 0x206A), 0x3164, 0xFEFF]
    assert not [f"U+{cp:04X}" for cp in required if chr(cp) not in listed]


def test_invisible_ranges_parse_and_hold_only_format_or_mark_characters() -> None:
    data = load("confusables.yaml")
    ranges = data.get("invisible_ranges", [])
    assert {"U+E0000", "U+E007F"} <= {r["first"] for r in ranges} | {r["last"] for r in ranges}
    for entry in ranges:
        first, last = ord(codepoint(entry["first"])), ord(codepoint(entry["last"]))
        assert first <= last, entry
        categories = {unicodedata.category(chr(cp)) for cp in range(first, last + 1)}
        assert categories <= {"Cf", "Mn", "Cn"}, (entry, categories)


def test_space_and_apostrophe_code_points_parse_and_do_not_overlap() -> None:
    data = load("confusables.yaml")
    invisible = {codepoint(text) for text in data["invisible"]}
    as_space = [codepoint(text) for text in data.get("as_space", [])]
    apostrophes = [codepoint(text) for text in data.get("apostrophes", [])]
    assert "'" in apostrophes and "\u02bb" in apostrophes
    assert not duplicates(as_space + apostrophes)
    assert not invisible & {*as_space, *apostrophes}
