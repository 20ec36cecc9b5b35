"""POST /screen, /screen/payment, /screen/manifest: the contract, and bad input answered with a
precise 4xx — never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdict.model import Entity, Party
from interdict.screening import Screener
from tests.service.conftest import TestClient, bearer

PARTIES = {
    "parties": [
        {"id": "c1", "name": "Usama bin Ladin", "birth_date": "1957"},
        {"id": 2, "name": "Шохрух Раҳмонов", "country": "TJ", "gender": "m"},
        {"id": "c3", "name": "Jane Nobody"},
    ]
}


def test_screen_returns_one_cli_line_per_party(
    client: TestClient, keys: dict[str, str], entities: list[Entity]
) -> None:
    response = client.post("/screen", json=PARTIES, headers=bearer(keys["client"]))
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["results", "hits", "matcher", "list_versions", "warnings"]
    screener = Screener(entities)
    expected = [
        screener.screen(Party(id="c1", name="Usama bin Ladin", birth_date="1957")).to_dict(),
        screener.screen(
            Party.model_validate(
                {
                    "id": "2",
                    "name": "Шохрух Раҳмонов",
                    "countries": [{"code": "TJ"}],
                    "gender": "male",
                }
            )
        ).to_dict(),
        screener.screen(Party(id="c3", name="Jane Nobody")).to_dict(),
    ]
    assert body["results"] == json.loads(json.dumps(expected))
    assert body["results"][0]["matches"][0]["source_id"] == "T4"
    assert body["results"][1]["matches"][0]["source_id"] == "T2"
    assert body["results"][2]["matches"] == []
    assert body["hits"] == sum(len(r["matches"]) for r in body["results"])
    assert response.headers["x-audit-seq"].isdigit()
    assert response.headers["x-request-id"]


def test_options_threshold_limit_lists(client: TestClient, keys: dict[str, str]) -> None:
    request = {"parties": [{"id": "1", "name": "Ali Hassan"}], "threshold": 0, "limit": 2}
    body = client.post("/screen", json=request, headers=bearer(keys["client"])).json()
    assert len(body["results"][0]["matches"]) == 2
    wrong = client.post(
        "/screen", json={**request, "lists": ["ofac"]}, headers=bearer(keys["client"])
    )
    assert wrong.status_code == 422
    assert "'ofac' is not loaded" in wrong.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"parties": [{"id": "1", "nme": "x"}]}, "parties[0].nme: Extra inputs are not permitted"),
        ({"parties": [{"id": "1", "name": "x"}], "extra": 1}, "extra: Extra inputs"),
        ({"parties": []}, "parties: List should have at least 1 item"),
        ({"parties": [{"id": "1", "name": "   "}]}, "parties[0]: no name"),
        ({"parties": [{"id": "1", "name": ""}]}, "parties[0].name: String should have at least"),
        ({"parties": [{"id": "", "name": "A"}]}, "parties[0].id"),
        ({"parties": [{"id": "1", "name": "A"}], "lists": []}, "lists: List should have at least"),
        ({"parties": [{"id": "1", "name": "\u200b\u2060\u200d"}]}, "no visible character"),
        ({"parties": [{"id": "1", "name": "\u202e\u3164\u00ad"}]}, "no visible character"),
        ({"parties": [{"id": "1", "name": "A", "birth_date": "31.02.1970"}]}, "parties[0]: birth"),
        ({"parties": [{"id": "1", "name": "A", "country": "Atlantis"}]}, "parties[0]: country"),
        ({"parties": [{"id": "1", "name": "A", "schema": "Spaceship"}]}, "parties[0]: schema"),
        ({"parties": [{"id": "1", "name": "A", "gender": "q"}]}, "parties[0]: gender"),
        ({"parties": [{"id": "1", "name": "A\x07B"}]}, "parties[0]: name contains a control"),
        ({"parties": [{"id": "1", "name": "A"}], "threshold": 2}, "threshold: Input should be"),
        ({"parties": "x"}, "parties: Input should be a valid array"),
        ([1, 2], "Input should be an object"),
    ],
)
def test_bad_parties_are_precise_422(
    client: TestClient, keys: dict[str, str], body: object, expected: str
) -> None:
    response = client.post("/screen", json=body, headers=bearer(keys["client"]))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "bad_input"
    assert expected in error["message"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"parties": [{"id": "1", "name": "A"}], "parties": []}', "'parties' appears twice"),
        (b'{"parties": [{"id": "1", "name": "Osama", "name": "Ali"}]}', "'name' appears twice"),
        (b'{"parties": [{"id": "1", "name": "A"}], "threshold": NaN}', "NaN is not a JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid JSON"),
        ('{"parties": [{"id": "1", "name": "A"}]}'.encode("utf-16"), "not UTF-8"),
    ],
)
def test_duplicate_keys_and_non_json_are_refused(
    client: TestClient, keys: dict[str, str], content: bytes, expected: str
) -> None:
    response = client.post(
        "/screen",
        content=content,
        headers={**bearer(keys["client"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert expected in response.json()["error"]["message"]


def test_malformed_json_names_line_and_column(client: TestClient, keys: dict[str, str]) -> None:
    response = client.post(
        "/screen",
        content=b'{"parties": [\n{"id": "1", "name": }]}',
        headers={**bearer(keys["client"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "line 2 column" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/screen", "text/plain"),
        ("/screen", None),
        ("/screen/payment", "application/json"),
        ("/screen/manifest", "application/xml"),
    ],
)
def test_wrong_content_type_is_415(
    client: TestClient, keys: dict[str, str], path: str, content_type: str | None
) -> None:
    headers = bearer(keys["client"])
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post(path, content=b"{}", headers=headers)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_payment_body_must_match_its_content_type(client: TestClient, keys: dict[str, str]) -> None:
    response = client.post(
        "/screen/payment",
        content=b"{1:F01AAAAKZKAAXXX0000000000}",
        headers={**bearer(keys["client"]), "Content-Type": "application/xml"},
    )
    assert response.status_code == 422
    assert "SWIFT MT text" in response.json()["error"]["message"]


MT103 = (
    "{1:F01AAAAKZKAAXXX0000000000}{2:I103BBBBTJ22XXXXN}{3:{433:/AOK/NO HIT DETECTED}}{4:\n"
    ":20:R1\n:32A:250314USD5,\n:50K:USAMA BIN LADIN\n:57A:HHBKTJ22\n:59:/TJ2\nALPHA\n-}"
)


def test_payment_parties_hits_and_findings(client: TestClient, keys: dict[str, str]) -> None:
    response = client.post(
        "/screen/payment",
        content=MT103.encode(),
        headers={**bearer(keys["client"]), "Content-Type": "text/plain; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    parties = {p["id"]: p for p in body["parties"]}
    assert parties["message 1 field 50K"]["matches"][0]["source_id"] == "T4"
    assert parties["message 1 field 57A"]["matches"][0]["source_id"] == "B1"
    assert parties["message 1 field 50K"]["role"] == "ordering_customer"
    assert (
        parties["message 1 field 50K"]["where"] == "request body line 4 record message 1 field 50K"
    )
    assert {(f["party"], f["element"]) for f in body["findings"]} == {
        ("originator", "account"),
        ("originator", "address_or_identity"),
    }
    assert body["messages"][0]["network_screening"]["code"] == "AOK"
    assert body["hits"] == 2


def test_payment_query_options(client: TestClient, keys: dict[str, str]) -> None:
    headers = {**bearer(keys["client"]), "Content-Type": "text/plain"}
    strict = client.post("/screen/payment?threshold=1&limit=1", content=MT103, headers=headers)
    assert strict.status_code == 200
    for query, expected in [
        ("threshold=x", "threshold='x' is not a number"),
        ("limit=0", "limit='0' is not an integer"),
        ("lists=nope", "'nope' is not loaded"),
        ("color=red", "unknown query parameter 'color'"),
    ]:
        response = client.post(f"/screen/payment?{query}", content=MT103, headers=headers)
        assert response.status_code == 422, query
        assert expected in response.json()["error"]["message"], query


PAXLST = (
    "UNA:+.? 'UNB+UNOA:4+A+B+250314:0800+1'UNG+PAXLST+A+B+250314:0800+1+UN+D:05B'"
    "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+KC921'LOC+125+FRA'LOC+87+ALA'"
    "NAD+FL+++RAKHMONOV:SHOKHRUKH'DTM+329:850101'NAT+2+TJK'DOC+P+400123456'"
    "NAD+FM+++NOBODY:JANE'UNT+12+1'UNE+1+1'UNZ+1+1'"
)


def test_manifest_one_result_per_traveller(client: TestClient, keys: dict[str, str]) -> None:
    response = client.post(
        "/screen/manifest",
        content=PAXLST.encode(),
        headers={**bearer(keys["client"]), "Content-Type": "application/edifact"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    first, second = body["results"]
    assert first["id"] == "1.1" and first["matches"][0]["source_id"] == "T2"
    assert first["traveller"]["document"]["number"] == "400123456"
    assert set(first) >= {"id", "matches", "matcher", "list_versions", "traveller"}
    assert second["traveller"]["kind"] == "crew" and second["matches"] == []
    assert body["messages"][0]["flights"] == [
        {"number": "KC921", "departure": "FRA", "arrival": "ALA"}
    ]


XXE = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">&x;</Document>'
)
BOMB = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    + ']><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">&a9;</Document>'
)


@pytest.mark.parametrize(
    ("path", "content_type", "body", "expected"),
    [
        ("/screen/payment", "application/xml", XXE, "DOCTYPE"),
        ("/screen/payment", "application/xml", BOMB, "DOCTYPE"),
        ("/screen/payment", "application/xml", "<Document>", "malformed or truncated XML"),
        ("/screen/payment", "text/plain", MT103.replace("\n-}", ""), "block 4 is not closed"),
        ("/screen/payment", "text/plain", "", "no SWIFT MT message"),
        ("/screen/manifest", "text/plain", PAXLST[:120], "not closed by"),
        ("/screen/manifest", "text/plain", PAXLST.replace("UNT+12+1'", ""), "without UNT"),
        ("/screen/manifest", "text/plain", "\x00\x01", "control character"),
    ],
)
def test_hostile_messages_are_precise_422(
    client: TestClient, keys: dict[str, str], path: str, content_type: str, body: str, expected: str
) -> None:
    response = client.post(
        path,
        content=body.encode(),
        headers={**bearer(keys["client"]), "Content-Type": content_type},
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert expected in error["message"]
    assert error["where"].startswith("request body")


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    deadline=None,
)
@given(
    st.sampled_from(
        [
            ("/screen", "application/json"),
            ("/screen/payment", "application/xml"),
            ("/screen/payment", "text/plain"),
            ("/screen/manifest", "text/plain"),
        ]
    ),
    st.binary(max_size=300),
)
def test_no_body_makes_a_500(
    client: TestClient, keys: dict[str, str], route: tuple[str, str], body: bytes
) -> None:
    path, content_type = route
    response = client.post(
        path, content=body, headers={**bearer(keys["client"]), "Content-Type": content_type}
    )
    assert response.status_code in (200, 422), response.text
    assert "error" in response.json() or response.status_code == 200


PACS_NAMED = """<?xml version="1.0" encoding="UTF-16"?>
{prolog}<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
 <FIToFICstmrCdtTrf><GrpHdr><MsgId>M-1</MsgId><NbOfTxs>1</NbOfTxs></GrpHdr>
  <CdtTrfTxInf><PmtId><EndToEndId>E-1</EndToEndId></PmtId>
   <Dbtr><Nm>FARHOD {surname}</Nm></Dbtr><Cdtr><Nm>Alpha Trading LLP</Nm></Cdtr>
  </CdtTrfTxInf>
 </FIToFICstmrCdtTrf>
