"""Evasion families: listed UN person names disguised as an evader would, screened at the default.

Run ``python -m benchmarks.screening.evasion [--names 120] [--matcher name_v2]``. Each family
rewrites the primary name of the first ``--names`` UN persons with a name of at least two parts
(in source-id order: nothing chosen by hand) and screens it against all real lists at the default
threshold; a family's recall is the share whose own UN entity is among the matches. The families
are those of issues 9 and 10; each transform is deterministic (seeded per name).
"""

from __future__ import annotations

import argparse
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path

from benchmarks.screening.report import table
from benchmarks.screening.sources import DEFAULT_DATA, load_lists
from interdict.model import Entity, Party, Schema
from interdict.screening import DEFAULT_THRESHOLD, Screener

__all__ = ["FAMILIES", "main"]

_LEET = {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5", "g": "9"}
_ARMENIAN = {"o": "օ", "h": "հ", "n": "ո", "u": "ս", "g": "ց", "q": "զ"}
_GREEK = {"a": "α", "o": "ο", "i": "ι", "e": "ε", "k": "κ", "n": "η"}
_RLO, _PDF = "\u202e", "\u202c"
_MARKS = [chr(c) for c in range(0x0300, 0x0370)]


def _leet(name: str, rng: random.Random) -> str:
    return "".join(_LEET.get(ch.lower(), ch) if rng.random() < 0.6 else ch for ch in name)


def _one_of(table: dict[str, str]) -> Callable[[str, random.Random], str]:
    def swap(name: str, rng: random.Random) -> str:
        spots = [i for i, ch in enumerate(name) if ch.lower() in table]
        if not spots:
            return name
        i = rng.choice(spots)
        return name[:i] + table[name[i].lower()] + name[i + 1 :]

    return swap


def _all_of(table: dict[str, str]) -> Callable[[str, random.Random], str]:
    return lambda name, _rng: "".join(table.get(ch, ch) for ch in name)


def _combining(name: str, rng: random.Random) -> str:
    return "".join(
        ch + rng.choice(_MARKS) if ch.isalpha() and rng.random() < 0.4 else ch for ch in name
    )


def _accents(name: str, rng: random.Random) -> str:
    plain = {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü", "n": "ñ", "c": "ç"}
    return "".join(plain.get(ch, ch) if rng.random() < 0.5 else ch for ch in name)


def _drop_middle(name: str, _rng: random.Random) -> str:
    parts = name.split()
    return " ".join([parts[0], parts[-1]]) if len(parts) > 2 else name


FAMILIES: dict[str, Callable[[str, random.Random], str]] = {
    "as listed": lambda name, _rng: name,
    "reversed inside right-to-left override": lambda name, _rng: _RLO + name[::-1],
    "wrapped in RLO … PDF, reversed": lambda name, _rng: _RLO + name[::-1] + _PDF,
    "no spaces": lambda name, _rng: name.replace(" ", ""),
    "random combining marks": _combining,
    "digits for letters": _leet,
    "middle names dropped": _drop_middle,
    "one Armenian homoglyph": _one_of(_ARMENIAN),
    "Greek homoglyphs": _all_of(_GREEK),
    "honorific added": lambda name, _rng: "Sheikh " + name,
    "accents added": _accents,
    "zero-width spaces": lambda name, _rng: "\u200b".join(name),
}
"""Family → transform of a listed name (lower case in, as an evader would write it out)."""


def _persons(entities: list[Entity], count: int) -> list[Entity]:
    un = [e for e in entities if e.provenance and e.provenance.list_name == "un"]
    persons = [e for e in un if e.schema is Schema.PERSON and len(e.names[0].full.split()) >= 2]
    return sorted(persons, key=lambda e: e.source_id)[:count]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--names", type=int, default=120)
    parser.add_argument("--matcher", default=None, help="registered matcher (default: the default)")
    args = parser.parse_args(argv)
    entities = load_lists(args.data)
    screener = Screener(entities, matcher=args.matcher)
    persons = _persons(entities, args.names)
    rows = []
    for family, transform in FAMILIES.items():
        found, missed = 0, []
        for person in persons:
            rng = random.Random(f"{family}:{person.source_id}")
            name = unicodedata.normalize("NFC", person.names[0].full.lower())
            query = transform(name, rng)
            result = screener.screen(Party(id=person.source_id, name=query))
            if any(m.list_name == "un" and m.source_id == person.source_id for m in result.matches):
                found += 1
            else:
                missed.append(query)
        rows.append([family, f"{found}/{len(persons)}", missed[0] if missed else ""])
    title = f"matcher {screener.matcher}, threshold {DEFAULT_THRESHOLD}, {len(persons)} UN persons"
    print(table(title, ["family", "found", "first miss"], rows))


if __name__ == "__main__":
    main()
