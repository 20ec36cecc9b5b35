"""ISO 20022 pacs.008 and pain.001: every party and agent with its place in the message, the
transfers for R.16, real samples (bare and enveloped), hostile XML refused with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import PartialDate, Schema
from interdict.readers.payments import read_payment

PACS = """<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="urn:swift:xsd:envelope">
 <AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">
  <MsgDefIdr>pacs.008.001.08</MsgDefIdr>
 </AppHdr>
 <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
  <FIToFICstmrCdtTrf>
   <GrpHdr><MsgId>MSG-1</MsgId><NbOfTxs>1</NbOfTxs></GrpHdr>
   <CdtTrfTxInf>
    <PmtId><EndToEndId>E2E-1</EndToEndId></PmtId>
    <InstgAgt><FinInstnId><BICFI>AAAAKZKAXXX</BICFI></FinInstnId></InstgAgt>
    <IntrmyAgt1><FinInstnId><BICFI>BBBBTJ22</BICFI><Nm>Middle Bank</Nm></FinInstnId>
    </IntrmyAgt1>
    <Dbtr>
     <Nm>Шохрух Раҳмонов</Nm>
     <Id><PrvtId>
      <DtAndPlcOfBirth><BirthDt>1985-01-01</BirthDt><CityOfBirth>Dushanbe</CityOfBirth>
       <CtryOfBirth>TJ</CtryOfBirth></DtAndPlcOfBirth>
      <Othr><Id>400123456</Id><SchmeNm><Cd>NIDN</Cd></SchmeNm></Othr>
     </PrvtId></Id>
     <CtryOfRes>TJ</CtryOfRes>
    </Dbtr>
    <DbtrAcct><Id><IBAN>TJ0000000000000000001</IBAN></Id></DbtrAcct>
    <DbtrAgt><FinInstnId><BICFI>CCCCTJ22</BICFI></FinInstnId></DbtrAgt>
    <CdtrAgt><FinInstnId><BICFI>DDDDKZKA</BICFI></FinInstnId></CdtrAgt>
    <Cdtr>
     <Nm>Alpha Trading LLP</Nm>
     <PstlAdr><StrtNm>Abai</StrtNm><BldgNb>10</BldgNb><TwnNm>Almaty</TwnNm><Ctry>KZ</Ctry>
     </PstlAdr>
     <Id><OrgId><AnyBIC>EEEEKZKA</AnyBIC></OrgId></Id>
    </Cdtr>
   </CdtTrfTxInf>
  </FIToFICstmrCdtTrf>
 </Document>
</Envelope>
"""

PAIN = """<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">
 <CstmrCdtTrfInitn>
  <GrpHdr><MsgId>P-1</MsgId><InitgPty><Nm>Payroll Co</Nm></InitgPty></GrpHdr>
  <PmtInf>
   <PmtInfId>B-1</PmtInfId>
   <Dbtr><Nm>Payroll Co</Nm></Dbtr>
   <DbtrAcct><Id><Othr><Id>123</Id></Othr></Id></DbtrAcct>
   <DbtrAgt><FinInstnId><BIC>FFFFGB2L</BIC></FinInstnId></DbtrAgt>
   <CdtTrfTxInf>
    <PmtId><InstrId>I-1</InstrId><EndToEndId>E-1</EndToEndId></PmtId>
    <UltmtDbtr><Nm>Holding Ltd</Nm></UltmtDbtr>
    <Cdtr><Nm>Worker One</Nm></Cdtr>
    <CdtrAcct><Id><IBAN>GB00X</IBAN></Id></CdtrAcct>
   </CdtTrfTxInf>
   <CdtTrfTxInf>
    <PmtId><EndToEndId>E-2</EndToEndId></PmtId>
    <Cdtr/>
   </CdtTrfTxInf>
  </PmtInf>
 </CstmrCdtTrfInitn>
