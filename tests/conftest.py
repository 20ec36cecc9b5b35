"""Shared fixtures: the real data folder (skipped when absent) and small hand-made entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdict.model import (
    CountryRole,
    Entity,
    EntityCountry,
    Identifier,
    Name,
    NameKind,
    NameQuality,
    PartialDate,
    Provenance,
    Schema,
)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` beside the repository; tests using it skip on a user's clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (only CI and developers have it)")
    return SHARED_DATA


def person(
    source_id: str,
    *names: str,
    list_name: str = "test",
    weak: tuple[str, ...] = (),
    born: str | None = None,
    country: str | None = None,
    gender: str | None = None,
    passport: str | None = None,
) -> Entity:
    """A listed person for tests: first name primary, the rest aliases."""
    all_names = [Name(full=names[0])]
    all_names += [Name(full=n, kind=NameKind.ALIAS) for n in names[1:]]
    all_names += [Name(full=n, kind=NameKind.ALIAS, quality=NameQuality.WEAK) for n in weak]
    return Entity(
        source_id=source_id,
        schema=Schema.PERSON,
        names=tuple(all_names),
        birth_dates=(PartialDate.parse(born),) if born else (),
        countries=(EntityCountry(code=country, role=CountryRole.NATIONALITY),) if country else (),
        gender=gender,
        identifiers=(Identifier(kind="passport", value=passport),) if passport else (),
        provenance=Provenance(list_name=list_name, list_version=1),
    )


@pytest.fixture
def small_list() -> list[Entity]:
    """A dozen listed persons and one vessel, written for these tests (not real designations)."""
    return [
        person(
            "T1", "Abd al-Rahman Yusuf al-Tikriti", born="1971-03-02", country="IQ", gender="male"
        ),
        person("T2", "Шохрух Раҳмонов", "Shokhrukh Rakhmonov", born="1985", country="TJ"),
        person("T3", "Muhammad Abdulkhaliq Hussein", "Abu Hafs", weak=("Abu Hafs al-Masri",)),
        person("T4", "Usama bin Ladin", "Osama bin Laden", born="1957", passport="A1234567"),
        person("T5", "Aigul Serikovna Zhaksybekova", country="KZ", gender="female"),
        person("T6", "Magomed Ismailovich Gadzhiev", born="1980-10-29", country="RU"),
        person("T7", "عبد الخالق حسن", "Abdelkhalek Hassan"),
        person("T8", "John Michael Smith", born="1960", country="GB"),
        person("T9", "Nurlan uulu Bakyt", country="KG"),
        person("T10", "Jamshid Rahmonzoda", country="TJ"),
        person("T11", "Ali Hassan", born="1975"),
        person("T12", "Farhod Yusupov", country="UZ"),
        Entity(
            source_id="V1",
            schema=Schema.VESSEL,
            names=(Name(full="Muhammad Ali"),),
            provenance=Provenance(list_name="test", list_version=1),
        ),
    ]
