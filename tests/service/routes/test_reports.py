"""POST /reports/goaml against the real app: refused before approval, a valid STR afterwards
from a schema the server keeps or one uploaded, and an invalid report refused with its path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from interdict.reports.goaml import load_fiu_schema
from interdict.service import create_app
from interdict.service.auth import KeyStore, Role
from interdict.service.config import load_service_settings
from interdict.service.state import IndexHolder
from tests.cases.conftest import seed
from tests.service.conftest import TestClient, bearer

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "goaml"
UAE = "uae-5.0.2/goAMLSchema.original.xsd"


@pytest.fixture
def reporting(tmp_path: Path, shared_data: Path) -> dict[str, Any]:
    """The app over a seeded workspace, with the shared goAML schemas as its folder."""
    settings = load_service_settings(
        {}, home=tmp_path / "ws", reload_seconds=0, goaml_dir=shared_data / "standards" / "goaml"
    )
    alerts = seed(settings.home)
    store = KeyStore(settings.keys_file)
    heads = {n: bearer(store.create(Role.ANALYST, analyst=n)[0]) for n in ("ana", "bob")}
    return {"settings": settings, "alerts": alerts, "keys": heads}


def _reporter(name: str = "reporter-uae.yaml") -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def test_goaml_str_for_an_approved_monitoring_case(
    reporting: dict[str, Any], shared_data: Path
) -> None:
    ana, bob = reporting["keys"]["ana"], reporting["keys"]["bob"]
    app = create_app(reporting["settings"], holder=IndexHolder.of_entities([], []))
    with TestClient(app, raise_server_exceptions=False) as client:
        opened = client.post("/cases", json={"alert_ids": [reporting["alerts"]["monitoring"]]},
                             headers=ana)  # fmt: skip
        case_id = opened.json()["case_id"]
        body = {"case_id": case_id, "report_code": "STR", "reporter": _reporter(), "xsd": UAE}
        client.post(
            f"/cases/{case_id}/propose",
            json={"verdict": "suspicious", "reason": "structuring"},
            headers=ana,
        )
        early = client.post("/reports/goaml", json=body, headers=ana)
        assert early.status_code == 409 and "approved" in early.json()["error"]["message"]
        assert client.post(f"/cases/{case_id}/approve", headers=bob).status_code == 200

        wrong = _reporter()
        wrong["location"]["address_type"] = "ZZ"
        invalid = client.post("/reports/goaml", json={**body, "reporter": wrong}, headers=ana)
        assert invalid.status_code == 422
        assert "/report/location/address_type" in invalid.json()["error"]["message"]

        escape = client.post("/reports/goaml", json={**body, "xsd": "../../x.xsd"}, headers=ana)
        assert escape.status_code == 404 and UAE in escape.json()["error"]["hint"]

        report = client.post("/reports/goaml", json=body, headers=ana)
        assert report.status_code == 200, report.text
        assert report.headers["content-type"].startswith("application/xml")
        document = etree.fromstring(report.content)
        assert load_fiu_schema(shared_data / "standards" / "goaml" / UAE).schema.validate(
            etree.ElementTree(document)
        )
        assert {t.findtext("transactionnumber") for t in document.findall("transaction")} == {
            "T1", "T2",
        }  # fmt: skip
        shown = client.get(f"/cases/{case_id}", headers=bob).json()
        assert shown["status"] == "reported"
        (event,) = [e for e in shown["events"] if e["action"] == "report"]
        assert (
            event["actor"] == "ana"
            and event["detail"]["sha256"] == report.headers["x-report-sha256"]
        )

        generic = shared_data / "standards" / "goaml" / "generic-5.0.1" / "goAMLSchema.xsd"
        uploaded = client.post(
            "/reports/goaml",
            json={
                "case_id": case_id,
                "report_code": "STR",
                "reporter": _reporter("reporter-generic.yaml"),
                "xsd_text": generic.read_text(encoding="utf-8"),
                "indicators": ["-"],
            },
            headers=ana,
        )
        assert uploaded.status_code == 200, uploaded.text
        assert load_fiu_schema(generic).schema.validate(
            etree.ElementTree(etree.fromstring(uploaded.content))
        )