</Document>
"""


def test_pacs008_parties_agents_and_transfer() -> None:
    [message] = read_payment(PACS.encode(), "pacs.xml", "xml")
    assert (message.type, message.reference) == ("pacs.008.001.08", "MSG-1")
    roles = {p.role: p for p in message.parties}
    assert set(roles) == {
        "instructing_agent",
        "intermediary_agent_1",
        "debtor",
        "debtor_agent",
        "creditor_agent",
        "creditor",
    }
    debtor = roles["debtor"]
    assert debtor.id == "CdtTrfTxInf[1]/Dbtr"
    assert debtor.where == "pacs.xml line 14 record CdtTrfTxInf[1]/Dbtr"
    assert debtor.transaction == "E2E-1"
    assert debtor.account == "TJ0000000000000000001"
    assert debtor.birth_date == PartialDate(year=1985, month=1, day=1)
    assert debtor.birth_place == "Dushanbe, TJ"
    assert debtor.identifiers == ("NIDN:400123456",)
    assert debtor.party is not None
    assert debtor.party.schema_ is Schema.PERSON and debtor.party.id_number == "400123456"
    assert [c.code for c in debtor.party.countries] == ["TJ"]
    creditor = roles["creditor"]
    assert creditor.bic == "EEEEKZKA" and creditor.address == ("Abai 10 Almaty",)
    assert creditor.party is not None and creditor.party.schema_ is Schema.ORGANIZATION
    agent = roles["intermediary_agent_1"]
    assert (agent.kind, agent.bic, agent.name) == ("agent", "BBBBTJ22", "Middle Bank")
    assert roles["instructing_agent"].party is None  # a BIC only: screened by BIC
    [transfer] = message.transfers
    assert transfer.originator is debtor and transfer.beneficiary is creditor


def test_pain001_levels_and_transfers() -> None:
    [message] = read_payment(PAIN.encode(), "pain.xml", "xml")
    ids = [p.id for p in message.parties]
    assert ids == [
        "GrpHdr/InitgPty",
        "PmtInf[1]/Dbtr",
        "PmtInf[1]/DbtrAgt",
        "PmtInf[1]/CdtTrfTxInf[1]/UltmtDbtr",
        "PmtInf[1]/CdtTrfTxInf[1]/Cdtr",
        "PmtInf[1]/CdtTrfTxInf[2]/Cdtr",
    ]
    first, second = message.transfers
    assert first.reference == "E-1" and second.reference == "E-2"
    assert first.originator is not None and first.originator.id == "PmtInf[1]/Dbtr"
    assert second.originator is first.originator
    assert second.beneficiary is not None and second.beneficiary.party is None
    assert message.parties[2].bic == "FFFFGB2L"


XXE = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    + "]>\n"
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (XXE + PAIN.replace("Payroll Co", "&x;"), "DOCTYPE"),
        (BOMB + PAIN.replace("Payroll Co", "&a9;"), "DOCTYPE"),
        (PAIN[: len(PAIN) // 2], "malformed or truncated XML"),
        (PAIN.replace("pain.001.001.03", "auth.001.001.01"), "auth.001.001.01 is not a payment"),
        ("<Invoice/>", "no ISO 20022 Document"),
        (PAIN.replace("CstmrCdtTrfInitn", "Other"), "has no CstmrCdtTrfInitn"),
        (PAIN.replace("CdtTrfTxInf", "CdtTrfTxInfX"), "holds no credit transfer"),
        ("not xml at all", "malformed"),
    ],
)
def test_hostile_and_broken_xml(data: str, expected: str) -> None:
    with pytest.raises(BadInputError) as caught:
        read_payment(data.encode(), "body", "xml")
    assert expected in caught.value.message


def test_syntax_errors_name_the_line() -> None:
    broken = PAIN.replace("<Cdtr><Nm>Worker One</Nm></Cdtr>", "<Cdtr><Nm>Worker One</Cdtr>")
    with pytest.raises(BadInputError, match="body line 12"):
        read_payment(broken.encode(), "body", "xml")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_raise_our_error(data: bytes) -> None:
    _read_or_refuse(data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.integers(min_value=0, max_value=len(PACS)),
    st.integers(min_value=0, max_value=30),
    st.text(alphabet="<>/&;=\"' NmDbtrAgtBICFI\x00é", max_size=10),
)
def test_mutated_messages_parse_or_raise_our_error(start: int, cut: int, insert: str) -> None:
    _read_or_refuse((PACS[:start] + insert + PACS[start + cut :]).encode())


def _read_or_refuse(data: bytes) -> None:
    """A message, every party placed in it — or our error naming the input."""
    try:
        messages = read_payment(data, "fuzz", "xml")
    except BadInputError as exc:
        assert exc.where is not None and exc.where.startswith("fuzz")
        return
    assert all(p.where.startswith("fuzz line") for m in messages for p in m.parties)


SAMPLES = "standards/iso20022/samples"


@pytest.mark.shared_data
def test_real_payment_samples_read(shared_data: Path) -> None:
    files = sorted((shared_data / SAMPLES).glob("[cp]*/*.xml"))
    assert len(files) >= 20
    for path in files:
        [message] = read_payment(path.read_bytes(), path.name, "xml")
        assert message.type[:8] in ("pacs.008", "pain.001"), path.name
        assert message.transfers, path.name
        assert any(p.role == "debtor" for p in message.parties), path.name


@pytest.mark.shared_data
def test_authority_messages_are_refused_precisely(shared_data: Path) -> None:
    files = sorted((shared_data / SAMPLES / "auth-finnish-customs").rglob("*.xml"))
    assert files
    for path in files:
        with pytest.raises(BadInputError, match=r"auth\.00[12]\.001\.01 is not a payment"):
            read_payment(path.read_bytes(), path.name, "xml")
