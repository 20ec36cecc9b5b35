"""PNRGOV: travellers of every booking, their passport data from SSR DOCS, titles run on to
given names, repeats and history not double-counted; every real GTAS message reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interdict.model import PartialDate
from interdict.readers.travel import read_manifest
from interdict.readers.travel.pnrgov import strip_title

PNR = """UNA:+.\\*'
UNB+IATA:1+KC+KZPIU+250314:0600+1'
UNH+1+PNRGOV:11:1:IA+KC921/140325/0600'
MSG+:22'
ORG+KC:ALA'
TVL+140325:1040:140325:1850+FRA+ALA+KC+921'
EQN+2'
SRC'
RCI+KC:ABC123'
TIF+RAKHMONOV:I+SHOKHRUKHMR:A:1'
SSR+DOCS:HK:1:KC:::::/P/TJK/400123456/TJK/01JAN85/M/01JAN30/RAKHMONOV/SHOKHRUKH/ALI'
TIF+RAKHMONOVA:I+DILNOZA MRS:A:2:1'
TIF+RAKHMONOVA:I+MADINA:IN:3'
SSR+DOCS:HK:1:KC:::::/P/TJK/500999888/TJK/10MAY24/FI/10MAY29/RAKHMONOVA/MADINA+::2'
TVL+140325:1040:140325:1850+FRA+ALA+KC+921:Y'
SSR+DOCS:HK:1:KC:::FRA:ALA:/P/TJK/400123456/TJK/01JAN85/M/01JAN30/RAKHMONOV/SHOKHRUKH/ALI+::1'
TRI++FRA-1:::1'
TIF+RAKHMONOV:I+SHOKHRUKHMR:A:1'
ABI+1+:ALA++KC'
TIF+RAKHMONOV:I+SHOHRUKHMR:A:1'
SRC'
RCI+KC:XYZ789'
TIF+TOUR GROUP:G'
TIF+O\\'BRIEN:I+SEAN MR:A:1'
UNT+24+1'
UNZ+1+1'
"""


def test_travellers_per_booking() -> None:
    manifest = read_manifest(PNR.encode(), "pnr.edi")
    [message] = manifest.messages
    assert [(f.number, f.departure, f.arrival) for f in message.flights] == [
        ("KC921", "FRA", "ALA")
    ]
    names = [(t.record_locator, t.kind, t.name) for t in message.travellers]
    assert names == [
        ("ABC123", "passenger", "SHOKHRUKH ALI RAKHMONOV"),
        ("ABC123", "passenger", "DILNOZA RAKHMONOVA"),
        ("ABC123", "infant", "MADINA RAKHMONOVA"),
        ("XYZ789", "passenger", "SEAN O'BRIEN"),
    ]


def test_docs_data_reaches_the_party() -> None:
    first, mother, infant, _ = read_manifest(PNR.encode(), "pnr.edi").travellers
    assert first.birth_date == PartialDate(year=1985, month=1, day=1)
    assert (first.gender, first.nationality) == ("male", "TJ")
    assert first.document is not None and first.document.number == "400123456"
    assert first.party is not None and first.party.id_number == "400123456"
    assert mother.document is None and mother.birth_date is None
    assert infant.birth_date == PartialDate(year=2024, month=5, day=10)
    assert infant.gender == "female"


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("SHOKHRUKHMR", "SHOKHRUKH"),
        ("ISABELLE MRS", "ISABELLE"),
        ("MOLLYMRS", "MOLLY"),
        ("NINA MS", "NINA"),
        ("WILLIAMS", "WILLIAMS"),
        ("MR", "MR"),
        ("KONG CHUN MRS", "KONG CHUN"),
        ("ARCHER", "ARCHER"),
    ],
)
def test_strip_title(given_name: str, expected: str) -> None:
    assert strip_title(given_name) == expected


@given(st.text(alphabet="ABCDEMRSIT ", max_size=20))
def test_strip_title_is_idempotent_on_words(name: str) -> None:
    once = strip_title(name)
    assert once == " ".join(once.split())
    assert len(once) <= len(" ".join(name.upper().split()))


GTAS = [
    ("2_pnrs_basic.edi", 4),
    ("3_pnrs.edi", 13),
    ("adult_and_infant.edi", 2),
    ("bigMessagePnr.txt", 7),
    ("codeshare.edi", 2),
    ("infant.edi", 2),
    ("multiple_flight_leg_pnr.txt", 2),
    ("no_pnr_history.edi", 4),
    ("pnr1.txt", 2),
    ("pnr2.txt", 2),
    ("pnr3.txt", 4),
    ("pnr4.txt", 1),
    ("pnrMessage.txt", 2),
    ("pnrMessageExample.txt", 5),
    ("pnrMessagePg75.txt", 2),
    ("pnrMessagePg76.txt", 2),
    ("pnrMessagePg77.txt", 1),
    ("pnrSeatFormats.txt", 1),
    ("pnrWithDoco.txt", 1),
    ("pnr_split.edi", 3),
]


@pytest.mark.shared_data
@pytest.mark.parametrize(("name", "count"), GTAS)
def test_real_gtas_messages(shared_data: Path, name: str, count: int) -> None:
    path = shared_data / "standards" / "paxlst" / "gtas" / "pnrgov" / name
    manifest = read_manifest(path.read_bytes(), name)
    assert [m.type for m in manifest.messages] == ["PNRGOV"]
    assert len(manifest.travellers) == count
    assert all(t.party is not None for t in manifest.travellers)


@pytest.mark.shared_data
def test_repeated_docs_in_flight_groups_are_one_traveller(shared_data: Path) -> None:
    path = shared_data / "standards" / "paxlst" / "gtas" / "pnrgov" / "infant.edi"
    travellers = read_manifest(path.read_bytes(), "infant.edi").travellers
    assert [(t.kind, t.name) for t in travellers] == [
        ("passenger", "ISABELLE RUTH BELT"),
        ("infant", "SOPHY OLIVIA BELT"),
    ]
