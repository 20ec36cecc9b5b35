"""FollowTheMoney JSON-lines reader: a hand-written fixture with helper entities, the real
OpenSanctions sample in ../shared/data (skipped when absent), and broken lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import CountryRole, Entity, NameKind, NameQuality, PartialDate, Schema
from interdict.readers.base import ListFile
from interdict.readers.ftm import read_ftm

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "ftm" / "ftm_sample.ftm.json"
REAL = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "lists"
    / "opensanctions"
    / "yente_t1_entities.ftm.json"
)


@pytest.fixture(scope="module")
def sample() -> ListFile:
    return read_ftm(SAMPLE)


def by_id(result: ListFile) -> dict[str, Entity]:
    return {entity.source_id: entity for entity in result.entities}


def write_lines(path: Path, *objects: object) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), "utf-8")
    return path


def test_schemas_are_mapped_and_helpers_are_not_entities(sample: ListFile) -> None:
    assert sample.source_format == "ftm"
    assert {e.source_id: e.schema for e in sample.entities} == {
        "it-person-1": Schema.PERSON,
        "it-company-1": Schema.ORGANIZATION,
        "it-vessel-1": Schema.VESSEL,
        "it-plane-1": Schema.AIRCRAFT,
        "it-legal-1": Schema.LEGAL_ENTITY,
        "it-person-2": Schema.PERSON,
    }
    assert sample.published == "2024-03-28T18:57:01"


def test_skipped_entities_are_counted_in_one_warning(sample: ListFile) -> None:
    summary = [w for w in sample.warnings if "not imported" in w]
    assert summary == [
        f"{SAMPLE}: entities not imported (not targets, or unlinked): "
        "1 Ownership, 1 non-target Person"
    ]


def test_names_by_property(sample: ListFile) -> None:
    person = by_id(sample)["it-person-1"]
    rows = [(n.full, n.kind, n.quality, n.given, n.family) for n in person.names]
    assert rows == [
        ("Shokhrukh Rakhmonov", NameKind.PRIMARY, NameQuality.STRONG, "Shokhrukh", "Rakhmonov"),
        ("Раҳмонов Шоҳрух", NameKind.PRIMARY, NameQuality.STRONG, "Шоҳрух", "Раҳмонов"),
        ("Shohruh Rahmonov", NameKind.ALIAS, NameQuality.STRONG, None, None),
        ("Shokhrukh Testov", NameKind.FORMER, NameQuality.STRONG, None, None),
        ("Abu Test", NameKind.ALIAS, NameQuality.WEAK, None, None),
    ]
    assert [(n.full, n.quality) for n in by_id(sample)["it-legal-1"].names] == [
        ("The Example Network", NameQuality.WEAK)
    ]


def test_name_from_parts_when_there_is_no_name(sample: ListFile) -> None:
    name = by_id(sample)["it-person-2"].names[0]
    assert (name.full, name.given, name.family) == ("Aigul Serikovna Testova", "Aigul", "Testova")


def test_person_facts(sample: ListFile) -> None:
    person = by_id(sample)["it-person-1"]
    assert person.birth_dates == (PartialDate.parse("1985-02-14"), PartialDate(year=1984))
    assert person.birth_places == ("Khujand, Tajikistan",)
    assert person.gender == "male"
    # "zz" is FtM's unknown country: dropped silently.
    assert [(c.code, c.role) for c in person.countries] == [
        ("TJ", CountryRole.NATIONALITY),
        ("KZ", CountryRole.CITIZENSHIP),
        ("KZ", CountryRole.ADDRESS),
    ]


def test_helpers_enrich_their_owner(sample: ListFile) -> None:
    person = by_id(sample)["it-person-1"]
    assert [(i.kind, i.value, i.country) for i in person.identifiers] == [
        ("passport", "P1234567", None),
        ("tax_id", "123456789", None),
        ("passport", "T7654321", "TJ"),  # from the linked Passport entity
    ]
    # Address linked through one of its referents.
    assert [(a.full, a.country) for a in person.addresses] == [
        ("Abai Avenue 1, Almaty, Kazakhstan", "KZ")
    ]
    assert person.programs == ("EU.TERR", "UN 1267")
    assert person.listed_on == "2019-05-14"  # Sanction listingDate before createdAt
    assert person.remarks == (
        "Invented person for tests.\nPosition: Recruiter\nSanction: Financing of an invented group"
    )


def test_organisations_vessels_and_aircraft(sample: ListFile) -> None:
    entities = by_id(sample)
    company = entities["it-company-1"]
    assert [(c.code, c.role) for c in company.countries] == [("KG", CountryRole.INCORPORATION)]
    assert [(i.kind, i.value) for i in company.identifiers] == [
        ("tax_id", "7701234567"),
        ("registration", "KG-000123"),
    ]
    assert [a.full for a in company.addresses] == ["Osh, Kyrgyzstan"]
    assert company.programs == ("KG-TEST",)
    vessel = entities["it-vessel-1"]
    assert [(c.code, c.role) for c in vessel.countries] == [("PA", CountryRole.FLAG)]
    assert [(i.kind, i.value) for i in vessel.identifiers] == [
        ("imo", "IMO9000001"),
        ("mmsi", "352000001"),
    ]
    assert [n.kind for n in vessel.names] == [NameKind.PRIMARY, NameKind.FORMER]
    assert entities["it-legal-1"].countries[0].code == "RU"  # a country name, not a code


@pytest.mark.parametrize(
    ("record", "fragment"),
    [
        ("it-person-1", "birth date dropped: not a date: 'around 1985'"),
        ("it-person-2", "birth date dropped: day is out of range for month"),
        ("it-person-2", "country 'Atlantis' is not known"),
        ("it-person-3", "name with control characters dropped"),
        ("it-person-3", "entity has no usable name; skipped"),
    ],
)
def test_unusable_values_are_warned_with_line_and_record(
    sample: ListFile, record: str, fragment: str
) -> None:
    matching = [w for w in sample.warnings if f"record {record}: {fragment}" in w]
    assert len(matching) == 1
    assert matching[0].startswith(f"{SAMPLE} line ")


@pytest.mark.shared_data
def test_real_opensanctions_sample() -> None:
    if not REAL.is_file():
        pytest.skip(f"real FtM sample absent at {REAL} (only CI and developers have it)")
    result = read_ftm(REAL)
    assert [e.schema for e in result.entities].count(Schema.PERSON) == 4
    assert [e.schema for e in result.entities].count(Schema.ORGANIZATION) == 2
    assert sum(len(e.names) for e in result.entities) == 35
    entities = by_id(result)
    tobacco = entities["NK-2GdmHtZTeNXjNVrBGEXZNj"]
    assert [(i.kind, i.value) for i in tobacco.identifiers] == [("registration", "808000714")]
    assert tobacco.listed_on == "2022-06-03"
    kuzmenko = entities["NK-2Ka3UvopqbpZmVDFjWd4LA"]
    assert (kuzmenko.names[1].given, kuzmenko.names[1].family) == ("Виталий", "КУЗЬМЕНКО")
    assert result.warnings == [
        f"{REAL}: entities not imported (not targets, or unlinked): 1 Address"
    ]


# --- broken input ------------------------------------------------------------------------------


def test_broken_line_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ftm.json"
    good = json.dumps({"id": "a", "schema": "Person", "properties": {"name": ["A Test"]}})
    path.write_text(f"{good}\n{good[:-7]}\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=r"broken\.ftm\.json line 2: not valid JSON"):
        read_ftm(path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[1, 2]", "not a JSON object"),
        ('{"schema": "Person"}', "no string id"),
        ('{"id": "x", "properties": {}}', "no string schema"),
        ('{"id": "x", "schema": "Person", "properties": {"name": "A Test"}}', "lists of strings"),
        ('{"id": "x", "schema": "Person", "properties": {"name": [1]}}', "lists of strings"),
        ('{"id": "x", "schema": "Person", "referents": "y"}', "referents"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        ('{"id": "x", "schema": "Person", "n": ' + "9" * 5000 + "}", "not valid JSON"),
    ],
)
def test_lines_of_the_wrong_shape(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "shape.json"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=rf"shape\.json line 1: .*{message}"):
        read_ftm(path)


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    line = '{"id": "x", "schema": "Person", "properties": {"name": ["José Test"]}}\n'
    path.write_bytes(line.encode("utf-8") + line.encode("latin-1"))
    with pytest.raises(BadInputError, match=r"latin1\.json line 2: not UTF-8"):
        read_ftm(path)


def test_bom_and_blank_lines_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    line = '{"id": "x", "schema": "Company", "properties": {"name": ["BOM Test LLP"]}}'
    path.write_bytes(b"\xef\xbb\xbf" + line.encode() + b"\r\n\n\n")
    assert [e.names[0].full for e in read_ftm(path).entities] == ["BOM Test LLP"]


def test_file_without_targets_is_refused(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "helpers.json",
        {"id": "addr", "schema": "Address", "properties": {"full": ["Somewhere"]}},
    )
    with pytest.raises(BadInputError, match=r"helpers\.json: the file holds no Person"):
        read_ftm(path)


def test_duplicate_id_keeps_the_first(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "twice.json",
        {"id": "p", "schema": "Person", "properties": {"name": ["First Test"]}},
        {"id": "p", "schema": "Person", "properties": {"name": ["Second Test"]}},
    )
    result = read_ftm(path)
    assert [e.names[0].full for e in result.entities] == ["First Test"]
    assert any("line 2 record p: id listed twice" in w for w in result.warnings)


def test_overlong_name_is_dropped_with_a_warning(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "long.json",
        {"id": "p", "schema": "Person", "properties": {"name": ["A" * 501, "Short Test"]}},
    )
    result = read_ftm(path)
    assert [n.full for n in result.entities[0].names] == ["Short Test"]
    assert any("name of 501 characters dropped" in w for w in result.warnings)


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
    path = tmp_path / "damaged.json"
    path.write_bytes(bytes(data[: max(1, cut % (len(data) + 1))]))
    try:
        result = read_ftm(path)
    except BadInputError as exc:
        assert "damaged.json" in str(exc)
    else:
        assert result.entities