</Document>"""


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_payment_in_utf16_or_utf32_is_screened_and_its_dtd_refused(
    client: TestClient, keys: dict[str, str], codec: str
) -> None:
    # The encoding bypass: a UTF-16 body declaring an entity for the surname was screened as
    # "FARHOD" alone while every standard parser reads "FARHOD YUSUPOV".
    headers = {**bearer(keys["client"]), "Content-Type": "application/xml"}
    declared = codec.upper().replace("-LE", "LE").replace("-BE", "BE")
    clean = PACS_NAMED.format(prolog="", surname="YUSUPOV").replace("UTF-16", declared)
    response = client.post("/screen/payment", content=clean.encode(codec), headers=headers)
    assert response.status_code == 200, response.text
    hits = {p["id"]: p["matches"] for p in response.json()["parties"] if p["matches"]}
    assert [m["source_id"] for ms in hits.values() for m in ms] == ["T12"]

    attack = PACS_NAMED.format(prolog='<!DOCTYPE d [<!ENTITY k "YUSUPOV">]>\n', surname="&k;")
    attack = attack.replace("UTF-16", declared)
    response = client.post("/screen/payment", content=attack.encode(codec), headers=headers)
    assert response.status_code == 422, response.text
    assert "DOCTYPE" in response.json()["error"]["message"]
