"""PAXLST: passengers and crew with name, birth date, nationality, gender and passport; flights;
the real GTAS interchanges (UNG groups, odd separators, tolerated slips) all read."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdict.errors import BadInputError
from interdict.model import PartialDate, Schema
from interdict.readers.travel import read_manifest

PAXLST = """UNA:+.? '
UNB+UNOA:4+XYZAIR:ZZ+KZPIU:ZZ+250314:0800+77'
UNG+PAXLST+XYZ AIRLINES+KZPIU+250314:0800+77+UN+D:05B'
UNH+1+PAXLST:D:05B:UN:IATA'
BGM+745'
NAD+MS+++OPERATIONS DESK'
TDT+20+KC921+++KC'
LOC+125+FRA'
DTM+189:2503141040:201'
LOC+87+ALA'
DTM+232:2503141850:201'
NAD+FL+++RAKHMONOV:SHOKHRUKH'
ATT+2++M'
DTM+329:850101'
NAT+2+TJK'
DOC+V:110:111+V123'
LOC+91+KAZ'
DOC+P:110:111+400123456'
DTM+36:300101'
LOC+91+TJK'
NAD+FM+++SMITH:ANNA:MARIA'
ATT+2++F'
DTM+329:19990230'
NAT+2+GBR'
NAD+FL+++'
CNT+42:2'
UNT+24+1'
UNE+1+77'
UNZ+1+77'
"""


def test_travellers_with_their_data() -> None:
    manifest = read_manifest(PAXLST.encode(), "api.edi")
    [message] = manifest.messages
    assert message.type == "PAXLST"
    assert [(f.number, f.departure, f.arrival) for f in message.flights] == [
        ("KC921", "FRA", "ALA")
    ]
    first, crew, nameless = message.travellers
    assert (first.id, first.kind, first.name) == ("1.1", "passenger", "SHOKHRUKH RAKHMONOV")
    assert first.birth_date == PartialDate(year=1985, month=1, day=1)
    assert (first.gender, first.nationality) == ("male", "TJ")
    assert first.document is not None
    assert (first.document.kind, first.document.number, first.document.country) == (
        "P",
        "400123456",
        "TJK",
    )
    assert first.party is not None and first.party.schema_ is Schema.PERSON
    assert first.party.id_number == "400123456"
    assert (crew.kind, crew.name, crew.gender, crew.nationality) == (
        "crew",
        "ANNA MARIA SMITH",
        "female",
        "GB",
    )
    assert crew.birth_date is None  # 30 February: dropped, with a warning
    assert any("birth date not understood" in w for w in manifest.warnings)
    assert nameless.party is None and nameless.error is not None
    assert "no name" in nameless.error and "line 25 record segment 24 (NAD)" in nameless.error


def test_reporting_party_is_not_a_traveller() -> None:
    manifest = read_manifest(PAXLST.encode(), "api.edi")
    assert all("OPERATIONS" not in t.name for t in manifest.travellers)


def test_birth_year_is_not_after_the_interchange() -> None:
    text = PAXLST.replace("DTM+329:850101", "DTM+329:240101")
    first = read_manifest(text.encode(), "api.edi").travellers[0]
    assert first.birth_date == PartialDate(year=2024, month=1, day=1)
    text = PAXLST.replace("DTM+329:850101", "DTM+329:260101")
    first = read_manifest(text.encode(), "api.edi").travellers[0]
    assert first.birth_date == PartialDate(year=1926, month=1, day=1)


def test_other_message_types_are_refused() -> None:
    text = PAXLST.replace("PAXLST:D:05B", "INVOIC:D:96A")
    with pytest.raises(BadInputError, match="INVOIC, not a manifest"):
        read_manifest(text.encode(), "api.edi")


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "travellers", "crew"),
    [
        ("Test1.txt", 8, 8),
        ("Test3.txt", 260, 0),
        ("airline2.edi", 10, 0),
        ("apisMessage.txt", 2, 0),
        ("multiple_flight_leg_apis.txt", 2, 0),
    ],
)
def test_real_gtas_interchanges(shared_data: Path, name: str, travellers: int, crew: int) -> None:
    path = shared_data / "standards" / "paxlst" / "gtas" / "apis" / name
    manifest = read_manifest(path.read_bytes(), name)
    assert len(manifest.travellers) == travellers
    assert sum(t.kind == "crew" for t in manifest.travellers) == crew
    assert all(t.party is not None for t in manifest.travellers)
    assert all(t.birth_date is not None for t in manifest.travellers)
