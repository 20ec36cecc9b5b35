"""EU Financial Sanctions Files reader, on fixtures written from the published layout (no real
EU file is available here; see ../shared/data/lists/SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import CountryRole, Entity, NameKind, NameQuality, PartialDate, Schema
from interdict.readers.base import ListFile
from interdict.readers.eu import EU_NAMESPACE, read_eu

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "eu"
SAMPLE = FIXTURES / "eu_fsf_sample.xml"
MINIMAL = FIXTURES / "eu_fsf_minimal.xml"


@pytest.fixture(scope="module")
def sample() -> ListFile:
    return read_eu(SAMPLE)


def by_id(result: ListFile) -> dict[str, Entity]:
    return {entity.source_id: entity for entity in result.entities}


def write_export(path: Path, entities: str, root: str = "export") -> Path:
    path.write_text(
        f'<{root} xmlns="{EU_NAMESPACE}" generationDate="2026-01-01T00:00:00">{entities}</{root}>',
        encoding="utf-8",
    )
    return path


def test_minimal_file(tmp_path: Path) -> None:
    result = read_eu(MINIMAL)
    assert result.source_format == "eu"
    assert result.published == "2026-01-05T09:00:00.000+01:00"
    assert [(e.source_id, e.schema, e.names[0].full) for e in result.entities] == [
        ("1", Schema.PERSON, "Ivan Testov"),
        ("2", Schema.ORGANIZATION, "Test Trading LLP"),
    ]
    assert result.warnings == []


def test_source_id_is_the_logical_id_and_references_are_remarks(sample: ListFile) -> None:
    assert sorted(by_id(sample)) == ["900101", "900202", "900303", "900404", "900505"]
    remarks = by_id(sample)["900101"].remarks or ""
    assert "EU reference: EU.9001.11" in remarks and "UN reference: QDi.901" in remarks


def test_names_kinds_quality_and_language(sample: ListFile) -> None:
    person = by_id(sample)["900101"]
    rows = [(n.full, n.kind, n.quality, n.lang) for n in person.names]
    assert rows == [
        ("Abd al-Rahman Yusuf al-Karimi", NameKind.PRIMARY, NameQuality.STRONG, None),
        ("عبد الرحمن يوسف الكريمي", NameKind.ORIGINAL_SCRIPT, NameQuality.STRONG, "ar"),
        ("Abou Hafs al-Karimi", NameKind.ALIAS, NameQuality.STRONG, "fr"),
        ("Abu Hafs", NameKind.ALIAS, NameQuality.WEAK, None),
        ("Abdurahman Karimi", NameKind.ALIAS, NameQuality.STRONG, None),
    ]
    primary = person.names[0]
    assert (primary.given, primary.family) == ("Abd al-Rahman Yusuf", "al-Karimi")


def test_cyrillic_names_keep_language_and_parts(sample: ListFile) -> None:
    person = by_id(sample)["900202"]
    cyrillic = [n for n in person.names if n.kind is NameKind.ORIGINAL_SCRIPT]
    assert [(n.full, n.lang, n.given, n.family) for n in cyrillic] == [
        ("Светлана Петровна ОРЛОВА", "ru", "Светлана Петровна", "ОРЛОВА"),
        ("Світлана Петрівна ОРЛОВА", "uk", "Світлана Петрівна", "ОРЛОВА"),
    ]
    assert person.gender == "female"
    tajik = by_id(sample)["900505"]
    assert [(n.full, n.lang) for n in tajik.names if n.kind is NameKind.ORIGINAL_SCRIPT] == [
        ("Раҳмонов Шоҳрух", "tg")
    ]


def test_name_from_parts_when_whole_name_is_empty(sample: ListFile) -> None:
    person = by_id(sample)["900303"]
    assert person.names[0].full == "Gul Ahmad Zadran"
    assert person.names[1].kind is NameKind.ORIGINAL_SCRIPT


@pytest.mark.parametrize(
    ("source_id", "expected"),
    [
        ("900101", [PartialDate.parse("1971-03-02"), PartialDate(year=1973, approximate=True)]),
        ("900202", [PartialDate.parse("1967-08")]),
        ("900303", [PartialDate(year=1953, until_year=1958, approximate=True)]),
        ("900505", []),
    ],
)
def test_birth_dates(sample: ListFile, source_id: str, expected: list[PartialDate]) -> None:
    assert list(by_id(sample)[source_id].birth_dates) == expected


@pytest.mark.parametrize(
    ("record", "fragment"),
    [
        ("900303", "open year range ?..1960"),
        ("900303", "ISLAMIC calendar"),
        ("900505", "not a date: '1985-02-30'"),
        ("900606", "no usable name; skipped"),
    ],
)
def test_dropped_parts_are_warned_with_file_line_and_record(
    sample: ListFile, record: str, fragment: str
) -> None:
    matching = [w for w in sample.warnings if f"record {record}:" in w and fragment in w]
    assert len(matching) == 1
    assert matching[0].startswith(f"{SAMPLE} line ")


def test_countries_and_birth_places(sample: ListFile) -> None:
    person = by_id(sample)["900101"]
    assert [(c.code, c.role) for c in person.countries] == [
        ("IQ", CountryRole.CITIZENSHIP),
        ("SY", CountryRole.CITIZENSHIP),
        ("IQ", CountryRole.BIRTH),
        ("SY", CountryRole.ADDRESS),
    ]
    assert person.birth_places == ("Mosul, Nineveh, IRAQ",)
    # countryIso2Code "00" with a description falls back to the description.
    org = by_id(sample)["900404"]
    assert [a.country for a in org.addresses] == ["KZ", "KG"]


def test_identifications(sample: ListFile) -> None:
    passport, national = by_id(sample)["900101"].identifiers
    assert (passport.kind, passport.value, passport.country) == ("passport", "A1234567", "IQ")
    assert passport.note == (
        "National passport; issued by Ministry of Interior; known expired; issued on 5 June 2001"
    )
    assert (national.kind, national.value) == ("national_id", "00112233")
    assert [(i.kind, i.value) for i in by_id(sample)["900404"].identifiers] == [
        ("bic", "EXFRKZKA"),
        ("registration", "123456789012"),
    ]
    assert by_id(sample)["900202"].identifiers[0].kind == "tax_id"
    tajik = by_id(sample)["900505"]
    assert tajik.identifiers == ()
    assert "Document: National passport; known false; number not published" in (tajik.remarks or "")


def test_programs_and_listing_dates(sample: ListFile) -> None:
    entities = by_id(sample)
    assert entities["900101"].programs == ("EU.TERR.AQ",)
    assert entities["900101"].listed_on == "2019-05-14"
    assert entities["900202"].listed_on == "2022-03-15"  # designationDate
    assert entities["900303"].listed_on == "2010-02-10"  # earliest of two regulations
    assert entities["900303"].programs == ("AFG",)
    assert "Regulations: 1264/2011 (OJ L322); 111/2010 (OJ L36)" in (
        entities["900303"].remarks or ""
    )


def test_function_and_title_are_remarks(sample: ListFile) -> None:
    remarks = by_id(sample)["900101"].remarks or ""
    assert "Function: Financial officer of the Example Front" in remarks
    assert "Title: Sheikh" in remarks


def test_unknown_subject_type_is_a_legal_entity_with_warning(tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "odd.xml",
        '<sanctionEntity logicalId="7"><subjectType code="vessel"/>'
        '<nameAlias wholeName="Sea Test" strong="true"/></sanctionEntity>',
    )
    result = read_eu(path)
    assert result.entities[0].schema is Schema.LEGAL_ENTITY
    assert any("record 7" in w and "subjectType" in w for w in result.warnings)


def test_root_in_another_namespace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "foreign.xml"
    path.write_text(
        '<export xmlns="urn:other"><sanctionEntity logicalId="1"><subjectType code="person"/>'
        '<nameAlias wholeName="A Test"/></sanctionEntity></export>',
        encoding="utf-8",
    )
    with pytest.raises(BadInputError, match=r"foreign\.xml: not an EU Financial Sanctions File"):
        read_eu(path)


def test_export_without_entities_is_refused(tmp_path: Path) -> None:
    path = write_export(tmp_path / "none.xml", "")
    with pytest.raises(BadInputError, match=r"none\.xml: the file holds no usable sanctionEntity"):
        read_eu(path)


def test_duplicate_logical_id_keeps_the_first(tmp_path: Path) -> None:
    entry = '<sanctionEntity logicalId="5"><subjectType code="person"/><nameAlias wholeName="{}"/>'
    path = write_export(
        tmp_path / "twice.xml",
        entry.format("First Test")
        + "</sanctionEntity>"
        + entry.format("Second Test")
        + "</sanctionEntity>",
    )
    result = read_eu(path)
    assert [e.names[0].full for e in result.entities] == ["First Test"]
    assert any("record 5" in w and "listed twice" in w for w in result.warnings)


def test_truncated_fixture_names_file_and_line(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    path = tmp_path / "half.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadInputError, match=r"half\.xml line \d+: malformed or truncated XML"):
        read_eu(path)


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
    data = bytearray(SAMPLE.read_bytes())
    for position, chunk in edits:
        at = position % len(data)
        data[at : at + len(chunk)] = chunk
    path = tmp_path / "damaged.xml"
    path.write_bytes(bytes(data[: max(1, cut % (len(data) + 1))]))
    try:
        result = read_eu(path)
    except BadInputError as exc:
        assert "damaged.xml" in str(exc)
    else:
        assert result.entities
