"""Customer files as people export them: other delimiters, other column names, reported up front."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interdict.errors import BadInputError
from interdict.model import PartialDate
from interdict.readers.parties import inspect_parties, read_parties


def write(tmp_path: Path, text: str, name: str = "customers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("delimiter", [";", "\t", "|"], ids=["semicolon", "tab", "pipe"])
def test_the_delimiter_is_sniffed_from_the_header(tmp_path: Path, delimiter: str) -> None:
    text = delimiter.join(["id", "name", "birth_date"]) + "\n"
    text += delimiter.join(["1", "Hassan, Ali", "1975"]) + "\n"
    path = write(tmp_path, text)
    assert inspect_parties(path).delimiter == delimiter
    (row,) = read_parties(path)
    assert row.party is not None
    assert (row.party.name, row.party.birth_date) == ("Hassan, Ali", PartialDate(year=1975))


def test_a_given_delimiter_wins_and_a_wrong_one_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "id;name\n1;Ali\n")
    (row,) = read_parties(path, delimiter=";")
    assert row.party is not None and row.party.name == "Ali"
    with pytest.raises(BadInputError, match="read as comma-separated") as caught:
        read_parties(path, delimiter=",")
    assert "'id;name'" in caught.value.message and "--delimiter" in caught.value.message


def test_a_header_without_id_names_the_delimiter_it_was_split_with(tmp_path: Path) -> None:
    path = write(tmp_path, "client;name\n1;Ali\n")
    with pytest.raises(BadInputError, match=re.escape("missing column(s) id")) as caught:
        inspect_parties(path)
    assert "semicolon-separated" in caught.value.message


def test_common_synonyms_are_read_and_the_rest_is_reported(tmp_path: Path) -> None:
    header = "Customer ID,id,Full Name,DOB,Nationality,Passport Number,Branch\n"
    path = write(tmp_path, header + "x,1,Ali Hassan,1975-05-14,TJ,P123,Dushanbe\n")
    layout = inspect_parties(path)
    assert layout.columns == {
        "id": "id",
        "name": "Full Name",
        "birth_date": "DOB",
        "country": "Nationality",
        "id_number": "Passport Number",
    }
    assert layout.ignored == ("Customer ID", "Branch")
    (row,) = read_parties(path)
    party = row.party
    assert party is not None
    assert (party.id, party.name, party.id_number) == ("1", "Ali Hassan", "P123")
    assert party.birth_date == PartialDate(year=1975, month=5, day=14)
    assert [c.code for c in party.countries] == ["TJ"]


def test_a_field_s_own_column_beats_its_synonym(tmp_path: Path) -> None:
    path = write(tmp_path, "id,full_name,name\n1,Ali Hassan Full,Ali Hassan\n")
    assert inspect_parties(path).ignored == ("full_name",)
    (row,) = read_parties(path)
    assert row.party is not None and row.party.name == "Ali Hassan"


def test_json_lines_with_full_name_are_read(tmp_path: Path) -> None:
    text = '{"id": "1", "full_name": "Ali Hassan", "date_of_birth": "1975", "segment": "retail"}\n'
    path = write(tmp_path, text, "c.jsonl")
    layout = inspect_parties(path)
    assert (layout.format, layout.ignored) == ("jsonl", ("segment",))
    (row,) = read_parties(path)
    assert row.party is not None
    assert (row.party.name, row.party.birth_date) == ("Ali Hassan", PartialDate(year=1975))


def test_json_lines_without_a_name_key_are_refused_up_front(tmp_path: Path) -> None:
    path = write(tmp_path, '{"id": "1", "customer": "Ali"}\n', "c.jsonl")
    with pytest.raises(BadInputError, match="no name key") as caught:
        read_parties(path)
    assert "'customer'" in caught.value.message
