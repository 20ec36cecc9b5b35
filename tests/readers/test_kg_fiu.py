"""Kyrgyz FIU national list (SanctionList XML), from a fixture in the published layout."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import Schema
from interdict.readers import read_list
from interdict.readers.kg_fiu import read_kg_fiu

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "kg_fiu"


def test_persons_and_legal_persons_in_a_namespaced_file() -> None:
    result = read_list(FIXTURES / "sanction_list.xml", "kg_fiu")
    persons = [e for e in result.entities if e.schema is Schema.PERSON]
    orgs = [e for e in result.entities if e.schema is Schema.ORGANIZATION]
    assert len(persons) == 3 and len(orgs) == 1
    first = persons[0]
    assert first.names[0].full == "Абдыкеримов Талантбек Жумабекович"
    assert first.names[0].family == "Абдыкеримов"
    assert [str(d) for d in first.birth_dates] == ["1974-02-06"]
    assert first.birth_places == ("г. Ош, Кыргызская Республика",)
    assert first.listed_on == "2018-01-17"
    assert first.programs == ("KG FIU: Террористическая деятельность",)
    assert first.remarks is not None and first.remarks.startswith("Basis for inclusion:")
    assert first.source_id.startswith("KG-")
    assert [n.full for n in orgs[0].names] == [
        "Джамаат «Светлый путь»",
        "Светлый путь",
        "Svetly Put",
    ]


def test_two_dates_of_birth_and_an_approximate_one() -> None:
    result = read_kg_fiu(FIXTURES / "sanction_list.xml")
    by_family = {e.names[0].family: e for e in result.entities if e.schema is Schema.PERSON}
    assert [str(d) for d in by_family["Маматова"].birth_dates] == ["1979-12-27", "1979-12-26"]
    assert [str(d) for d in by_family["Осмонов"].birth_dates] == ["~1985"]
    assert by_family["Осмонов"].programs == ("KG FIU national list",)


@pytest.mark.parametrize(
    "content",
    [b"", b"<SanctionList><KyrgyzPhysicPerson><Surname>X", b"<SanctionList/>"],
    ids=["empty", "truncated", "no-records"],
)
def test_broken_files_raise_our_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "kg.xml"
    path.write_bytes(content)
    with pytest.raises(BadInputError):
        read_kg_fiu(path)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_no_bytes_crash_the_reader(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("kg") / "x.xml"
    path.write_bytes(data)
    with contextlib.suppress(BadInputError):
        read_kg_fiu(path)
