"""Kazakhstan AFM terrorist lists (category 1 and 2 XML), from fixtures in the published layout."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import Schema
from interdict.readers import read_list
from interdict.readers.kz_afm import parse_day_first_date, read_kz_afm

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "kz_afm"


def test_category_1_persons_and_organisations() -> None:
    result = read_list(FIXTURES / "category_1.xml", "kz_afm")
    by_id = {e.source_id: e for e in result.entities}
    person = by_id["IIN870314300125"]
    assert person.schema is Schema.PERSON
    assert person.names[0].full == "ТОКТАРОВ АРМАН СЕРИКОВИЧ"
    assert (person.names[0].given, person.names[0].family) == ("АРМАН", "ТОКТАРОВ")
    assert str(person.birth_dates[0]) == "1987-03-14"
    assert person.identifiers[0].kind == "iin" and person.identifiers[0].country == "KZ"
    assert person.listed_on == "2019-09-02"
    assert person.programs == ("KZ AFM: financing of terrorism or extremism (category 1)",)
    org = next(e for e in result.entities if e.schema is Schema.ORGANIZATION)
    assert [n.full for n in org.names] == [
        "ОБЩЕСТВЕННОЕ ОБЪЕДИНЕНИЕ «ЧЁРНОЕ ЗНАМЯ»",
        "ЧЁРНОЕ ЗНАМЯ",
        "BLACK BANNER PUBLIC ASSOCIATION",
        "BLACK BANNER",
    ]
    assert org.listed_on == "2016-10-20"  # from "включено от 20.10.2016"


def test_unknown_parts_are_dropped_with_warnings_naming_the_record() -> None:
    result = read_kz_afm(FIXTURES / "category_1.xml")
    no_iin = next(e for e in result.entities if e.names[0].family == "ЖУМАГАЛИЕВА")
    assert str(no_iin.birth_dates[0]) == "1991" and no_iin.source_id.startswith("KZ-")
    kaliev = next(e for e in result.entities if e.names[0].family == "КАЛИЕВ")
    assert kaliev.birth_dates == () and kaliev.identifiers == ()
    warnings = "\n".join(result.warnings)
    assert "31.02.1980" in warnings and "'12345' is not 12 digits" in warnings
    assert "no usable name; record skipped" in warnings
    assert len(result.entities) == 4


def test_category_2_orgs_are_persons() -> None:
    result = read_kz_afm(FIXTURES / "category_2.xml")
    assert {e.schema for e in result.entities} == {Schema.PERSON}
    first, second = result.entities
    assert first.source_id == "IIN900722300456" and first.listed_on == "2022-07-07"
    assert [n.full for n in second.names] == ["ХАСАНОВ РУСТАМ", "ХАСАНОВ РУСТЕМ"]
    assert second.programs == ("KZ AFM: participants in terrorist activity (category 2)",)


def test_ids_are_stable_across_reads() -> None:
    first = [e.source_id for e in read_kz_afm(FIXTURES / "category_1.xml").entities]
    assert first == [e.source_id for e in read_kz_afm(FIXTURES / "category_1.xml").entities]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14.03.1987", "1987-03-14"),
        ("00.00.1991", "1991"),
        ("1975", "1975"),
        ("около 1985", "~1985"),
    ],
)
def test_dates(text: str, expected: str) -> None:
    assert str(parse_day_first_date(text)) == expected


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<data><person><lname>X",
        b'<!DOCTYPE x [<!ENTITY a "b">]><data><person><lname>&a;</lname></person></data>',
        b"<data><something/></data>",
    ],
    ids=["empty", "truncated", "entities", "no-records"],
)
def test_hostile_or_broken_files_raise_our_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "afm.xml"
    path.write_bytes(content)
    with pytest.raises(BadInputError):
        read_kz_afm(path)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_no_bytes_crash_the_reader(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("afm") / "x.xml"
    path.write_bytes(data)
    with contextlib.suppress(BadInputError):
        read_kz_afm(path)
