"""Message screening: every party and agent of a payment (by name and by BIC), FATF R.16
findings per transfer, every traveller of a manifest; results keep the CLI's per-party shape."""

from __future__ import annotations

import pytest

from interdict.model import Entity, Identifier, Name, Provenance, Schema
from interdict.readers.payments import read_payment
from interdict.readers.travel import read_manifest
from interdict.screening import DEFAULT_THRESHOLD, Screener
from interdict.screening.messages import (
    BicIndex,
    r16_findings,
    screen_manifest,
    screen_payments,
    sniff_message,
)

BANK = Entity(
    source_id="B1",
    schema=Schema.ORGANIZATION,
    names=(Name(full="Hidden Harbour Bank"),),
    identifiers=(Identifier(kind="bic", value="HHBKTJ22XXX"),),
    provenance=Provenance(list_name="test", list_version=3),
)


@pytest.fixture
def entities(small_list: list[Entity]) -> list[Entity]:
    return [*small_list, BANK]


@pytest.fixture
def screener(entities: list[Entity]) -> Screener:
    return Screener(entities)


def mt103(customer: str, beneficiary: str, agent: str = ":57A:DDDDKZKA") -> bytes:
    text = (
        "{1:F01AAAAKZKAAXXX0000000000}{2:I103BBBBTJ22XXXXN}{4:\n:20:R1\n:32A:250314USD5,\n"
        f"{customer}\n{agent}\n{beneficiary}\n:71A:SHA\n-}}"
    )
    return text.encode()


def test_bic_index_matches_the_institution(entities: list[Entity]) -> None:
    bics = BicIndex(entities)
    assert len(bics) == 1
    [match] = bics.matches("HHBKTJ22")
    assert (match.entity_id, match.score, match.list_version) == ("test:B1", 1.0, 3)
    assert "HHBKTJ22XXX" in match.explanation[0]
    assert bics.matches("HHBKTJ22ABC")  # a branch of the listed institution
    assert bics.matches("HHBKTJ33") == []
    assert bics.matches("HHBKTJ22", {"other"}) == []


def test_every_party_screened_and_agents_by_bic(screener: Screener, entities: list[Entity]) -> None:
    data = mt103(
        ":50K:/KZ1\nUSAMA BIN LADIN\nKANDAHAR",
        ":59:/TJ2\nALPHA TRADING",
        ":57A:HHBKTJ22",
    )
    result = screen_payments(
        read_payment(data, "pay.fin", "mt"), screener, BicIndex(entities), threshold=0.8
    )
    found = {
        pid: [m.entity_id for m in r.matches]
        for pid, r in ((p.id, r) for p, r in result.parties)
        if r
    }
    assert found["message 1 field 50K"] == ["test:T4"]
    assert found["message 1 field 57A"] == ["test:B1"]
    assert found["message 1 field 59"] == []
    assert {pid for pid, _ in result.hits} == {"message 1 field 50K", "message 1 field 57A"}
    output = result.to_dict()
    assert output["hits"] == 2 and output["matcher"] == screener.matcher
    customer = next(p for p in output["parties"] if p["id"] == "message 1 field 50K")
    assert customer["role"] == "ordering_customer"
    assert customer["matches"][0]["source_id"] == "T4"
    assert set(customer["matches"][0]) >= {
        "list",
        "source_id",
        "score",
        "matched_name",
        "explanation",
    }


def test_findings_name_each_missing_element(screener: Screener, entities: list[Entity]) -> None:
    data = mt103(":50K:SOMEONE", ":59:NOBODY")
    findings = {(f.party, f.element) for f in r16_findings(read_payment(data, "p", "mt"))}
    assert findings == {
        ("originator", "account"),
        ("originator", "address_or_identity"),
        ("beneficiary", "account"),
    }
    complete = mt103(":50K:/KZ1\nSOMEONE\n1 STREET", ":59:/TJ2\nNOBODY")
    assert r16_findings(read_payment(complete, "p", "mt")) == []


