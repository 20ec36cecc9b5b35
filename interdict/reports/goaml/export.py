"""Write a goAML report from a case approved as suspicious, and record it in the case."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from interdict.cases import CaseStore
from interdict.cases.store import Change
from interdict.errors import BadInputError, ConflictError
from interdict.readers.base import read_limited
from interdict.reports.goaml.builder import Reporter, build_report, pick_indicators
from interdict.reports.goaml.writer import write_report
from interdict.reports.goaml.xsd import load_fiu_schema

__all__ = ["REPORTABLE", "export_goaml", "read_reporter"]

REPORTABLE = frozenset({"suspicious", "true_match"})
"""Approved verdicts a report may be written from."""


def read_reporter(path: Path) -> Reporter:
    """REPORTER.yaml, checked."""
    try:
        data = yaml.safe_load(read_limited(path, 1 << 20).decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BadInputError(f"REPORTER.yaml cannot be read: {exc}", where=str(path)) from exc
    return Reporter.from_mapping(data, str(path))


def export_goaml(
    store: CaseStore,
    case_id: str,
    *,
    xsd: Path,
    reporter_path: Path,
    report_code: str,
    indicators: Sequence[str],
    out: Path,
    analyst: str,
) -> dict[str, Any]:
    """Validate and write the report; refused unless a second analyst approved the case as
    suspicious (or as a true match: a designated person, reported as the FIU requires)."""
    actor = store.analysts.deciding(analyst).name
    case = store.show(case_id)
    approved = {p["verdict"] for p in case["proposals"] if p["status"] == "approved"}
    if not approved & REPORTABLE or case["status"] not in ("approved", "decided", "reported"):
        raise ConflictError(
            f"case {case_id} is {case['status']} ({case['verdict'] or 'no verdict'}): a report is"
            " written only from a case a second analyst approved as suspicious or true match",
            hint="propose --verdict suspicious and have a second analyst approve",
        )
    schema = load_fiu_schema(xsd)
    reporter = read_reporter(reporter_path)
    chosen = list(indicators) or pick_indicators(schema, case)
    if not chosen and schema.required("report", "report_indicators"):
        raise BadInputError(
            "this FIU's schema requires an indicator and none of its codes fits the case",
            where=str(xsd),
            hint="pass --indicator CODE (see the schema's report_indicator_type list)",
        )
    reason = _reason(case)
    tree = build_report(
        schema, case, reporter, report_code=report_code, indicators=chosen, reason=reason
    )
    rendered = write_report(schema, "report", tree, out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    detail = {
        "format": "goAML",
        "schema": xsd.name,
        "schema_version": schema.version,
        "report_code": report_code,
        "indicators": chosen,
        "sha256": digest,
        "file": out.name,
        "transliterated": rendered.transliterated,
        "notes": schema.notes + rendered.notes,
    }

    def record(change: Change) -> None:
        change.set(status="reported")
        change.event(actor, "report", detail)

    store.change(case_id, record)
    return detail


def _reason(case: dict[str, Any]) -> str:
    approved = [p for p in case["proposals"] if p["status"] == "approved"]
    base = approved[-1]["reason"] if approved else case["title"]
    found = "; ".join(str(a["explanation"][0]) for a in case["alerts"] if a["explanation"])
    return f"{base}. {found}" if found else base
