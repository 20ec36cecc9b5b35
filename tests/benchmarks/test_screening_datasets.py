"""The screening benchmarks' dataset builders on tiny, hand-written inputs (no timed asserts).

Every listed person here is invented. A slow smoke test runs both benchmarks with ``--quick``
(without the peer) when ``../shared/data`` is present.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from benchmarks.screening import datasets, synth, yente
from benchmarks.screening.cases import clean_birth_date, clean_country, clean_gender
from benchmarks.screening.outcome import Outcome, alert_rate, recall, threshold_for_alerts
from benchmarks.screening.sources import YenteRow
from interdict.model import Entity, Name, NameKind, NameQuality, PartialDate, Provenance, Schema


def listed(
    source_id: str,
    *names: tuple[str, NameKind],
    born: str | None = None,
    schema: Schema = Schema.PERSON,
) -> Entity:
    return Entity(
        source_id=source_id,
        schema=schema,
        names=tuple(Name(full=text, kind=kind) for text, kind in names),
        birth_dates=(PartialDate.parse(born),) if born else (),
        provenance=Provenance(list_name="un", list_version=1),
    )


P, A, ORIG = NameKind.PRIMARY, NameKind.ALIAS, NameKind.ORIGINAL_SCRIPT


def row(name: str, born: str = "", nationality: str = "", number: int = 2) -> YenteRow:
    return YenteRow(
        row=number, full_name=name, gender="", date_of_birth=born, nationality=nationality
    )


# --- cleaning what the files give -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "shortened"),
    [
        ("1975", "1975", False),
        ("1969-7-16", "1969-07-16", False),
        ("1974-01-32", "1974-01", True),  # a treated row's impossible day
        ("1981-13-05", "1981", True),
        ("", None, False),
        ("unknown", None, True),
    ],
)
def test_clean_birth_date(text: str, expected: str | None, shortened: bool) -> None:
    date, cut = clean_birth_date(text)
    assert (str(date) if date else None, cut) == (expected, shortened)


def test_clean_country_and_gender() -> None:
    assert clean_country("af") == ("AF",)
    assert clean_country("Iraq") == ("IQ",)
    assert clean_country("Atlantis") == ()
    assert clean_gender("other") is None
    assert clean_gender("Female") == "female"


# --- UN positives → UN entities ---------------------------------------------------------------


def test_un_truth_maps_name_and_birth_year() -> None:
    entities = [
        listed("QDi.1", ("ABDUL HAI SALEK", P), ("Abdulhai Salek", A), born="1965"),
        listed("QDi.2", ("Hassan Dahir Aweys", P), born="1935"),
        listed("SOi.2", ("HASSAN DAHIR AWEYS", P), born="1935"),
        listed("QDi.3", ("Ali Hassan", P), born="1960..1962"),
    ]
    rows = [
        row("ABDULHAI  SALEK", "1965-03-01", number=2),  # alias, spacing and case differ
        row("HASSAN DAHIR AWEYS", "1935", number=3),  # listed twice: both are the truth
        row("Ali Hassan", "1961", number=4),  # inside a range of years
        row("Ali Hassan", "1970", number=5),  # birth year disagrees: unmapped
        row("Someone Else", "", number=6),
    ]
    truth = yente.map_un_truth(rows, entities)
    assert truth.truths == [
        frozenset({"un:QDi.1"}),
        frozenset({"un:QDi.2", "un:SOi.2"}),
        frozenset({"un:QDi.3"}),
        frozenset(),
        frozenset(),
    ]
    assert truth.unmapped == ["row 5: Ali Hassan", "row 6: Someone Else"]
    assert truth.several == 1
    cases, _ = yente.un_cases(rows, truth, "t")
    assert [c.query.id for c in cases] == ["t:2", "t:3", "t:4"]


def test_match_key_ignores_case_punctuation_and_spacing() -> None:
    assert yente.match_key("AL-DARI,  Muthanna ") == yente.match_key("al dari muthanna")
    assert yente.match_key("Ali") != yente.match_key("Alia")


# --- US-Congress perturbations ----------------------------------------------------------------


def test_perturb_kinds() -> None:
    rng = random.Random(1)
    seen: dict[str, str] = {}
    for _ in range(200):
        text, kind = yente.perturb("Jennifer L. McClellan", rng)
        seen[kind] = text
    assert seen["reorder"] == "McClellan, Jennifer L."
    assert seen["drop initials"] == "Jennifer McClellan"
    assert OSA.distance(seen["typo"], "Jennifer L. McClellan") == 1


def test_perturb_keeps_suffix_out_of_the_family_name() -> None:
    rng = random.Random(3)
    outputs = {yente.perturb("Donald M. Payne, Jr.", rng) for _ in range(200)}
    assert ("Payne, Donald M. Jr.", "reorder") in outputs


@given(st.lists(st.from_regex(r"[A-Z][a-z]{1,9}", fullmatch=True), min_size=1, max_size=4))
@settings(max_examples=200)
def test_perturb_always_changes_the_name(words: list[str]) -> None:
    name = " ".join(words)
    text, kind = yente.perturb(name, random.Random(len(name)))
    if kind == "unchanged":
        assert all(len(w) < 3 for w in words)
    else:
        assert text != name
    if kind == "typo":
        assert OSA.distance(text, name) == 1


def test_congress_cases_point_at_the_pep_list() -> None:
    rows = [row("Jake Auchincloss", "1988", number=2), row("Delia C. Ramirez", "1983", number=3)]
    entity_ids = {e.entity_id() for e in yente.congress_entities(rows)}
    exact, perturbed = yente.congress_cases(rows, seed=7)
    assert {next(iter(c.truth)) for c in exact} == entity_ids
    assert [c.truth for c in exact] == [c.truth for c in perturbed]
    assert [c.query.name for c in exact] == ["Jake Auchincloss", "Delia C. Ramirez"]
    assert exact[0].query.birth_date == PartialDate(year=1988)
    assert yente.congress_cases(rows, seed=7) == (exact, perturbed)  # seeded


# --- held-out aliases and cross-script sets ---------------------------------------------------


def test_words_and_particles() -> None:
    assert datasets.words("Abu Bakr al-Baghdadi") == {"bakr", "baghdadi"}
    assert not datasets.shares_words("Abu Hafs", ["Abu Mohammed al-Masri"])
    assert datasets.shares_words("Mohammed Atef", ["Subhi Abu Sitta", "Muhammad ATEF"])


def test_held_out_alias_set() -> None:
    entities = [
        listed("QDi.1", ("Ali Hassan Tikriti", P), ("Ali Tikriti", A), ("علي حسن", ORIG)),
        listed("QDi.2", ("Ibrahim Awad al-Badri", P), ("Abu Dua", A)),
        listed("QDi.3", ("Only One Name", P)),
        listed("QDi.4", ("Samir Nadim", P), ("SAMIR  NADIM", A)),  # the alias is the same name
    ]
    held = datasets.held_out_set(entities, seed=5)
    assert [e.source_id for e in held.entities] == ["QDi.1", "QDi.2", "QDi.3", "QDi.4"]
    by_truth = {next(iter(c.truth)): c for c in held.cases}
    assert set(by_truth) == {"un:QDi.1", "un:QDi.2"}
    assert by_truth["un:QDi.1"].query.name == "Ali Tikriti"
    assert by_truth["un:QDi.1"].group == "shares words"
    assert by_truth["un:QDi.2"].group == "nom de guerre"
    kept = {e.source_id: [n.full for n in e.names] for e in held.entities}
    assert kept["QDi.1"] == ["Ali Hassan Tikriti", "علي حسن"]
    assert kept["QDi.2"] == ["Ibrahim Awad al-Badri"]
    assert kept["QDi.4"] == ["Samir Nadim", "SAMIR NADIM"]


def test_cross_script_set() -> None:
    entities = [
        listed("QDi.1", ("Ali Hassan", P), ("علي حسن", ORIG), ("Али Хасан", A)),
        listed("QDi.2", ("Shamil Basayev", P), ("Шамиль Басаев", ORIG)),
        listed("QDe.3", ("Some Front", P), schema=Schema.ORGANIZATION),
    ]
    built = datasets.cross_script_set(entities)
    names = [n.full for e in built.entities for n in e.names]
    assert names == ["Ali Hassan", "Shamil Basayev", "Some Front"]
    assert [(c.query.name, c.group, c.truth) for c in built.cases] == [
        ("علي حسن", "Arabic", frozenset({"un:QDi.1"})),
        ("Шамиль Басаев", "Cyrillic", frozenset({"un:QDi.2"})),
    ]


def test_name_script() -> None:
    assert datasets.name_script("Раҳмонов Шоҳрух") == "CYRILLIC"
    assert datasets.name_script("عبدالخالق") == "ARABIC"
    assert datasets.name_script("Müller 2") == "LATIN"


# --- synthetic list ---------------------------------------------------------------------------


def test_synthetic_entities_count_names_exactly_and_are_seeded() -> None:
    pools = synth.NamePools()
    for first, family in [
        ("Ali", "Hassan"),
        ("Anna", "Smith"),
        ("Шамиль", "Басаев"),
        ("علي", "حسن"),
    ]:
        pools.add(first, family)
    pools.dedupe()
    made = list(synth.synthetic_entities(pools, 101, seed=3))
    assert sum(len(e.names) for e in made) == 101
    for entity in made:
        assert entity.names[0].kind is NameKind.PRIMARY
        assert all(n.quality is NameQuality.STRONG for n in entity.names)
        scripts = {datasets.name_script(w) for n in entity.names for w in n.full.split()}
        assert len(scripts) == 1, entity.names
    again = list(synth.synthetic_entities(pools, 101, seed=3))
    assert [e.names for e in again] == [e.names for e in made]


# --- figures ----------------------------------------------------------------------------------


def test_recall_alert_rate_and_operating_point() -> None:
    found = [Outcome(0.9, 0.9), Outcome(0.5, 0.95), Outcome(0.0, 0.3)]
    assert recall(found, 0.8) == pytest.approx(1 / 3)
    assert alert_rate(found, 0.8) == pytest.approx(2 / 3)
    negatives = [Outcome(0.0, s / 100) for s in range(100)]  # top scores 0.00 … 0.99
    assert threshold_for_alerts(negatives, 0.01) == pytest.approx(0.99)
    assert threshold_for_alerts(negatives, 0.10) == pytest.approx(0.90)


# --- smoke runs -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.parametrize("module", ["quality", "speed"])
def test_quick_run_writes_json(module: str, tmp_path: Path, shared_data: Path) -> None:
    if module == "quality":
        from benchmarks.screening.quality import main
    else:
        from benchmarks.screening.speed import main
    smaller = ["--queries", "40", "--batch", "200", "--names", "2000"] if module == "speed" else []
    argv = ["--quick", "--no-peer", "--out", str(tmp_path), "--data", str(shared_data), *smaller]
    assert main(argv) == 0
    (written,) = tmp_path.glob("*.json")
    data = json.loads(written.read_text("utf-8"))
    assert data["benchmark"] == f"screening_{module}"