def test_birth_date_and_place_stand_in_for_the_address() -> None:
    structured = mt103(":50F:/KZ1\n1/SOMEONE\n4/19800101\n5/KZ/ALMATY", ":59:/TJ2\nNOBODY")
    assert r16_findings(read_payment(structured, "p", "mt")) == []
    only_date = mt103(":50F:/KZ1\n1/SOMEONE\n4/19800101", ":59:/TJ2\nNOBODY")
    [finding] = r16_findings(read_payment(only_date, "p", "mt"))
    assert (finding.party, finding.element, finding.field) == (
        "originator",
        "address_or_identity",
        "50a",
    )


def test_a_bic_only_originator_lacks_a_name() -> None:
    data = mt103(":50A:/KZ1\nHHBKTJ22", ":59:/TJ2\nNOBODY")
    [finding] = r16_findings(read_payment(data, "p", "mt"))
    assert finding.element == "name" and "HHBKTJ22" in finding.text
    assert finding.to_dict()["rule"] == "FATF R.16"


def test_missing_beneficiary_is_a_finding() -> None:
    data = mt103(":50K:/KZ1\nSOMEONE\n1 STREET", ":70:NO BENEFICIARY")
    [finding] = r16_findings(read_payment(data, "p", "mt"))
    assert (finding.party, finding.element) == ("beneficiary", "party")


def test_same_name_is_screened_once(screener: Screener, entities: list[Entity]) -> None:
    pain = b"""<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn>
<GrpHdr><MsgId>M</MsgId><InitgPty><Nm>Osama bin Laden</Nm></InitgPty></GrpHdr>
<PmtInf><Dbtr><Nm>Osama bin Laden</Nm></Dbtr><DbtrAcct><Id><IBAN>X1</IBAN></Id></DbtrAcct>
<CdtTrfTxInf><PmtId><EndToEndId>E</EndToEndId></PmtId><Cdtr><Nm>B</Nm></Cdtr></CdtTrfTxInf>
</PmtInf></CstmrCdtTrfInitn></Document>"""
    calls: list[str] = []
    original = screener.screen

    def counting(party, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(party.name)
        return original(party, **kwargs)

    screener.screen = counting  # type: ignore[method-assign]
    result = screen_payments(
        read_payment(pain, "p", "xml"), screener, BicIndex(entities), threshold=DEFAULT_THRESHOLD
    )
    assert calls.count("Osama bin Laden") == 1
    assert len([p for p, _ in result.hits if p.startswith(("GrpHdr", "PmtInf[1]/Dbtr"))]) == 2


def test_manifest_one_result_per_traveller(screener: Screener) -> None:
    edifact = (
        b"UNB+UNOA:4+A+B+250314:0800+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
        b"NAD+FL+++BIN LADIN:USAMA'DTM+329:570310'NAT+2+SAU'"
        b"NAD+FM+++NOBODY:JANE'NAD+FL+++'UNT+7+1'UNZ+1+1'"
    )
    manifest = read_manifest(edifact, "m.edi")
    result = screen_manifest(manifest, screener, threshold=0.8)
    output = result.to_dict()
    assert [r["id"] for r in output["results"]] == ["1.1", "1.2", "1.3"]
    first, second, third = output["results"]
    assert first["matches"][0]["source_id"] == "T4"
    assert first["traveller"]["birth_date"] == "1957-03-10"
    assert second["matches"] == [] and second["traveller"]["kind"] == "crew"
    assert third["matches"] == [] and "no name" in third["error"]
    assert output["hits"] == len(result.hits) >= 1


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xef\xbb\xbf  <?xml version='1.0'?><Document/>", "xml"),
        (b"{1:F01AAAA}", "mt"),
        (b"$\n{1:F21}", "mt"),
        (b"UNA:+.? 'UNB", "edifact"),
        (b"\r\nUNB+UNOA:4", "edifact"),
        (b"id,name\n", None),
        (b"", None),
    ],
)
def test_sniff(data: bytes, kind: str | None) -> None:
    assert sniff_message(data) == kind
