"""UK reader: OFSI ConList (2018 and current layouts), FCDO UK Sanctions List, hostile files."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import CountryRole, Entity, NameKind, NameQuality, PartialDate, Schema
from interdict.readers.base import ListFile
from interdict.readers.uk import parse_uk_date, read_uk

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "uk"
OFSI_2018 = FIXTURES / "ofsi_conlist_2018.csv"
OFSI_2025 = FIXTURES / "ofsi_conlist_2025.csv"
FCDO = FIXTURES / "fcdo_uk_sanctions_list.csv"


def by_id(result: ListFile) -> dict[str, Entity]:
    return {entity.source_id: entity for entity in result.entities}


def names(entity: Entity) -> dict[str, tuple[NameKind, NameQuality]]:
    return {name.full: (name.kind, name.quality) for name in entity.names}


def rows_of(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


# --- the three layouts -------------------------------------------------------------------------


def test_ofsi_2018_layout_groups_rows_by_group_id() -> None:
    result = read_uk(OFSI_2018)
    assert result.source_format == "uk"
    assert result.published == "2018-04-13"
    entities = by_id(result)
    assert sorted(entities) == ["5001", "5002", "5003"]
    person = entities["5001"]
    assert person.schema is Schema.PERSON
    assert names(person) == {
        "Abdul Karim AL-TESTI": (NameKind.PRIMARY, NameQuality.STRONG),
        "Abd al-Karim AL-TESTY": (NameKind.ALIAS, NameQuality.STRONG),
        "Karim TESTOV": (NameKind.FORMER, NameQuality.STRONG),
    }
    primary = person.names[0]
    assert (primary.given, primary.family) == ("Abdul Karim", "AL-TESTI")  # Name 6 is the family
    # 00/00/1980 and 00/00/1981 on two rows of the same group; 32/13/1980 is dropped
    assert person.birth_dates == (PartialDate(year=1980), PartialDate(year=1981))
    assert {(c.code, c.role) for c in person.countries} == {
        ("SA", CountryRole.BIRTH),
        ("SA", CountryRole.NATIONALITY),  # "1) Saudi Arabia 2) Qatar"
        ("QA", CountryRole.NATIONALITY),
        ("AF", CountryRole.ADDRESS),  # "Afghanistan (since 2009)"
    }
    passport = person.identifiers[0]
    assert (passport.kind, passport.value) == ("passport", "592667")
    assert person.listed_on == "2016-04-01"
    assert person.programs == ("The ISIL (Da'esh) and Al-Qaida organisations",)
    text = "\n".join(result.warnings)
    assert "line 5 record 5001: date of birth '32/13/1980' not understood" in text
    assert "line 9: row without an id skipped" in text


def test_ofsi_2018_latin1_names_and_imo_in_other_information() -> None:
    entities = by_id(read_uk(OFSI_2018))
    assert entities["5002"].names[0].full == "SOCIÉTÉ GÉNÉRALE DE TEST"
    assert entities["5002"].addresses[0].country == "FR"
    assert [(i.kind, i.value) for i in entities["5003"].identifiers] == [("imo", "8937675")]


def test_current_ofsi_layout_with_non_latin_script_and_alias_quality() -> None:
    result = read_uk(OFSI_2025)
    assert result.published == "2025-09-01"
    assert result.warnings == []
    person, exchange = by_id(result)["6001"], by_id(result)["6002"]
    assert names(person) == {
        "Rustam Karimovich ABDULLAEV": (NameKind.PRIMARY, NameQuality.STRONG),
        "Рустам Каримович Абдуллаев": (NameKind.ORIGINAL_SCRIPT, NameQuality.STRONG),
        "Rustam ABDULLAYEV": (NameKind.ALIAS, NameQuality.STRONG),  # "Good quality"
        "ABU RUSTAM": (NameKind.ALIAS, NameQuality.WEAK),  # "Low quality"
    }
    assert person.birth_dates == (PartialDate(year=1975, month=6),)  # 00/06/1975
    assert person.birth_places == ("Khujand, Tajikistan",)
    assert {(i.kind, i.value) for i in person.identifiers} == {
        ("passport", "A7654321"),
        ("national_id", "123456"),  # "(1) 123456 (2) 654321"
        ("national_id", "654321"),
    }
    assert "Position: Recruiter" in (person.remarks or "")
    assert exchange.schema is Schema.ORGANIZATION
    assert names(exchange)["صرافی حاجی تست"] == (NameKind.ORIGINAL_SCRIPT, NameQuality.STRONG)


def test_fcdo_layout() -> None:
    result = read_uk(FCDO)
    assert result.published == "2026-02-13"  # "Report Date: 13-Feb-2026"
    assert result.warnings == []
    entities = by_id(result)
    assert sorted(entities) == ["CTE0001", "CTI0001", "SHP0001"]  # Unique ID, not OFSI Group ID
    person = entities["CTI0001"]
    assert names(person) == {
        "Bakhtiyor NAZAROV": (NameKind.PRIMARY, NameQuality.STRONG),
        "Бахтиёр Назаров": (NameKind.ORIGINAL_SCRIPT, NameQuality.STRONG),
        "ABU BAKR AL-UZBEKI": (NameKind.ALIAS, NameQuality.WEAK),
        "Bakhtiyar NAZAROV": (NameKind.ALIAS, NameQuality.STRONG),
    }
    assert person.birth_dates == (PartialDate(year=1979), PartialDate(year=1979, month=5, day=12))
    assert person.gender == "male"
    assert [(i.kind, i.value, i.note) for i in person.identifiers] == [
        ("passport", "FA1234567", "Uzbek passport")
    ]
    assert person.listed_on == "2021-03-15"
    assert "UN Ref: QDi.998" in (person.remarks or "")
    ship = entities["SHP0001"]
    assert ship.schema is Schema.VESSEL
    assert [(i.kind, i.value) for i in ship.identifiers] == [("imo", "9826902")]
    assert [(c.code, c.role) for c in ship.countries] == [("GA", CountryRole.FLAG)]
    assert "Vessel type: Oil Tanker" in (ship.remarks or "")
    assert entities["CTE0001"].addresses[0].full == "Test Street 1, Damascus, Syria"


def test_rows_of_one_group_need_not_be_adjacent(tmp_path: Path) -> None:
    rows = rows_of(OFSI_2025)
    rows.insert(3, rows.pop(-1))  # the entity's row now sits between the person's rows
    path = tmp_path / "shuffled.csv"
    path.write_bytes(csv_bytes(rows))
    assert by_id(read_uk(path)) == by_id(read_uk(OFSI_2025))


def test_columns_are_found_by_name_not_position(tmp_path: Path) -> None:
    rows = rows_of(OFSI_2025)
    reordered = [row[:1] + row[1:][::-1] for row in rows[1:]]  # keep the preamble as it is
    path = tmp_path / "reordered.csv"
    path.write_bytes(csv_bytes([rows[0], *reordered]))
    assert read_uk(path).entities == read_uk(OFSI_2025).entities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17/08/1957", PartialDate(year=1957, month=8, day=17)),
        ("00/00/1980", PartialDate(year=1980)),
        ("00/06/1975", PartialDate(year=1975, month=6)),
        ("dd/mm/1979", PartialDate(year=1979)),
        ("DD/06/1979", PartialDate(year=1979, month=6)),
        ("5/1/1970", PartialDate(year=1970, month=1, day=5)),
        ("12/00/1970", PartialDate(year=1970)),  # a day without a month means nothing
    ],
)
def test_uk_dates(text: str, expected: PartialDate) -> None:
    assert parse_uk_date(text) == expected


@pytest.mark.parametrize("text", ["", "1970", "32/01/1970", "01/13/1970", "1970-01-01", "x/y/1970"])
def test_bad_uk_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_uk_date(text)


# --- hostile input -----------------------------------------------------------------------------


def read_bytes(tmp_path: Path, data: bytes) -> ListFile:
    path = tmp_path / "conlist.csv"
    path.write_bytes(data)
    return read_uk(path)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-8", b"")],
    ids=["utf8-bom", "utf16", "utf8"],
)
def test_encodings_give_the_same_entities(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    data = prefix + OFSI_2025.read_text(encoding="utf-8").encode(encoding)
    assert read_bytes(tmp_path, data).entities == read_uk(OFSI_2025).entities


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    rows = rows_of(OFSI_2025)
    rows[1] = ["Identifier" if cell == "Group ID" else cell for cell in rows[1]]
    with pytest.raises(BadInputError, match="missing columns: 'Group Id'") as caught:
        read_bytes(tmp_path, csv_bytes(rows))
    assert caught.value.where and caught.value.where.endswith("line 2")


def test_a_file_without_the_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="no header row"):
        read_bytes(tmp_path, b"id,name\n1,Someone\n")


def test_truncated_row_names_the_line(tmp_path: Path) -> None:
    data = OFSI_2025.read_bytes()
    cut = data[: data.rindex(b"Pakistan")]
    with pytest.raises(BadInputError, match=r"line 6: \d+ fields where the header has 36"):
        read_bytes(tmp_path, cut)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"Last Updated,01/01/2020\n", "no header row"),
        (b"Last Updated,01/01/2020\nName 6,Group Type,Alias Type,Group ID\n", "no entities"),
        (b"Name 6,Group Type,Alias Type,Group ID\nX\x07,Entity,Prime Alias,1\n", "control"),
        (b'Name 6,Group Type,Alias Type,Group ID\n"X"y,Entity,Prime Alias,1\n', "malformed CSV"),
        (b"Name 6,Group Type,Alias Type,Group ID\nX,Entity,Prime Alias,1,surplus\n", "5 fields"),
    ],
    ids=["empty", "preamble-only", "header-only", "control", "quoting", "extra-field"],
)
def test_broken_files(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        read_bytes(tmp_path, data)


def test_empty_and_absurd_names_skip_their_group_with_a_warning(tmp_path: Path) -> None:
    header = b"Name 6,Name 1,Group Type,Alias Type,Group ID\n"
    rows = b" ,,Entity,Prime Alias,1\n" + b"Y" * 700 + b",,Entity,Prime Alias,2\nOK,,Entity,AKA,3\n"
    result = read_bytes(tmp_path, header + rows)
    assert [e.source_id for e in result.entities] == ["3"]
    assert result.entities[0].names[0].kind is NameKind.PRIMARY  # the only name is promoted
    text = "\n".join(result.warnings)
    assert "record 1: no usable name" in text
    assert "record 2: name 'YYYY" in text


def test_unknown_types_are_read_and_reported(tmp_path: Path) -> None:
    data = b"Name 6,Group Type,Alias Type,Group ID\nX,Trust,Nickname,1\n"
    result = read_bytes(tmp_path, data)
    assert result.entities[0].schema is Schema.LEGAL_ENTITY
    assert any("unknown type 'trust'" in w for w in result.warnings)
    assert any("unknown alias type 'nickname'" in w for w in result.warnings)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.sampled_from([OFSI_2018.read_bytes(), OFSI_2025.read_bytes(), FCDO.read_bytes()]),
    cut=st.integers(min_value=0, max_value=2500),
    junk=st.binary(max_size=30),
    raw=st.binary(max_size=300),
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
    path = tmp_path_factory.mktemp("uk") / "conlist.csv"
    path.write_bytes(data)
    try:
        result = read_uk(path)
    except BadInputError as exc:
        assert exc.where
        return
    assert result.entities


# --- the real file -----------------------------------------------------------------------------


@pytest.mark.shared_data
def test_real_ofsi_conlist_2018(shared_data: Path) -> None:
    result = read_uk(shared_data / "lists" / "uk" / "hmt_sanctionsconlist_2018-04-13.csv")
    assert result.published == "2018-04-13"
    assert len(result.entities) == 2106  # Group IDs over 9,487 rows
    assert Counter(e.schema for e in result.entities) == {
        Schema.PERSON: 1426,
        Schema.ORGANIZATION: 680,
    }
    isil = Counter(e.schema for e in result.entities if any("Al-Qaida" in p for p in e.programs))
    assert isil == {Schema.PERSON: 262, Schema.ORGANIZATION: 82}
    assert all(e.names[0].kind is NameKind.PRIMARY for e in result.entities)
    former = sum(n.kind is NameKind.FORMER for e in result.entities for n in e.names)
    assert 0 < former <= 19  # 19 FKA rows, repeated on rows that differ only by DOB
    assert sum(bool(e.birth_dates) for e in result.entities) > 1000
    assert len(result.warnings) <= 5
