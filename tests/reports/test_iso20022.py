"""auth.001 → case → auth.002 after a second analyst; auth.003 recorded; hostile input refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from interdict.cases import CaseStore
from interdict.cases.requests import answer_request, record_status
from interdict.errors import BadInputError, ConflictError
from interdict.reports.goaml import load_fiu_schema
from interdict.reports.iso20022.auth001 import read_information_request, read_status_update
from interdict.store import Workspace
from interdict.store.customers import CustomerStore
from interdict.store.trail import Trail
from tests.cases.conftest import seed

AUTH001 = "urn:iso:std:iso:20022:tech:xsd:auth.001.001.01"
REQUEST = f"""<Document xmlns="{AUTH001}"><InfReqOpng><InvstgtnId>FIU-7</InvstgtnId>
<LglMndtBsis><Prgrph>AML Act 12</Prgrph></LglMndtBsis><CnfdtltySts>true</CnfdtltySts>
<InvstgtnPrd><Dt><FrDt>2026-01-01</FrDt><ToDt>2026-12-31</ToDt></Dt></InvstgtnPrd>
<SchCrit><Acct><Id><Id><Othr><Id>ACC-1</Id></Othr></Id></Id><InvstgtdPties><Cd>ALLP</Cd>
</InvstgtdPties><AuthrtyReqTp><MsgNmId>supl.027.001.01</MsgNmId></AuthrtyReqTp></Acct></SchCrit>
</InfReqOpng></Document>"""
STATUS = """<Document xmlns="urn:iso:std:iso:20022:tech:xsd:auth.003.001.01">
<InfReqStsChngNtfctn><OrgnlBizQry>FIU-7</OrgnlBizQry><CnfdtltySts>false</CnfdtltySts>
</InfReqStsChngNtfctn></Document>"""


def _store(tmp_path: Path) -> CaseStore:
    seed(tmp_path / "ws")
    workspace = Workspace(tmp_path / "ws")
    return CaseStore(workspace, Trail(workspace, tmp_path / "ws" / "audit.jsonl"))


def test_official_samples_get_valid_answers(tmp_path: Path, shared_data: Path) -> None:
    folder = shared_data / "standards" / "iso20022"
    schema = etree.XMLSchema(etree.parse(str(folder / "xsd" / "auth.002.001.01.xsd")))
    samples = sorted((folder / "samples" / "auth-finnish-customs" / "queries").glob("*.xml"))
    assert len(samples) == 7
    store = _store(tmp_path)
    with store.workspace:
        cases = set()
        for sample in samples:
            out = tmp_path / f"{sample.stem}.auth002.xml"
            request = read_information_request(sample)
            waiting = answer_request(store, request, analyst="ana", out=out)
            assert not waiting.written and not out.exists()
            done = answer_request(
                store, request, analyst="ana", out=out, approve_as="bob",
                xsd_folder=folder / "xsd",
            )  # fmt: skip
            assert done.written and done.validated and done.case_id == waiting.case_id
            assert schema.validate(etree.parse(str(out))), schema.error_log
            cases.add(done.case_id)
    assert len(cases) == 7


def test_request_finds_the_account_and_waits_for_four_eyes(tmp_path: Path) -> None:
    path = tmp_path / "request.xml"
    path.write_text(REQUEST)
    store = _store(tmp_path)
    with store.workspace:
        request = read_information_request(path)
        assert request.kind == "account" and request.identifiers == (("ACC-1", ""),)
        with pytest.raises(ConflictError, match="four eyes"):
            answer_request(store, request, analyst="ana", out=tmp_path / "a.xml", approve_as="ana")
        done = answer_request(
            store, request, analyst="ana", out=tmp_path / "a.xml", approve_as="bob"
        )
        assert done.findings["transactions"] == ["T1", "T2"] and done.findings["alerts"]
        answer = etree.parse(str(tmp_path / "a.xml"))
        ns = {"r": "urn:iso:std:iso:20022:tech:xsd:auth.002.001.01"}
        assert answer.findtext(".//r:InvstgtnSts", namespaces=ns) == "FOUN"
        status = tmp_path / "status.xml"
        status.write_text(STATUS)
        case_id = record_status(store, read_status_update(status), analyst="aud")
        assert store.show(case_id)["events"][-1]["action"] == "fiu_status"
        assert CustomerStore(store.workspace).count_current() == 0


HOSTILE = {
    "entity": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
    "bomb": '<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><d>&b;</d>',
    "truncated": f'<Document xmlns="{AUTH001}"><InfReqOpng><InvstgtnId>X',
    "empty": f'<Document xmlns="{AUTH001}"><InfReqOpng/></Document>',
    "other": "<Document xmlns='urn:other'/>",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_requests_and_schemas_are_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(HOSTILE[kind])
    with pytest.raises(BadInputError):
        read_information_request(path)
    with pytest.raises(BadInputError):
        load_fiu_schema(path)


def test_absurd_sizes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)
    with pytest.raises(BadInputError):
        read_information_request(path)
    with pytest.raises(BadInputError):
        load_fiu_schema(path)
