"""In-house CSV reader: the contract, its strict errors, and hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import CountryRole, NameKind, NameQuality, PartialDate, Schema
from interdict.readers.base import ListFile
from interdict.readers.csv_list import COLUMNS, read_csv_list

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "csv" / "inhouse.csv"
HEADER = ",".join(COLUMNS)


def read_text(tmp_path: Path, text: str, encoding: str = "utf-8") -> ListFile:
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode(encoding))
    return read_csv_list(path)


def test_the_contract_on_the_fixture() -> None:
    result = read_csv_list(FIXTURE)
    assert result.source_format == "csv"
    assert result.published is None
    assert [e.source_id for e in result.entities] == ["K-1", "K-2", "K-3"]
    person, charity, unknown = result.entities
    assert person.schema is Schema.PERSON
    assert [(n.full, n.kind, n.quality) for n in person.names] == [
        ("Рустам Абдуллаев", NameKind.PRIMARY, NameQuality.STRONG),
        ("Rustam Abdullaev", NameKind.ALIAS, NameQuality.STRONG),
        ("Abu Rustam", NameKind.ALIAS, NameQuality.WEAK),
    ]
    assert person.birth_dates == (PartialDate(year=1975, month=6, day=1), PartialDate(year=1976))
    assert [(c.code, c.role) for c in person.countries] == [("TJ", CountryRole.OTHER)]
    assert person.gender == "male"
    assert [(i.kind, i.value) for i in person.identifiers] == [("id_number", "A1234567")]
    assert charity.schema is Schema.ORGANIZATION
    assert charity.countries[0].code == "KZ"  # "Kazakhstan"
    assert unknown.schema is Schema.LEGAL_ENTITY  # no schema given
    assert unknown.names[0].full == "Doe, John"  # written as the user wrote it
    assert result.warnings == [f"{FIXTURE} line 1: unknown columns ignored: analyst_note"]


def test_only_id_and_name_are_required(tmp_path: Path) -> None:
    result = read_text(tmp_path, "name,id\nAli Hassan,7\n")
    assert result.entities[0].source_id == "7"
    assert result.entities[0].names[0].full == "Ali Hassan"


def test_rows_of_one_id_need_not_be_adjacent(tmp_path: Path) -> None:
    result = read_text(tmp_path, "id,name\n1,First\n2,Other\n1,Second\n")
    assert [n.full for n in result.entities[0].names] == ["First", "Second"]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("name\nAli\n", "missing column(s) id", 1),
        ("id,names\n1,Ali\n", "missing column(s) name", 1),
        (f"{HEADER}\n1,Ali,Person,,,,,\n1,Aly,Vessel,,,,,\n", "schema Vessel differs", 3),
        (f"{HEADER}\n,Ali,,,,,,\n", "id is empty", 2),
        ("id,name\n1,Ali,extra\n", "3 fields where the header has 2", 2),
        ('id,name\n1,"Ali"x\n', "malformed CSV", 2),
    ],
    ids=[
        "no-id-column",
        "no-name-column",
        "schema-conflict",
        "empty-id",
        "width",
        "quoting",
    ],
)
def test_strict_errors_name_the_line_and_say_what_to_do(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    with pytest.raises(BadInputError) as caught:
        read_text(tmp_path, text)
    assert message in caught.value.what
    assert caught.value.where and caught.value.where.endswith(f"line {line}")
    if "malformed" not in message:
        assert caught.value.hint


@pytest.mark.parametrize(
    ("row", "column", "value", "line"),
    [
        ("1,Ali,,,1970-02-30,,,", "birth_date", "1970-02-30", 2),
        ("1,Ali,,,05/06/1970,,,", "birth_date", "05/06/1970", 2),
        ("1,Ali,Company,,,,,", "schema", "Company", 2),
        ("1,Ali,,medium,,,,", "alias_quality", "medium", 2),
        ("1,Ali,,,,Belrus,,", "country", "Belrus", 2),
        (
            '1,Ali,,,,"China, Hong Kong Special Administrative Region",,',
            "country",
            "China, Hong Kong Special Administrative Region",
            2,
        ),
        ("1,Ali,,,,42,,", "country", "42", 2),
        ("1,Ali,,,,,x,", "gender", "x", 2),
    ],
    ids=[
        "impossible-date",
        "dmy-date",
        "schema",
        "quality",
        "misspelt",
        "long",
        "number",
        "gender",
    ],
)
def test_values_not_understood_are_kept_as_written_with_a_warning(
    tmp_path: Path, row: str, column: str, value: str, line: int
) -> None:
    listed = read_text(tmp_path, f"{HEADER}\n2,Other Person,,,1970,KZ,,\n{row}\n")
    entity = next(e for e in listed.entities if e.source_id == "1")
    assert entity.remarks == f"{column} as written: {value}"
    assert [n.full for n in entity.names] == ["Ali"]
    (warning,) = [w for w in listed.warnings if column in w]
    assert f"list.csv line {line + 1} record 1" in warning and repr(value[:60]) in warning
    assert len(listed.entities) == 2


def test_bad_date_hint_shows_the_expected_format(tmp_path: Path) -> None:
    listed = read_text(tmp_path, f"{HEADER}\n1,Ali,,,1970/01/01,,,\n")
    assert "YYYY-MM-DD" in listed.warnings[0]
    assert listed.entities[0].birth_dates == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "file is empty"), ("id,name\n", "no entities"), ("\n\n", "missing column")],
    ids=["empty", "header-only", "blank-lines"],
)
def test_empty_lists_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        read_text(tmp_path, text)


def test_blank_and_absurd_names_are_skipped_with_warnings(tmp_path: Path) -> None:
    result = read_text(tmp_path, f"id,name,country\n1, ,KZ\n1,{'N' * 600},\n2,Fine,\n")
    assert [e.source_id for e in result.entities] == ["2"]
    text = "\n".join(result.warnings)
    assert "line 2 record 1: row has no name" in text
    assert "line 3 record 1: name 'NNN" in text
    assert "record 1: no usable name; record skipped" in text


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", "\ufeff"), ("utf-16", ""), ("cp1252", "")],
    ids=["utf8-bom", "utf16", "cp1252"],
)
def test_encodings(tmp_path: Path, encoding: str, prefix: str) -> None:
    result = read_text(tmp_path, f"{prefix}id,name\n1,Zoé Müller\n", encoding)
    assert result.entities[0].names[0].full == "Zoé Müller"


def test_control_characters_are_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="control character"):
        read_text(tmp_path, "id,name\n1,Ali\x1b[31m\n")


@settings(max_examples=150, deadline=None)
@given(
    seed=st.sampled_from([FIXTURE.read_bytes(), b"id,name,birth_date\n1,A,1970\n"]),
    cut=st.integers(min_value=0, max_value=400),
    junk=st.binary(max_size=20),
    raw=st.binary(max_size=200),
    use_raw=st.booleans(),
)
def test_any_bytes_give_a_list_or_bad_input(
    tmp_path_factory: pytest.TempPathFactory,
    seed: bytes,
    cut: int,
    junk: bytes,
    raw: bytes,
    use_raw: bool,
) -> None:
    data = raw if use_raw else seed[:cut] + junk + seed[cut:]
    path = tmp_path_factory.mktemp("csv") / "list.csv"
    path.write_bytes(data)
    try:
        result = read_csv_list(path)
    except BadInputError as exc:
        assert exc.where
        return
    assert result.entities
