"""goAML reports against the four FIU schemas in shared data: transaction and activity STRs."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from interdict.cases import CaseStore, ProposalVerdict, approve, propose
from interdict.errors import BadInputError, ConflictError
from interdict.reports.goaml import export_goaml, load_fiu_schema
from interdict.store import Workspace
from interdict.store.trail import Trail
from tests.cases.conftest import seed

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "goaml"
FIUS = [  # schema, reporter, STR code, indicator
    ("uae-5.0.2/goAMLSchema.original.xsd", "reporter-uae.yaml", "STR", None),
    ("generic-5.0.1/goAMLSchema.xsd", "reporter-generic.yaml", "STR", "-"),
    ("ppatk-4.0.2/goAMLSchemaPPATK_4.0.2.xsd", "reporter-ppatk.yaml", "LTKM", None),
    ("srilanka-2.0/goAMLSchema-Version_2.0.xsd", "reporter-srilanka.yaml", "STR", "A1"),
]


def _approved(tmp_path: Path, source: str, verdict: ProposalVerdict) -> tuple[CaseStore, str]:
    alerts = seed(tmp_path / "ws")
    workspace = Workspace(tmp_path / "ws")
    store = CaseStore(workspace, Trail(workspace, tmp_path / "ws" / "audit.jsonl"))
    case_id = store.open([alerts[source]], analyst="ana")
    propose(store, case_id, verdict, "funds structured below the threshold", analyst="ana")
    approve(store, case_id, analyst="bob")
    return store, case_id


@pytest.mark.parametrize(("xsd", "reporter", "code", "indicator"), FIUS)
@pytest.mark.parametrize("source", ["monitoring", "screening"])
def test_reports_are_valid_for_each_fiu(
    tmp_path: Path, shared_data: Path, source: str, xsd: str, reporter: str, code: str,
    indicator: str | None,
) -> None:  # fmt: skip
    verdict = ProposalVerdict.SUSPICIOUS if source == "monitoring" else ProposalVerdict.TRUE_MATCH
    store, case_id = _approved(tmp_path, source, verdict)
    schema_path = shared_data / "standards" / "goaml" / xsd
    out = tmp_path / "report.xml"
    with store.workspace:
        detail = export_goaml(
            store, case_id, xsd=schema_path, reporter_path=EXAMPLES / reporter,
            report_code=code, indicators=[indicator] if indicator else [], out=out, analyst="ana",
        )  # fmt: skip
        assert store.get(case_id)["status"] == "reported"
    document = etree.parse(str(out))
    assert load_fiu_schema(schema_path).schema.validate(document)
    if source == "monitoring":
        assert document.findall("transaction") and document.find("transaction/*") is not None
        assert {t.findtext("transactionnumber") for t in document.findall("transaction")} == {
            "T1", "T2",
        }  # fmt: skip
    else:
        assert document.find("activity") is not None
        if xsd.startswith(("uae", "srilanka")):  # their name patterns accept Latin letters only
            assert detail["transliterated"].get("Халимов") in ("Khalimov", "KHALIMOV")
            assert "Khalimov" in etree.tostring(document, encoding="unicode")


def test_refused_before_approval_and_when_invalid(tmp_path: Path, shared_data: Path) -> None:
    alerts = seed(tmp_path / "ws")
    xsd = shared_data / "standards" / "goaml" / FIUS[0][0]
    with Workspace(tmp_path / "ws") as workspace:
        store = CaseStore(workspace, Trail(workspace, tmp_path / "audit.jsonl"))
        case_id = store.open([alerts["monitoring"]], analyst="ana")
        propose(store, case_id, ProposalVerdict.SUSPICIOUS, "structuring", analyst="ana")
        out = tmp_path / "r.xml"
        kwargs = {"xsd": xsd, "report_code": "STR", "indicators": [], "out": out, "analyst": "ana"}
        with pytest.raises(ConflictError, match="approved"):
            export_goaml(store, case_id, reporter_path=EXAMPLES / "reporter-uae.yaml", **kwargs)
        approve(store, case_id, analyst="bob")
        wrong = tmp_path / "reporter.yaml"
        wrong.write_text(
            (EXAMPLES / "reporter-uae.yaml")
            .read_text()
            .replace("address_type: BU", "address_type: ZZ")
        )
        with pytest.raises(BadInputError, match="/report/location/address_type"):
            export_goaml(store, case_id, reporter_path=wrong, **kwargs)
        assert not out.exists()
        with pytest.raises(BadInputError, match="not in this FIU's list"):
            export_goaml(
                store, case_id, reporter_path=EXAMPLES / "reporter-uae.yaml",
                **{**kwargs, "report_code": "NOPE"},
            )  # fmt: skip
