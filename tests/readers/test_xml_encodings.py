"""Every XML reader in every encoding XML allows: a document reads the same in UTF-8, UTF-16
(LE/BE, with and without byte-order mark) and UTF-32, and a DTD is refused in all of them.

The encoding bypass this guards against: a pacs.008 or list file re-encoded as UTF-16 with
``<!ENTITY k "KHALIMOV">`` and ``<Nm>GULMUROD &k;</Nm>`` was read as "GULMUROD" — any standard
parser, and the receiving bank, reads "GULMUROD KHALIMOV".
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from interdict.errors import BadInputError
from interdict.readers.base import parse_xml
from interdict.readers.eu import read_eu
from interdict.readers.kg_fiu import read_kg_fiu
from interdict.readers.kz_afm import read_kz_afm
from interdict.readers.ofac import read_ofac
from interdict.readers.payments import read_payment
from interdict.readers.transactions import read_pacs008
from interdict.readers.un import read_un
from interdict.screening.messages import sniff_message

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

ENCODINGS = [
    # (id, encoding named in the declaration, Python codec, byte-order mark)
    pytest.param("UTF-8", "utf-8", b"", id="utf-8"),
    pytest.param("UTF-8", "utf-8", codecs.BOM_UTF8, id="utf-8-bom"),
    pytest.param("UTF-16", "utf-16-le", codecs.BOM_UTF16_LE, id="utf-16le-bom"),
    pytest.param("UTF-16", "utf-16-be", codecs.BOM_UTF16_BE, id="utf-16be-bom"),
    pytest.param("UTF-16LE", "utf-16-le", b"", id="utf-16le"),
    pytest.param("UTF-16BE", "utf-16-be", b"", id="utf-16be"),
    pytest.param("UTF-16", "utf-16-le", b"", id="utf-16-no-bom"),
    pytest.param("UTF-32", "utf-32-le", codecs.BOM_UTF32_LE, id="utf-32le-bom"),
    pytest.param("UTF-32", "utf-32-be", codecs.BOM_UTF32_BE, id="utf-32be-bom"),
    pytest.param("UTF-32LE", "utf-32-le", b"", id="utf-32le"),
    pytest.param("UTF-32BE", "utf-32-be", b"", id="utf-32be"),
]

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def reencode(text: str, declared: str, codec: str, bom: bytes, prolog: str = "") -> bytes:
    """``text`` (an XML document) with its declaration naming ``declared``, encoded."""
    body = _DECLARATION.sub("", text, count=1)
    return bom + f'<?xml version="1.0" encoding="{declared}"?>\n{prolog}{body}'.encode(codec)


def names_of(path: Path, reader: Callable[[Path], object]) -> list[tuple[str, tuple[str, ...]]]:
    result = reader(path)
    entities = result.entities  # type: ignore[attr-defined]
    return [(e.source_id, tuple(n.full for n in e.names)) for e in entities]


def accounts_of(path: Path, reader: Callable[[Path], object]) -> list[tuple[object, ...]]:
    table = reader(path).table  # type: ignore[attr-defined]
    return [(r["txn_id"], r["from_account"], r["amount"]) for r in table.to_pylist()]


READERS = [
    pytest.param(read_un, FIXTURES / "lists/un/un_sample.xml", names_of, id="un"),
    pytest.param(read_eu, FIXTURES / "lists/eu/eu_fsf_sample.xml", names_of, id="eu"),
    pytest.param(read_ofac, FIXTURES / "lists/ofac/sdn_list.xml", names_of, id="ofac-xml"),
    pytest.param(read_kz_afm, FIXTURES / "lists/kz_afm/category_1.xml", names_of, id="kz_afm"),
    pytest.param(read_kg_fiu, FIXTURES / "lists/kg_fiu/sanction_list.xml", names_of, id="kg_fiu"),
    pytest.param(
        read_pacs008, FIXTURES / "transactions/pacs008_two.xml", accounts_of, id="pacs008"
    ),
]
ENTITY_PROLOG = '<!DOCTYPE d [<!ENTITY k "KHALIMOV">]>\n'


@pytest.mark.parametrize(("reader", "sample", "content"), READERS)
@pytest.mark.parametrize(("declared", "codec", "bom"), ENCODINGS)
def test_reader_reads_the_same_in_every_encoding(
    tmp_path: Path,
    reader: Callable[[Path], object],
    sample: Path,
    content: Callable[..., list[object]],
    declared: str,
    codec: str,
    bom: bytes,
) -> None:
    path = tmp_path / sample.name
    path.write_bytes(reencode(sample.read_text("utf-8"), declared, codec, bom))
    assert content(path, reader) == content(sample, reader)


@pytest.mark.parametrize(("reader", "sample", "content"), READERS)
@pytest.mark.parametrize(("declared", "codec", "bom"), ENCODINGS)
def test_reader_refuses_a_dtd_in_every_encoding(
    tmp_path: Path,
    reader: Callable[[Path], object],
    sample: Path,
    content: Callable[..., list[object]],
    declared: str,
    codec: str,
    bom: bytes,
) -> None:
    path = tmp_path / sample.name
    path.write_bytes(reencode(sample.read_text("utf-8"), declared, codec, bom, ENTITY_PROLOG))
    with pytest.raises(BadInputError, match="DOCTYPE") as caught:
        reader(path)
    assert str(path) in str(caught.value)


PACS = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
 <FIToFICstmrCdtTrf>
  <GrpHdr><MsgId>MSG-1</MsgId><NbOfTxs>1</NbOfTxs></GrpHdr>
  <CdtTrfTxInf>
   <PmtId><EndToEndId>E2E-1</EndToEndId></PmtId>
   <Dbtr><Nm>GULMUROD {surname}</Nm></Dbtr>
   <DbtrAcct><Id><IBAN>TJ0000000000000000001</IBAN></Id></DbtrAcct>
   <Cdtr><Nm>Alpha Trading LLP</Nm></Cdtr>
  </CdtTrfTxInf>
 </FIToFICstmrCdtTrf>
</Document>
"""


@pytest.mark.parametrize(("declared", "codec", "bom"), ENCODINGS)
def test_payment_message_in_every_encoding(declared: str, codec: str, bom: bytes) -> None:
    data = reencode(PACS.format(surname="KHALIMOV"), declared, codec, bom)
    [message] = read_payment(data, "body", "xml")
    assert "GULMUROD KHALIMOV" in {p.name for p in message.parties}
    assert sniff_message(data) == "xml"


@pytest.mark.parametrize(("declared", "codec", "bom"), ENCODINGS)
def test_payment_message_with_an_entity_is_refused_in_every_encoding(
    declared: str, codec: str, bom: bytes
) -> None:
    data = reencode(PACS.format(surname="&k;"), declared, codec, bom, ENTITY_PROLOG)
    with pytest.raises(BadInputError, match="DOCTYPE"):
        read_payment(data, "body", "xml")
    with pytest.raises(BadInputError, match="DOCTYPE"):
        parse_xml(data, "body")


def test_a_dtd_after_a_long_prolog_is_still_refused() -> None:
    padding = "<!-- " + "x" * 200_000 + " -->\n"
    data = reencode(PACS.format(surname="&k;"), "UTF-16", "utf-16-le", codecs.BOM_UTF16_LE)
    data = data.replace(
        "<Document".encode("utf-16-le"),
        (padding + ENTITY_PROLOG).encode("utf-16-le") + "<Document".encode("utf-16-le"),
        1,
    )
    with pytest.raises(BadInputError, match="DOCTYPE"):
        parse_xml(data, "body")
