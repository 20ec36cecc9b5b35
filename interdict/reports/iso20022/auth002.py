"""Write the ISO 20022 ``auth.002`` InformationRequestResponse for an answered request.

The response echoes the request's search criteria, says per requested message type whether
anything was found, and is validated against the auth.002 XSD when its folder is known
(``INTERDICT_ISO20022_XSD``); an invalid response is never written.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from interdict.engines.commit import StagedOutput
from interdict.errors import BadInputError
from interdict.readers.base import parse_xml, read_limited
from interdict.reports.iso20022.auth001 import AUTH001, InformationRequest

__all__ = ["AUTH002", "AUTH002_XSD", "build_response", "write_response"]

AUTH002 = "urn:iso:std:iso:20022:tech:xsd:auth.002.001.01"
AUTH002_XSD = "auth.002.001.01.xsd"


def build_response(
    request: InformationRequest, response_id: str, findings: Mapping[str, Any]
) -> etree._Element:
    """The auth.002 Document: status COMP, one return indicator per requested message type."""
    q = f"{{{AUTH002}}}"
    document = etree.Element(q + "Document", nsmap={None: AUTH002})  # type: ignore[dict-item]
    response = etree.SubElement(document, q + "InfReqRspn")
    etree.SubElement(response, q + "RspnId").text = response_id[:35]
    etree.SubElement(response, q + "InvstgtnId").text = request.investigation_id[:35]
    etree.SubElement(response, q + "RspnSts").text = "COMP"
    response.append(_renamespaced(request.criteria))
    found = bool(
        findings.get("customers") or findings.get("alerts") or findings.get("transactions")
    )
    summary = _summary(findings)
    for requested in request.requested or ("auth.002.001.01",):
        indicator = etree.SubElement(response, q + "RtrInd")
        etree.SubElement(
            etree.SubElement(indicator, q + "AuthrtyReqTp"), q + "MsgNmId"
        ).text = requested
        result = etree.SubElement(indicator, q + "InvstgtnRslt")
        etree.SubElement(result, q + "InvstgtnSts").text = "FOUN" if found else "NFOU"
        if summary:
            etree.SubElement(indicator, q + "AddtlInf").text = summary[:500]
    return document


def _summary(findings: Mapping[str, Any]) -> str:
    parts = [f"{len(findings.get(k) or [])} {k}" for k in ("customers", "alerts", "transactions")]
    return "found: " + ", ".join(parts)


def _renamespaced(criteria: etree._Element) -> etree._Element:
    """The request's SchCrit, moved from the auth.001 namespace to auth.002's."""
    copied = copy.deepcopy(criteria)
    for element in copied.iter():
        if element.text is not None and not element.text.strip():
            element.text = None
        element.tail = None
        if isinstance(element.tag, str) and element.tag.startswith(f"{{{AUTH001}}}"):
            element.tag = f"{{{AUTH002}}}" + etree.QName(element).localname
    etree.cleanup_namespaces(copied)
    return copied


def write_response(document: etree._Element, out: Path, xsd_folder: Path | None) -> bool:
    """Validate (when the XSD is at hand) and write; returns whether it was validated."""
    validated = False
    if xsd_folder is not None:
        xsd = xsd_folder / AUTH002_XSD
        schema = etree.XMLSchema(etree.ElementTree(parse_xml(read_limited(xsd), str(xsd))))
        if not schema.validate(document):
            first = schema.error_log[0]  # type: ignore[index]
            raise BadInputError(
                f"the auth.002 would not be valid: {first.path}: {first.message}",
                where=str(out),
                hint="nothing was written",
            )
        validated = True
    data = etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    with StagedOutput(out) as staging:
        Path(staging).write_bytes(data)
    return validated
