"""Read ISO 20022 ``auth.001`` InformationRequestOpening and ``auth.003`` status updates.

The message may come bare or inside its envelopes (SOAP, the Business Application Header):
the ``Document`` of the right namespace is found wherever it is. Read like every untrusted
input: size limit, no DTD or entities (the readers' safe parser), clear errors with the place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from interdict.errors import BadInputError
from interdict.readers.base import parse_xml, read_limited

__all__ = [
    "AUTH001",
    "AUTH003",
    "MAX_REQUEST_BYTES",
    "InformationRequest",
    "StatusUpdate",
    "read_information_request",
    "read_status_update",
]

AUTH001 = "urn:iso:std:iso:20022:tech:xsd:auth.001.001.01"
AUTH003 = "urn:iso:std:iso:20022:tech:xsd:auth.003.001.01"
HEAD = (
    "urn:iso:std:iso:20022:tech:xsd:head.001.001.01",
    "urn:iso:std:iso:20022:tech:xsd:head.001.001.02",
)
MAX_REQUEST_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class InformationRequest:
    """What an FIU asks: about whom or which account, for which period, which answers."""

    investigation_id: str
    business_id: str
    """The Business Application Header's BizMsgIdr (else the investigation id)."""
    legal_basis: str
    confidential: bool
    period: tuple[str, str]
    due: str | None
    kind: str
    """``customer``, ``account``, ``payment_instrument`` or ``transactions``."""
    names: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()
    """(identifier, scheme code) of the party or account."""
    birth_date: str | None = None
    fingerprint: str = ""
    """SHA-256 of the request Document (canonical XML): the same request finds its case."""
    requested: tuple[str, ...] = ()
    """Message types asked for (``AuthrtyReq/Tp/MsgNmId``)."""
    criteria: Any = field(default=None, compare=False, repr=False)
    """The request's ``SchCrit`` element, echoed in the response."""

    def summary(self) -> dict[str, Any]:
        """JSON form for the case."""
        return {
            "investigation_id": self.investigation_id,
            "business_id": self.business_id,
            "legal_basis": self.legal_basis,
            "confidential": self.confidential,
            "period": list(self.period),
            "due": self.due,
            "kind": self.kind,
            "names": list(self.names),
            "identifiers": [list(i) for i in self.identifiers],
            "birth_date": self.birth_date,
            "requested": list(self.requested),
            "fingerprint": self.fingerprint,
        }


@dataclass(frozen=True)
class StatusUpdate:
    """An auth.003 InformationRequestStatusChangeNotification."""

    original_query: str
    confidential: bool


def _document(path: Path, namespace: str, what: str) -> etree._Element:
    root = parse_xml(read_limited(path, MAX_REQUEST_BYTES), str(path))
    for element in root.iter(f"{{{namespace}}}Document"):
        return element
    raise BadInputError(
        f"no {what} Document ({namespace}) in the file",
        where=str(path),
        hint=f"pass the {what} message as the FIU sent it",
    )


def _text(node: etree._Element | None, path: str, ns: dict[str, str]) -> str:
    if node is None:
        return ""
    found = node.find(path, ns)
    return (found.text or "").strip() if found is not None else ""


def read_information_request(path: Path) -> InformationRequest:
    """The request in an auth.001 file (bare or enveloped)."""
    document = _document(path, AUTH001, "auth.001")
    ns = {"a": AUTH001}
    opening = document.find("a:InfReqOpng", ns)
    investigation = _text(opening, "a:InvstgtnId", ns)
    criteria = opening.find("a:SchCrit", ns) if opening is not None else None
    if opening is None or not investigation or criteria is None or len(criteria) == 0:
        raise BadInputError(
            "the auth.001 lacks InfReqOpng, its InvstgtnId or its SchCrit",
            where=str(path),
            hint="an InformationRequestOpening names the investigation and what to search",
        )
    business = investigation
    for namespace in HEAD:
        found = document.getroottree().getroot().find(f".//{{{namespace}}}BizMsgIdr")
        if found is not None and found.text:
            business = found.text.strip()
    chosen = criteria[0]
    kinds = {"CstmrId": "customer", "Acct": "account", "PmtInstrm": "payment_instrument"}
    kind = kinds.get(etree.QName(chosen).localname, "transactions")
    period = opening.find("a:InvstgtnPrd", ns)
    dates = (
        [e.text.strip() for e in period.iter() if e.text and e.text.strip()]
        if period is not None
        else []
    )
    identifiers = tuple(
        (
            _text(other, "a:Id", ns),
            _text(other, "a:SchmeNm/a:Cd", ns) or _text(other, "a:SchmeNm/a:Prtry", ns),
        )
        for other in chosen.iter(f"{{{AUTH001}}}Othr")
        if _text(other, "a:Id", ns)
    ) + tuple((str(i.text or "").strip(), "IBAN") for i in chosen.iter(f"{{{AUTH001}}}IBAN"))
    mandate = opening.find("a:LglMndtBsis", ns)
    legal_basis = " ".join(map(str, mandate.itertext())) if mandate is not None else ""
    return InformationRequest(
        investigation_id=investigation,
        business_id=business,
        legal_basis=" ".join(legal_basis.split()),
        confidential=_text(opening, "a:CnfdtltySts", ns).lower() == "true",
        period=(dates[0] if dates else "", dates[1] if len(dates) > 1 else ""),
        due=_text(opening, "a:DueDt/a:Dt", ns) or None,
        kind=kind,
        names=tuple(
            (n.text or "").strip()
            for n in chosen.iter(f"{{{AUTH001}}}Nm")
            if n.text and n.text.strip()
        ),
        identifiers=identifiers,
        birth_date=_text(chosen, ".//a:BirthDt", ns) or None,
        requested=tuple(
            (m.text or "").strip() for m in chosen.iter(f"{{{AUTH001}}}MsgNmId") if m.text
        ),
        criteria=criteria,
        fingerprint=hashlib.sha256(etree.tostring(document, method="c14n")).hexdigest(),
    )


def read_status_update(path: Path) -> StatusUpdate:
    """The status update in an auth.003 file."""
    document = _document(path, AUTH003, "auth.003")
    ns = {"a": AUTH003}
    original = _text(document, "a:InfReqStsChngNtfctn/a:OrgnlBizQry", ns)
    if not original:
        raise BadInputError("the auth.003 lacks OrgnlBizQry", where=str(path))
    confidential = _text(document, "a:InfReqStsChngNtfctn/a:CnfdtltySts", ns).lower() == "true"
    return StatusUpdate(original, confidential)
