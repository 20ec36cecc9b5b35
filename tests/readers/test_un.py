"""UN consolidated list reader: a hand-written fixture with the real file's quirks, then the real
snapshots in ../shared/data (skipped when absent), then damaged input."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from interdict.errors import BadInputError
from interdict.model import CountryRole, Entity, NameKind, NameQuality, PartialDate, Schema
from interdict.readers.base import ListFile
from interdict.readers.un import read_un

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "un" / "un_sample.xml"
SHARED_UN = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "lists" / "un"
FEB = "un_consolidated_2026-02-27.xml"
JAN = "un_consolidated_2026-01-28.xml"


@pytest.fixture(scope="module")
def sample() -> ListFile:
    return read_un(FIXTURE)


def by_id(result: ListFile) -> dict[str, Entity]:
    return {entity.source_id: entity for entity in result.entities}


def names_of(
    entity: Entity, kind: NameKind, quality: NameQuality = NameQuality.STRONG
) -> list[str]:
    return [n.full for n in entity.names if n.kind == kind and n.quality == quality]


# --- the fixture -------------------------------------------------------------------------------


def test_fixture_reads_persons_and_organisations(sample: ListFile) -> None:
    assert sample.source_format == "un"
    assert sample.published == "2026-02-27T00:00:09.554Z"
    schemas = {e.source_id: e.schema for e in sample.entities}
    assert schemas == {
        "QDi.901": Schema.PERSON,
        "QDi.902": Schema.PERSON,
        "KPi.903": Schema.PERSON,
        "QDe.905": Schema.ORGANIZATION,
    }
    assert all(e.provenance is None for e in sample.entities)


def test_primary_name_is_joined_and_trimmed_with_given_and_family(sample: ListFile) -> None:
    primary = by_id(sample)["QDi.901"].names[0]
    assert (primary.full, primary.kind) == ("ABD AL-RAHMAN YUSUF AL-KARIMI", NameKind.PRIMARY)
    assert (primary.given, primary.family) == ("ABD AL-RAHMAN", "AL-KARIMI")


def test_dprk_names_put_the_family_name_first(sample: ListFile) -> None:
    primary = by_id(sample)["KPi.903"].names[0]
    assert (primary.full, primary.given, primary.family) == ("PAK CHOL TEST", "CHOL TEST", "PAK")


def test_alias_quality_and_spellings(sample: ListFile) -> None:
    person = by_id(sample)["QDi.901"]
    assert names_of(person, NameKind.ORIGINAL_SCRIPT) == ["عبد الرحمن يوسف الكريمي"]
    assert names_of(person, NameKind.ALIAS) == ["Abdurahman Karimi", "Karimi, Abd al-Rahman"]
    # "Low" is weak; "A (other script)" and "A; B" give one name per spelling.
    assert names_of(person, NameKind.ALIAS, NameQuality.WEAK) == [
        "Abu Hafs",
        "أبو حفص",
        "Abu Yusuf",
        "Abou Youssef",
    ]
    comma = next(n for n in person.names if n.full == "Karimi, Abd al-Rahman")
    assert (comma.given, comma.family) == ("Abd al-Rahman", "Karimi")


def test_cyrillic_original_script_and_marked_alias(sample: ListFile) -> None:
    person = by_id(sample)["QDi.902"]
    assert names_of(person, NameKind.ORIGINAL_SCRIPT) == ["Руслан Магомедович Тестов"]
    weak = names_of(person, NameKind.ALIAS, NameQuality.WEAK)
    assert weak == ["Amir Testov", "Амир Тестов"]


def test_entity_names_split_former_and_arabic_note(sample: ListFile) -> None:
    org = by_id(sample)["QDe.905"]
    assert names_of(org, NameKind.PRIMARY) == [
        "EXAMPLE FRONT FOR THE LIBERATION OF THE EAST (EFLE)",
        "EAST TRADING COMPANY (ETC)",
    ]
    assert names_of(org, NameKind.FORMER) == ["Eastern Liberation Group"]
    assert names_of(org, NameKind.ALIAS) == ["Example Front", "الجبهة المثال"]
    assert names_of(org, NameKind.ORIGINAL_SCRIPT) == ["جبهة تحرير الشرق"]


@pytest.mark.parametrize(
    ("source_id", "expected"),
    [
        ("QDi.901", [PartialDate.parse("1971-03-02"), PartialDate(year=1973, approximate=True)]),
        (
            "QDi.902",
            [
                PartialDate(year=1978, until_year=1980, approximate=True),
                PartialDate.parse("1979-11"),
            ],
        ),
        ("KPi.903", [PartialDate.parse("1966-02-22"), PartialDate.parse("1965-03-19")]),
    ],
)
def test_dates_of_birth(sample: ListFile, source_id: str, expected: list[PartialDate]) -> None:
    assert list(by_id(sample)[source_id].birth_dates) == expected


def test_unreadable_dates_are_dropped_with_a_warning_and_kept_as_remarks(sample: ListFile) -> None:
    hijri = [w for w in sample.warnings if "QDi.902" in w]
    assert len(hijri) == 1 and "Hijri" in hijri[0]
    assert "un_sample.xml line 96 record QDi.902" in hijri[0]
    assert "12/05/1399 (Hijri Calendar)" in (by_id(sample)["QDi.902"].remarks or "")
    assert any("KPi.903" in w and "30-35 years old" in w for w in sample.warnings)


def test_countries_places_and_gender(sample: ListFile) -> None:
    person = by_id(sample)["QDi.901"]
    assert {(c.code, c.role) for c in person.countries} == {
        ("IQ", CountryRole.NATIONALITY),
        ("SY", CountryRole.NATIONALITY),
        ("IQ", CountryRole.BIRTH),
        ("SY", CountryRole.ADDRESS),
    }
    assert person.birth_places == ("Mosul, Nineveh Province, Iraq",)
    assert person.gender == "male"
    assert by_id(sample)["KPi.903"].gender == "female"
    assert by_id(sample)["QDi.902"].gender is None


def test_unknown_country_is_dropped_with_a_warning(sample: ListFile) -> None:
    dprk = by_id(sample)["KPi.903"]
    assert [(c.code, c.role) for c in dprk.countries] == [("KP", CountryRole.NATIONALITY)]
    assert any("KPi.903" in w and "Atlantis (former)" in w for w in sample.warnings)


def test_documents(sample: ListFile) -> None:
    person = by_id(sample)["QDi.901"]
    passport, national = person.identifiers
    assert (passport.kind, passport.value, passport.country) == ("passport", "A1234567", "IQ")
    assert passport.note == "issued 2001-06-05; expired on 4 June 2011"
    assert (national.kind, national.value, national.note) == (
        "national_id",
        "00112233",
        "civil status card",
    )
    assert "Passport: Syrian passport, number unknown" in (person.remarks or "")
    assert by_id(sample)["KPi.903"].identifiers[0].country == "KP"  # from COUNTRY_OF_ISSUE


def test_addresses_programs_dates_and_remarks(sample: ListFile) -> None:
    person = by_id(sample)["QDi.901"]
    assert [(a.full, a.country) for a in person.addresses] == [
        ("Al-Midan Street 12, Damascus, Syrian Arab Republic", "SY")
    ]
    assert person.programs == ("Al-Qaida",)
    assert person.listed_on == "2015-04-07"  # "2015-04-07-04:00" in the file
    remarks = person.remarks or ""
    assert remarks.startswith("Invented record for tests.")
    assert "Title: Sheikh" in remarks and "Alias Abu Hafs (أبو حفص): nom de guerre" in remarks
    org = by_id(sample)["QDe.905"]
    assert [a.country for a in org.addresses] == ["KZ", None]


def test_record_without_a_name_is_skipped_with_a_warning(sample: ListFile) -> None:
    assert "TAi.904" not in by_id(sample)
    assert any("record TAi.904" in w and "no usable name" in w for w in sample.warnings)


# --- the real files ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> dict[str, ListFile]:
    if not (SHARED_UN / FEB).is_file():
        pytest.skip(f"real UN lists absent from {SHARED_UN} (only CI and developers have them)")
    return {name: read_un(SHARED_UN / name) for name in (JAN, FEB)}


def _script(text: str) -> str:
    letters = Counter(unicodedata.name(ch, "?").split()[0] for ch in text if ch.isalpha())
    return letters.most_common(1)[0][0]


@pytest.mark.shared_data
def test_real_february_counts(real: dict[str, ListFile]) -> None:
    result = real[FEB]
    assert result.published == "2026-02-27T00:00:09.554Z"
    assert Counter(e.schema for e in result.entities) == {
        Schema.PERSON: 730,
        Schema.ORGANIZATION: 273,
    }
    names = Counter((n.kind, n.quality) for e in result.entities for n in e.names)
    # 1,003 records + the entity whose FIRST_NAME lists two names.
    assert names[NameKind.PRIMARY, NameQuality.STRONG] == 1004
    # 615 "Low" ALIAS_NAMEs, some listing several spellings ("A; B", "أبو … (Abu …)").
    assert names[NameKind.ALIAS, NameQuality.WEAK] == 629
    assert names[NameKind.ALIAS, NameQuality.STRONG] == 2192
    assert names[NameKind.FORMER, NameQuality.STRONG] == 18  # 19 f.k.a., one repeats a name
    # 378 NAME_ORIGINAL_SCRIPT; the one in Latin letters repeats the primary name.
    original = [
        n.full for e in result.entities for n in e.names if n.kind is NameKind.ORIGINAL_SCRIPT
    ]
    assert Counter(map(_script, original)) == {"ARABIC": 366, "CYRILLIC": 11}
    assert sum(len(e.birth_dates) for e in result.entities) == 893
    assert sum(len(e.identifiers) for e in result.entities) == 449
    assert len(result.warnings) == 3


@pytest.mark.shared_data
def test_real_low_quality_aliases_become_weak_names(real: dict[str, ListFile]) -> None:
    root = etree.parse(str(SHARED_UN / FEB)).getroot()
    low: Counter[str] = Counter()
    for alias in root.iter("INDIVIDUAL_ALIAS"):
        if alias.findtext("QUALITY") == "Low" and (alias.findtext("ALIAS_NAME") or "").strip():
            parent = alias.getparent()
            assert parent is not None
            low["".join((parent.findtext("REFERENCE_NUMBER") or "").split())] += 1
    assert sum(low.values()) == 615
    entities = by_id(real[FEB])
    for ref, count in low.items():
        weak = [n for n in entities[ref].names if n.quality is NameQuality.WEAK]
        assert len(weak) >= count, ref


@pytest.mark.shared_data
def test_real_update_adds_four_sudan_designations(real: dict[str, ListFile]) -> None:
    before, after = by_id(real[JAN]), by_id(real[FEB])
    assert len(before) == 999
    assert sorted(set(after) - set(before)) == ["SDi.007", "SDi.008", "SDi.009", "SDi.010"]
    assert not set(before) - set(after)


@pytest.mark.shared_data
def test_real_quirky_records(real: dict[str, ListFile]) -> None:
    entities = by_id(real[FEB])
    kony = entities["CFi.009"]  # ten dates of birth, three only as "Month YYYY" notes
    assert len(kony.birth_dates) == 10
    assert PartialDate.parse("1961-08") in kony.birth_dates
    akhund = entities["TAi.002"]  # BETWEEN with "Approximately"
    assert PartialDate(year=1955, until_year=1958, approximate=True) in akhund.birth_dates
    nusra = entities["QDe.137"]  # aliases listing a dozen spellings in brackets
    assert "Hayat Tahrir al-Sham" in [n.full for n in nusra.names]
    assert "هيئة تحرير الشام" in [n.full for n in nusra.names]


# --- damaged input -----------------------------------------------------------------------------


def test_truncated_fixture_names_file_and_line(tmp_path: Path) -> None:
    data = FIXTURE.read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadInputError, match=r"cut\.xml line \d+: malformed or truncated XML"):
        read_un(path)


def test_other_root_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    body = FIXTURE.read_text(encoding="utf-8").replace("CONSOLIDATED_LIST", "SANCTIONS")
    path.write_text(body, encoding="utf-8")
    with pytest.raises(BadInputError, match=r"other\.xml: not a UN consolidated list"):
        read_un(path)


def test_list_without_records_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty_list.xml"
    path.write_text(
        '<CONSOLIDATED_LIST dateGenerated="2026-01-01">'
        "<INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>",
        encoding="utf-8",
    )
    with pytest.raises(BadInputError, match=r"empty_list\.xml: the list holds no usable"):
        read_un(path)


def test_duplicate_reference_keeps_the_first(tmp_path: Path) -> None:
    record = (
        "<INDIVIDUAL><FIRST_NAME>{}</FIRST_NAME><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER>"
        "</INDIVIDUAL>"
    )
    path = tmp_path / "twice.xml"
    path.write_text(
        f"<CONSOLIDATED_LIST><INDIVIDUALS>{record.format('ONE')}{record.format('TWO')}"
        "</INDIVIDUALS></CONSOLIDATED_LIST>",
        encoding="utf-8",
    )
    result = read_un(path)
    assert [e.names[0].full for e in result.entities] == ["ONE"]
    assert any("record QDi.1" in w and "listed twice" in w for w in result.warnings)


@settings(
    max_examples=150,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cut=st.integers(min_value=0), edits=st.lists(st.tuples(st.integers(0), st.binary(max_size=8)))
)
def test_damaged_fixture_gives_result_or_bad_input(
    tmp_path: Path, cut: int, edits: list[tuple[int, bytes]]
) -> None:
    data = bytearray(FIXTURE.read_bytes())
    for position, chunk in edits:
        at = position % len(data)
        data[at : at + len(chunk)] = chunk
    path = tmp_path / "damaged.xml"
    path.write_bytes(bytes(data[: max(1, cut % (len(data) + 1))]))
    try:
        result = read_un(path)
    except BadInputError as exc:
        assert "damaged.xml" in str(exc)
    else:
        assert result.entities
