"""Two overlapping customer bases for the private-matching benchmark.

Planted overlaps are real designated persons of the UN consolidated list
(``../shared/data/lists/un``): side A holds one spelling of each (the primary Latin name),
side B another — a listed alias, the original-script name (Arabic), a Cyrillic rendering of
the Latin name, or a respelling (vowel changes, doubled letters, reordered parts) — with the
same birth year, and for some a shared identifier written differently on each side (spaces,
dashes, case). Around them: synthetic customers recombined from OpenSanctions' benchmark
negatives (``../shared/data/benchmarks/yente_candidate_generation``), independently on each
side, so that they also meet by chance as real customer bases do.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from interdict.model import Entity, Schema
from interdict.names.normalize import Script, detect_script
from interdict.readers.un import read_un

__all__ = ["Bases", "build_bases"]

_CYRILLIC = {
    "shch": "щ", "sh": "ш", "ch": "ч", "kh": "х", "zh": "ж", "ts": "ц", "ya": "я", "yu": "ю",
    "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и",
    "j": "дж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р",
    "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс", "y": "й", "z": "з",
}  # fmt: skip
_KEYS = sorted(_CYRILLIC, key=len, reverse=True)


def cyrillic(name: str) -> str:
    """A plain Russian-style rendering of a Latin name."""
    out: list[str] = []
    text = name.lower()
    i = 0
    while i < len(text):
        for key in _KEYS:
            if text.startswith(key, i):
                out.append(_CYRILLIC[key])
                i += len(key)
                break
        else:
            out.append(text[i])
            i += 1
    return " ".join(w.capitalize() for w in "".join(out).split())


def respell(name: str, rng: random.Random) -> str:
    """A bank clerk's respelling: a vowel changed, a letter doubled or the parts reordered."""
    words = name.split()
    choice = rng.randrange(3)
    if choice == 0 and len(words) > 1:
        words = [words[-1], *words[:-1]]
    else:
        word = rng.randrange(len(words))
        text = words[word]
        vowels = [i for i, ch in enumerate(text) if ch in "aeiou" and i > 0]
        if vowels and choice == 1:
            i = rng.choice(vowels)
            text = (
                text[:i]
                + {"a": "e", "e": "i", "i": "e", "o": "u", "u": "o"}[text[i]]
                + text[i + 1 :]
            )
        elif len(text) > 3:
            i = rng.randrange(1, len(text) - 1)
            text = text[:i] + text[i] + text[i:]
        words[word] = text
    return " ".join(words)


@dataclass
class Bases:
    """Rows of side A and side B, and the planted pairs (A id, B id)."""

    a: list[dict[str, str]]
    b: list[dict[str, str]]
    planted: set[tuple[str, str]]
    variants: dict[str, int]
    kinds: dict[tuple[str, str], str]
    with_identifier: set[tuple[str, str]]


def _designees(un_file: Path) -> list[Entity]:
    listed = read_un(un_file).entities
    return [
        e
        for e in listed
        if e.schema_ is Schema.PERSON
        and e.names[0].full.isascii()
        and len(e.names[0].full.split()) >= 2
    ]


def _variant(entity: Entity, rng: random.Random) -> tuple[str, str]:
    primary = entity.names[0].full
    arabic = [n.full for n in entity.names[1:] if detect_script(n.full) is Script.ARABIC]
    aliases = [n.full for n in entity.names[1:] if n.full.isascii() and n.full != primary]
    kind = rng.choice(("arabic", "cyrillic", "alias", "respelt"))
    if kind == "arabic" and arabic:
        return "arabic", arabic[0]
    if kind == "alias" and aliases:
        return "alias", aliases[0]
    if kind == "cyrillic":
        return "cyrillic", cyrillic(primary)
    return "respelt", respell(primary, rng)


def _synthetic(yente: Path, count: int, rng: random.Random, prefix: str) -> list[dict[str, str]]:
    firsts: list[str] = []
    lasts: list[str] = []
    with (yente / "negatives_global.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["first_name"] and row["last_name"]:
                firsts.append(row["first_name"])
                lasts.append(row["last_name"])
    rows = []
    for number in range(count):
        born = f"{rng.randint(1940, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append(
            {
                "id": f"{prefix}{number:07d}",
                "name": f"{rng.choice(firsts)} {rng.choice(lasts)}",
                "birth_date": born,
                "id_number": f"{prefix}{rng.randrange(10**8):08d}",
            }
        )
    return rows


def _document(rng: random.Random) -> tuple[str, str]:
    number = f"{rng.choice('ABCNPK')}{rng.choice('ABCNPK')}{rng.randrange(10**7):07d}"
    return number, f"passport:{number[:2].lower()} {number[2:5]}-{number[5:]}"


def build_bases(size: int, data: Path, seed: int = 13, overlap: float = 0.05) -> Bases:
    """Two bases of ``size`` customers each, ``overlap`` of them planted designees."""
    rng = random.Random(seed)
    designees = _designees(sorted((data / "lists" / "un").glob("*.xml"))[-1])
    planted_count = min(int(size * overlap), len(designees))
    chosen = rng.sample(designees, planted_count)
    yente = data / "benchmarks" / "yente_candidate_generation"
    a = _synthetic(yente, size - planted_count, rng, "A")
    b = _synthetic(yente, size - planted_count, rng, "B")
    planted: set[tuple[str, str]] = set()
    variants: dict[str, int] = {}
    kinds: dict[tuple[str, str], str] = {}
    with_identifier: set[tuple[str, str]] = set()
    for number, entity in enumerate(chosen):
        year = (
            str(entity.birth_dates[0].year) if entity.birth_dates else str(rng.randint(1950, 1990))
        )
        kind, other = _variant(entity, rng)
        variants[kind] = variants.get(kind, 0) + 1
        with_id = rng.random() < 0.3
        document, written = _document(rng) if with_id else ("", "")
        a_id, b_id = f"PA{number:05d}", f"PB{number:05d}"
        a.append(
            {"id": a_id, "name": entity.names[0].full, "birth_date": year, "id_number": document}
        )
        b.append({"id": b_id, "name": other, "birth_date": year, "id_number": written})
        planted.add((a_id, b_id))
        kinds[(a_id, b_id)] = kind
        if with_id:
            with_identifier.add((a_id, b_id))
    rng.shuffle(a)
    rng.shuffle(b)
    return Bases(a, b, planted, variants, kinds, with_identifier)


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """A customer CSV ``interdict customers import`` reads."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "name", "birth_date", "id_number"])
        writer.writeheader()
        writer.writerows(rows)
