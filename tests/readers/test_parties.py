"""Screening input reader: CSV and JSON Lines customer files, streamed, broken rows reported."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import PartialDate, Schema
from interdict.readers.parties import PartyRow, parse_party_fields, read_parties

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parties"


def write(tmp_path: Path, data: bytes, name: str = "customers.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_csv_rows_good_and_broken() -> None:
    rows = {row.line: row for row in read_parties(FIXTURES / "customers.csv")}
    assert sorted(rows) == [2, 3, 4, 5, 6, 7, 8]
    first = rows[2].party
    assert first is not None
    assert (first.id, first.name, first.gender, first.id_number) == (
        "C1",
        "Rustam Abdullaev",
        "male",
        "A1234567",
    )
    assert first.birth_date == PartialDate(year=1975, month=6, day=1)  # 01.06.1975
    assert [c.code for c in first.countries] == ["TJ"]  # "TJK"
    assert first.schema_ is Schema.PERSON
    second = rows[3].party
    assert second is not None
    assert second.birth_date == PartialDate(year=1980, month=3)
    assert [c.code for c in second.countries] == ["KZ"]
    assert rows[8].party is not None and rows[8].party.name == "Шохрух Раҳмонов"
    errors = {line: row.error for line, row in rows.items() if row.error}
    assert errors == {
        4: "line 4: no name",
        5: "line 5: birth_date '31/02/1970' not understood "
        "(use YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)",
        6: "line 6: name is 501 characters, more than 500",
        7: "line 7: schema 'Company' unknown "
        "(use one of Person, Organization, Vessel, Aircraft, LegalEntity)",
    }
    assert [rows[n].raw_id for n in (4, 5, 6, 7)] == ["C3", "C4", "C5", "C6"]


def test_jsonl_rows_good_and_broken() -> None:
    rows = {row.line: row for row in read_parties(FIXTURES / "customers.jsonl")}
    assert sorted(rows) == [1, 2, 4, 5, 6, 7]  # line 3 is blank
    first = rows[1].party
    assert first is not None and [c.code for c in first.countries] == ["TJ", "RU"]
    second = rows[2].party
    assert second is not None
    assert (second.id, second.birth_date) == ("2", PartialDate(year=1980))  # numbers as JSON
    assert rows[4].error and rows[4].error.startswith("line 4: not JSON")
    assert rows[5].error == "line 5: not a JSON object"
    assert rows[6].error == "line 6: name must be text, not dict"
    assert rows[6].raw_id == "J5"
    assert rows[7].party is not None and rows[7].party.schema_ is Schema.PERSON


def test_every_row_has_a_party_or_an_error() -> None:
    for path in FIXTURES.iterdir():
        for row in read_parties(path):
            assert (row.party is None) != (row.error is None)
            assert row.error is None or row.error.startswith(f"line {row.line}: ")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("customers.txt", b"id,name\n1,Ali\n"),
        ("customers.txt", b'{"id": "1", "name": "Ali"}\n'),
        ("customers.json", b'{"id": "1", "name": "Ali"}\n'),
        ("customers.ndjson", b'{"id": "1", "name": "Ali"}\n'),
        ("customers", b'  \n{"id": "1", "name": "Ali"}\n'),
    ],
    ids=["sniff-csv", "sniff-jsonl", "json", "ndjson", "no-extension"],
)
def test_format_by_extension_or_content(tmp_path: Path, name: str, data: bytes) -> None:
    rows = list(read_parties(write(tmp_path, data, name)))
    assert [(r.party.id, r.party.name) for r in rows if r.party] == [("1", "Ali")]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("c.csv", b"", "file is empty"),
        ("c.csv", b"  \r\n\r\n", "file is empty"),
        ("c.csv", b"id,customer\n1,Ali\n", "missing column(s) name"),
        ("c.csv", b"name\nAli\n", "missing column(s) id"),
        ("c.csv", b"id,name\x00\n1,A\x00li\n", "NUL bytes"),
        ("c.jsonl", b'[{"id": "1", "name": "Ali"}]\n', "not a JSON object"),
        ("c.json", b'{\n  "id": "1",\n  "name": "Ali"\n}\n', "not a JSON object"),
        ("c.jsonl", b"id,name\n1,Ali\n", "not a JSON object"),
    ],
    ids=["empty", "blank", "no-name", "no-id", "binary", "array", "pretty", "csv-as-jsonl"],
)
def test_structural_problems_raise_before_the_first_row(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(BadInputError, match=re.escape(message)):
        read_parties(write(tmp_path, data, name))  # not iterated: raised on the call


def test_missing_file() -> None:
    with pytest.raises(BadInputError, match="file not found"):
        read_parties(FIXTURES / "nope.csv")


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", "\ufeff"), ("utf-16", ""), ("utf-16-be", "\ufeff"), ("cp1252", "")],
    ids=["utf8-bom", "utf16", "utf16-be-bom", "cp1252"],
)
def test_encodings(tmp_path: Path, encoding: str, prefix: str) -> None:
    data = f"{prefix}id,name\n1,Zoé Müller\n".encode(encoding)
    rows = list(read_parties(write(tmp_path, data)))
    assert rows[0].party is not None and rows[0].party.name == "Zoé Müller"


def test_broken_rows_do_not_stop_the_file(tmp_path: Path) -> None:
    data = b'id,name\n1,Ali\n2,"Bad"quote\n3,Ctrl\x1b[0m\n4,Last\n'
    rows = list(read_parties(write(tmp_path, data)))
    assert [(r.line, r.party.name if r.party else r.error) for r in rows] == [
        (2, "Ali"),
        (3, "line 3: malformed CSV: ',' expected after '\"'"),
        (4, "line 4: name contains a control character"),
        (5, "Last"),
    ]


def test_short_rows_leave_optional_fields_empty(tmp_path: Path) -> None:
    rows = list(read_parties(write(tmp_path, b"id,name,birth_date,country\n1,Ali\n")))
    assert rows[0].party is not None and rows[0].party.birth_date is None


def test_it_streams(tmp_path: Path) -> None:
    """Rows come before the whole file is read: a bad byte far down is met only when reached."""
    good = b"".join(b"%d,Customer Number %d\n" % (n, n) for n in range(20000))
    path = write(tmp_path, b"id,name\n" + good + b"20000,Caf\xc3\n")
    rows = read_parties(path)
    assert isinstance(rows, Iterator)
    first = list(itertools.islice(rows, 3))
    assert [r.line for r in first] == [2, 3, 4]
    with pytest.raises(BadInputError, match="line 20002: undecodable text"):
        for _row in rows:
            pass


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1970", PartialDate(year=1970)),
        ("1970-05", PartialDate(year=1970, month=5)),
        ("1970-05-31", PartialDate(year=1970, month=5, day=31)),
        ("31.05.1970", PartialDate(year=1970, month=5, day=31)),
        ("1/5/1970", PartialDate(year=1970, month=5, day=1)),
        ("", None),
    ],
)
def test_birth_date_formats(text: str, expected: PartialDate | None) -> None:
    row = parse_party_fields({"id": "1", "name": "Ali", "birth_date": text}, 9)
    assert row.party is not None and row.party.birth_date == expected


@pytest.mark.parametrize("text", ["1970-13", "31.02.1970", "70", "1970/05/31", "0999", "May 1970"])
def test_bad_birth_dates_are_row_errors(text: str) -> None:
    row = parse_party_fields({"id": "1", "name": "Ali", "birth_date": text}, 9)
    assert row.party is None and row.error and row.error.startswith("line 9: birth_date")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"gender": "F"}, "female"),
        ({"gender": "Male"}, "male"),
        ({"gender": "unknown"}, None),
        ({"country": "kaz"}, "KZ"),
        ({"country": "Kyrgyz Republic"}, "KG"),
        ({"NAME": "Ali  \t Hassan", "ID": "1"}, "Ali Hassan"),
    ],
)
def test_field_normalisation(fields: dict[str, str], expected: str | None) -> None:
    row = parse_party_fields({"id": "1", "name": "Ali", **fields}, 2)
    party = row.party
    assert party is not None
    key = next(iter(fields)).lower()
    value = {
        "gender": party.gender,
        "country": party.countries[0].code if party.countries else None,
    }
    assert value.get(key, party.name) == expected


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": "Ali"}, "no id"),
        ({"id": "1", "name": "   "}, "no name"),
        ({"id": "1", "name": "\u200b\u200d\u2060\ufeff"}, "no visible character"),
        ({"id": "1", "name": "\u202e\u2066 \u00ad\u3164"}, "no visible character"),
        ({"id": "1", "name": "\u0301\u0308\u2800"}, "no visible character"),
        ({"id": "1", "name": "Ali", "gender": "q"}, "gender 'q'"),
        ({"id": "1", "name": "Ali", "country": "Atlantis"}, "country 'Atlantis'"),
        ({"id": "1", "name": "Ali", "schema": "ship"}, "schema 'ship'"),
        ({"id": "1", "name": "Ali", "id_number": "9" * 201}, "at most 200"),
        ({"id": True, "name": "Ali"}, "id must be text"),
        ({"id": "1", "name": ["Ali"]}, "name must be text, not list"),
    ],
)
def test_field_errors(fields: dict[str, object], error: str) -> None:
    row = parse_party_fields(fields, 3)
    assert row.party is None and row.error and error in row.error
    assert row.error.startswith("line 3: ")


@settings(max_examples=150, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.builds(
            lambda cut, junk: (
                (FIXTURES / "customers.csv").read_bytes()[:cut]
                + junk
                + (FIXTURES / "customers.csv").read_bytes()[cut:]
            ),
            st.integers(min_value=0, max_value=900),
            st.binary(max_size=20),
        ),
    ),
    name=st.sampled_from(["in.csv", "in.jsonl", "in.dat"]),
)
def test_any_bytes_give_rows_or_bad_input(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str
) -> None:
    path = tmp_path_factory.mktemp("parties") / name
    path.write_bytes(data)
    try:
        rows = list(read_parties(path))
    except BadInputError as exc:
        assert exc.where
        return
    for row in rows:
        assert isinstance(row, PartyRow)
        assert (row.party is None) != (row.error is None)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["id", "name", "birth_date", "country", "gender", "schema", "other"]),
        st.one_of(st.text(max_size=30), st.integers(), st.none(), st.lists(st.text(max_size=5))),
    )
)
def test_parse_party_fields_never_raises(fields: dict[str, object]) -> None:
    row = parse_party_fields(fields, 1)
    assert (row.party is None) != (row.error is None)
