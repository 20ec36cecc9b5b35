"""The development set's builders and its dev / frozen split (benchmarks/screening/devset.py).

Invented entities for the builders; the real lists (skipped when ``../shared/data`` is absent)
for the split being the same on every build and disjoint by entity.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.screening import dev, devset
from benchmarks.screening.sources import REAL_LISTS, load_lists
from interdict.model import Entity, EntityCountry, Name, NameKind, Provenance, Schema

P, A, ORIG = NameKind.PRIMARY, NameKind.ALIAS, NameKind.ORIGINAL_SCRIPT


def listed(
    source_id: str,
    *names: tuple[str, NameKind],
    schema: Schema = Schema.PERSON,
    country: str | None = None,
    list_name: str = "ofac",
) -> Entity:
    return Entity(
        source_id=source_id,
        schema=schema,
        names=tuple(Name(full=text, kind=kind) for text, kind in names),
        countries=(EntityCountry(code=country, role="nationality"),) if country else (),
        provenance=Provenance(list_name=list_name, list_version=1),
    )


def test_split_is_a_fixed_thirty_percent_by_key() -> None:
    keys = [f"ofac:{number}" for number in range(5000)]
    first = [devset.is_frozen(key) for key in keys]
    assert first == [devset.is_frozen(key) for key in keys]
    assert 0.27 < sum(first) / len(first) < 0.33
    assert {devset.part_of(key) for key in keys} == {"dev", "frozen"}


def test_held_out_alias_families_and_index() -> None:
    entities = [
        listed("1", ("Ivan Petrovich Sidorov", P), ("Ivan Sidorov", A)),
        listed("2", ("KIM Chol Nam", P), ("Kim Cholnam", A), country="KP"),
        listed("3", ("Almaz Trading LLC", P), ("Almaz Trading", A), schema=Schema.ORGANIZATION),
        listed("4", ("Ali Hassan", P), ("علي حسن", ORIG), list_name="un"),
        listed("5", ("Ibrahim Awad al-Badri", P), ("Abu Dua", A)),
        listed("6", ("Only One Name", P)),
        listed("7", ("Other List Person", P), ("Other Person", A), list_name="pep"),
    ]
    index, cases = devset.held_out_aliases(entities, devset.HELD_OUT_LISTS, seed=1)
    families = {case.key: case.family for case in cases}
    assert families == {
        "ofac:1": "partial",
        "ofac:2": "korean",
        "ofac:3": "organisation",
        "un:4": "cross-script",
        "ofac:5": "no shared word",
    }
    kept = {entity.entity_id(): [n.full for n in entity.names] for entity in index}
    assert kept["ofac:1"] == ["Ivan Petrovich Sidorov"]
    assert kept["un:4"] == ["Ali Hassan"]
    assert kept["ofac:6"] == ["Only One Name"]
    assert kept["pep:7"] == ["Other List Person", "Other Person"]  # not a held-out list
    for case in cases:
        assert case.case.truth == frozenset({case.key})
        assert case.part == devset.part_of(case.key)


def test_hard_negatives_never_use_a_name_of_the_entity() -> None:
    entities = [
        listed("1", ("Seabird Fund 8", P), schema=Schema.ORGANIZATION),
        listed("2", ("Almaz Trading LLC", P), schema=Schema.ORGANIZATION),
        listed("3", ("Almaz Mining LLC", P), schema=Schema.ORGANIZATION),
        listed("4", ("Sergei Ivanovich Petrov", P)),
        listed("5", ("Nikolai Smirnov", P)),
    ]
    cases = devset.hard_negatives(entities, devset.HELD_OUT_LISTS, seed=3, per_group=None)
    made = {(case.family, case.key): case.case.query.name for case in cases}
    assert made[("other legal form", "ofac:2")] == "Almaz Trading JSC"
    assert made[("shares words", "ofac:2")] == "Almaz Mining LLC"
    number = made[("other number", "ofac:1")]
    assert number.startswith("Seabird Fund ") and number != "Seabird Fund 8"
    assert made[("other given name", "ofac:4")].endswith(" Ivanovich Petrov")
    assert made[("other middle name", "ofac:4")].startswith("Sergei ")
    names = {entity.entity_id(): {n.full for n in entity.names} for entity in entities}
    for case in cases:
        assert case.kind == "hard negative"
        assert case.case.query.name not in names[case.key]


def test_evasion_changes_the_name_and_keeps_its_truth() -> None:
    entities = [listed(str(n), (f"Giorgio Bertone{n}", P)) for n in range(30)]
    cases = devset.evasion_cases(entities, devset.HELD_OUT_LISTS, seed=2)
    assert {case.family for case in cases} == {
        "evasion: digits",
        "evasion: no spaces",
        "evasion: homoglyphs",
    }
    for case in cases:
        assert case.case.query.name != f"Giorgio Bertone{case.key.split(':')[1]}"
        if case.family == "evasion: no spaces":
            assert " " not in case.case.query.name


def test_specification_pairs_are_never_frozen() -> None:
    pairs = devset.labelled_pairs()
    spec = [pair for pair, part in pairs if part == "spec"]
    assert spec, "the name_v2 specification pairs are part of the dev set"
    assert {pair.family for pair, _ in pairs} >= {"korean", "partial", "organisation"}
    assert {part for pair, part in pairs if pair in devset.PAIRS} <= {"dev", "frozen"}


def test_best_f1_and_operating_threshold() -> None:
    assert dev.best_f1([0.9, 0.8], [0.5]) == (1.0, 0.51)
    f1, _ = dev.best_f1([0.9, 0.0], [0.95])
    assert f1 == pytest.approx(0.5)  # a positive never returned (0.0) is never found
    assert dev.operating_threshold([s / 100 for s in range(100)]) == pytest.approx(0.99)


@pytest.mark.shared_data
def test_split_is_deterministic_and_disjoint_on_the_real_lists(shared_data: Path) -> None:
    lists = tuple(item for item in REAL_LISTS if item.name in {"un", "uk"})
    entities = load_lists(shared_data, lists)
    first = devset.build_devset(entities, seed=7, per_family=None, per_locale=0, with_clean=False)
    again = devset.build_devset(entities, seed=7, per_family=None, per_locale=0, with_clean=False)
    assert [(c.case.query, c.part) for c in first.cases] == [
        (c.case.query, c.part) for c in again.cases
    ]
    by_part: dict[str, set[str]] = {"dev": set(), "frozen": set()}
    for case in first.cases:
        by_part[case.part] |= set(case.case.truth)
    assert by_part["dev"] and by_part["frozen"]
    assert not by_part["dev"] & by_part["frozen"]
    frozen = sum(case.part == "frozen" for case in first.cases) / len(first.cases)
    assert 0.2 < frozen < 0.4


@pytest.mark.slow
@pytest.mark.shared_data
def test_quick_run_writes_json(tmp_path: Path, shared_data: Path) -> None:
    pytest.importorskip("faker")
    args = ["--quick", "--no-peer", "--per-family", "5", "--per-locale", "5"]
    assert dev.main([*args, "--out", str(tmp_path), "--data", str(shared_data)]) == 0
    data = json.loads((tmp_path / "screening_dev_quick.json").read_text("utf-8"))
    assert set(data["matchers"]) == {"name_v1", "name_v2"}
    assert set(data["parts"]) == {"dev", "frozen"}
