"""Report routes: a goAML report for an approved case, validated before it is answered.

The FIU's schema is one the server keeps (``INTERDICT_GOAML_DIR``, named by its path there) or
the XSD itself in the request. The report is built, validated and recorded in the case by
:func:`interdict.reports.goaml.export_goaml`, exactly as ``interdict report goaml`` does; an
invalid one is refused (422) with the element path and the rule it broke, and never answered.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Request, Response

from interdict.cases import CaseStore
from interdict.errors import BadInputError, ListNotFoundError
from interdict.reports.goaml import export_goaml
from interdict.service.case_schemas import GoamlIn
from interdict.service.casework import in_cases, service_of
from interdict.service.schemas import ERRORS, error_example

__all__ = ["kept_schema", "kept_schemas", "router"]

router = APIRouter(tags=["reports"])

REPORT = {
    "description": "The report, valid against the FIU's schema (recorded in the case)",
    "content": {"application/xml": {"schema": {"type": "string"}}},
    "headers": {
        "X-Report-Sha256": {"description": "SHA-256 of the report", "schema": {"type": "string"}}
    },
}


@router.post(
    "/reports/goaml",
    response_class=Response,
    responses={200: REPORT, **ERRORS, 404: error_example(404), 409: error_example(409)},
)
async def goaml_report(request: Request, body: GoamlIn) -> Response:
    """Write a goAML report (STR, SAR, or any report code the FIU's schema lists) for a case a
    second analyst approved as suspicious, as the key's analyst; answers the XML."""
    service, _ = service_of(request)
    schemas = service.settings.goaml_schemas

    def work(store: CaseStore, analyst: str) -> tuple[bytes, dict[str, Any]]:
        with tempfile.TemporaryDirectory(prefix="interdict-goaml-") as folder:
            scratch = Path(folder)
            xsd = _schema_file(body, schemas, scratch)
            reporter = scratch / "reporter.yaml"
            reporter.write_text(yaml.safe_dump(body.reporter, allow_unicode=True), "utf-8")
            out = scratch / f"{body.case_id}-{body.report_code}.xml"[:120]
            detail = export_goaml(
                store,
                body.case_id,
                xsd=xsd,
                reporter_path=reporter,
                report_code=body.report_code,
                indicators=body.indicators,
                out=out,
                analyst=analyst,
            )
            return out.read_bytes(), detail

    xml, detail = await in_cases(
        request,
        "POST /reports/goaml",
        work,
        case_id=body.case_id,
        report_code=body.report_code,
    )
    return Response(
        xml, media_type="application/xml", headers={"X-Report-Sha256": detail["sha256"]}
    )


def _schema_file(body: GoamlIn, schemas: Path, scratch: Path) -> Path:
    """The FIU schema the request names (inside the server's folder) or carries."""
    if (body.xsd is None) == (body.xsd_text is None):
        raise BadInputError(
            "give either xsd (a schema the server keeps) or xsd_text (the schema itself)",
            where="request body",
        )
    if body.xsd_text is not None:
        data = body.xsd_text.encode("utf-8")
        path = scratch / f"uploaded-{hashlib.sha256(data).hexdigest()[:12]}.xsd"
        path.write_bytes(data)
        return path
    assert body.xsd is not None
    return kept_schema(schemas, body.xsd)


def kept_schemas(schemas: Path) -> list[str]:
    """The goAML schemas the server keeps, by their path inside its folder."""
    root = schemas.resolve()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.xsd")) if root.is_dir() else []


def kept_schema(schemas: Path, name: str) -> Path:
    """The schema ``name`` in the server's folder (never a file outside it)."""
    root = schemas.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        known = kept_schemas(schemas)
        raise ListNotFoundError(
            f"no goAML schema {name[:200]!r} in the server's folder",
            where="xsd",
            hint=("known: " + ", ".join(known[:20])) if known else f"put the FIU's XSD in {root}",
        )
    return path
