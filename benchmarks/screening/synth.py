"""A large synthetic list made from real names, for speed and memory at scale.

Name parts come from the real lists (the ``given``/``family`` parts the readers give, or else a
person name's first and last words) and from the yente negatives files (``first_name``,
``middle_name``, ``last_name`` — many locales and scripts). Parts are pooled by script, so a
synthetic name never mixes Arabic and Latin letters; a script is drawn in proportion to its
number of parts. Each synthetic person has a primary name (given [middle] family), up to two
aliases (another given name with the same family name, or the family name first), a birth year
for most, a nationality and a gender for some. The generator is seeded and yields
:class:`Entity` objects one by one, so a caller can index a
million names without holding a million entities.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.screening.datasets import name_script
from interdict.model import (
    CountryRole,
    Entity,
    EntityCountry,
    Name,
    NameKind,
    PartialDate,
    Provenance,
    Schema,
)

__all__ = ["SYNTHETIC_LIST", "NamePools", "name_pools", "synthetic_entities"]

SYNTHETIC_LIST = "synthetic"
_COUNTRY_CODES = (
    "AF IQ SY YE SO RU KZ KG TJ UZ TM PK IR DE FR GB US CN IN NG EG SA TR UA BY KP LY SD"
)
_COUNTRIES = tuple(_COUNTRY_CODES.split(" "))


@dataclass
class NamePools:
    """Given names and family names, by script (``LATIN``, ``ARABIC``, ``CYRILLIC`` …)."""

    given: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    family: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, given: str | None, family: str | None) -> None:
        """Add one person's parts (blank parts are skipped)."""
        for part, pool in ((given, self.given), (family, self.family)):
            text = " ".join((part or "").split())
            if text and len(text) <= 60:
                pool[name_script(text)].append(text)

    def usable_scripts(self) -> list[str]:
        """Scripts with both given and family names, most parts first."""
        scripts = [s for s in self.given if self.given[s] and self.family.get(s)]
        return sorted(scripts, key=lambda s: -(len(self.given[s]) + len(self.family[s])))

    def dedupe(self) -> None:
        """Keep each part once per script (sorted, so the result does not depend on hashing)."""
        for pool in (self.given, self.family):
            for script in list(pool):
                pool[script] = sorted(set(pool[script]))


def name_pools(entities: Iterable[Entity], negatives: Iterable[Path]) -> NamePools:
    """Pools of name parts from listed persons and from the negatives files."""
    pools = NamePools()
    for entity in entities:
        if entity.schema is not Schema.PERSON:
            continue
        for name in entity.names:
            if name.given or name.family:
                pools.add(name.given, name.family)
                continue
            words = name.full.replace(",", " ").split()
            if len(words) >= 2:
                pools.add(words[0], words[-1])
    for path in negatives:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                pools.add(row.get("first_name"), row.get("last_name"))
                pools.add(row.get("middle_name"), None)
    pools.dedupe()
    return pools


def _person(number: int, names: list[str], rng: random.Random) -> Entity:
    kinds = [NameKind.PRIMARY] + [NameKind.ALIAS] * (len(names) - 1)
    born = (PartialDate(year=rng.randint(1940, 2004)),) if rng.random() < 0.8 else ()
    country = rng.choice(_COUNTRIES) if rng.random() < 0.6 else None
    return Entity(
        source_id=f"S{number}",
        schema=Schema.PERSON,
        names=tuple(Name(full=n, kind=k) for n, k in zip(names, kinds, strict=True)),
        birth_dates=born,
        countries=(EntityCountry(code=country, role=CountryRole.NATIONALITY),) if country else (),
        gender=rng.choice(("male", "female")) if rng.random() < 0.5 else None,
        provenance=Provenance(list_name=SYNTHETIC_LIST, list_version=1),
    )


def synthetic_entities(pools: NamePools, total_names: int, seed: int) -> Iterator[Entity]:
    """Persons whose names add up to exactly ``total_names``, made from ``pools`` (seeded)."""
    rng = random.Random(seed)
    scripts = pools.usable_scripts()
    weights = [len(pools.given[s]) + len(pools.family[s]) for s in scripts]
    made = 0
    number = 0
    while made < total_names:
        script = rng.choices(scripts, weights)[0]
        given, family = pools.given[script], pools.family[script]
        first, surname = rng.choice(given), rng.choice(family)
        middle = f" {rng.choice(given)}" if rng.random() < 0.3 else ""
        names = [f"{first}{middle} {surname}"]
        extra = min(rng.choice((0, 0, 1, 2)), total_names - made - 1)
        for _ in range(extra):
            names.append(
                f"{rng.choice(given)} {surname}" if rng.random() < 0.5 else f"{surname} {first}"
            )
        number += 1
        made += len(names)
        yield _person(number, names, rng)
