"""A synthetic customer base from realistic names in many locales, with planted designees.

Names come from OpenSanctions' candidate-generation benchmark negatives (100,000 synthetic but
realistic person records across ~110 nationalities and 9 scripts — Latin, Arabic, Cyrillic,
CJK, Devanagari, Hangul, Thai, Hebrew, Kana), recombined within a nationality: a given name of
one record with the family name of another. Planted among them: realistic spellings of the four
persons the UN designated between the 2026-01-28 and 2026-02-27 snapshots, and of persons
already listed in the older snapshot (which a delta rescreen must *not* raise again).
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pycountry

from interdict.model.countries import country_code

__all__ = ["NEW_DESIGNEES", "OLD_DESIGNEES", "Planted", "write_customers"]

NEGATIVES = ("negatives_global.csv", "negatives_us.csv")


@dataclass(frozen=True)
class Planted:
    """A customer who is a designated person, and the UN reference they should hit."""

    name: str
    source_id: str
    birth_date: str
    country: str


NEW_DESIGNEES = (
    Planted("Abdelrahim Hamdan Dagalo", "SDi.008", "1972", "SD"),
    Planted("عبد الرحيم حمدان دقلو", "SDi.008", "", "SD"),
    Planted("Gedo Hamdan Ahmed", "SDi.007", "", "SD"),
    Planted("Alfateh Abdallah Idris", "SDi.009", "", "SD"),
    Planted("Tijani Ibrahim Musa Mohamed", "SDi.010", "", "SD"),
)
"""The 2026-02-24 Sudan designations (SDi.007–SDi.010), spelled as a bank might hold them."""

OLD_DESIGNEES = (
    Planted("Aiman al-Zawahiri", "QDi.006", "1951-06-19", "EG"),
    Planted("Abu Bakr al-Baghdadi", "QDi.299", "1971", "IQ"),
)
"""Listed before 2026-01-28: already screened, so not new alerts in the delta."""


def _pools(yente_dir: Path) -> tuple[list[str], dict[str, list[tuple[str, str]]], list[str]]:
    firsts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    lasts: dict[str, list[str]] = defaultdict(list)
    for file_name in NEGATIVES:
        with (yente_dir / file_name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                nation = row["nationality"]
                if row["first_name"] and row["last_name"]:
                    firsts[nation].append((row["first_name"], row["gender"]))
                    lasts[nation].append(row["last_name"])
    nations = sorted(n for n in firsts if lasts[n])
    weights = [len(firsts[n]) for n in nations]
    rng = random.Random(0)
    pool = rng.choices(nations, weights=weights, k=200_000)
    return pool, firsts, [f"{n}\x1f{ln}" for n in nations for ln in lasts[n]]


def _code(nation: str) -> str:
    code = country_code(nation) or ""
    return code if pycountry.countries.get(alpha_2=code) else ""


def write_customers(path: Path, count: int, yente_dir: Path, seed: int = 7) -> int:
    """Write ``count`` customers (planted ones included) to a CSV; return how many planted."""
    rng = random.Random(seed)
    pool, firsts, flat_lasts = _pools(yente_dir)
    lasts: dict[str, list[str]] = defaultdict(list)
    for item in flat_lasts:
        nation, last = item.split("\x1f", 1)
        lasts[nation].append(last)
    codes = {n: _code(n) for n in firsts}
    planted = [*NEW_DESIGNEES, *OLD_DESIGNEES]
    slots = set(rng.sample(range(count), len(planted)))
    chosen = iter(planted)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "birth_date", "country", "gender"])
        for number in range(count):
            customer_id = f"C{number:07d}"
            if number in slots:
                p = next(chosen)
                writer.writerow([customer_id, p.name, p.birth_date, p.country, "male"])
                continue
            nation = pool[number % len(pool)]
            first, gender = rng.choice(firsts[nation])
            last = rng.choice(lasts[nation])
            born = f"{rng.randint(1940, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            name = (
                f"{last} {first}"
                if codes[nation] in ("CN", "JP", "KR", "TW")
                else f"{first} {last}"
            )
            gender = gender if gender in ("male", "female") else ""
            writer.writerow([customer_id, name, born, codes[nation], gender])
    return len(planted)
