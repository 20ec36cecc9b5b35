"""ISO 20022 payment messages: pacs.008 (FI-to-FI credit transfer) and pain.001 (initiation).

Accepts a bare ``Document`` or one inside any envelope (SWIFT ``Envelope`` with a Business
Application Header, SOAP…), any version of either message. Every party the message names is
read — debtor, creditor, ultimate debtor and creditor, initiating party — and every agent
(debtor's, creditor's, intermediary, instructing, instructed, previous instructing, forwarding,
reimbursement) with its BIC and name. Each ``CdtTrfTxInf`` is a :class:`Transfer` whose
originator is the nearest ``Dbtr`` (transaction, else payment information) and whose
beneficiary is its ``Cdtr``. DTDs and entities are refused before parsing.
"""

from __future__ import annotations

import datetime

from lxml import etree

from interdict.errors import BadInputError, where
from interdict.model import PartialDate, Schema
from interdict.model.countries import country_code
from interdict.readers.base import parse_xml
from interdict.readers.payments.message import (
    BIC_PATTERN,
    PaymentMessage,
    PaymentParty,
    Transfer,
    make_party,
)

__all__ = ["ISO20022_TYPES", "read_iso20022"]

ISO20022_TYPES = {"pacs.008": "FIToFICstmrCdtTrf", "pain.001": "CstmrCdtTrfInitn"}
"""Message definitions we screen, with the element under ``Document`` each one has."""

_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:"
PARTY_ROLES = {
    "Dbtr": "debtor",
    "Cdtr": "creditor",
    "UltmtDbtr": "ultimate_debtor",
    "UltmtCdtr": "ultimate_creditor",
    "InitgPty": "initiating_party",
}
AGENT_ROLES = {
    "DbtrAgt": "debtor_agent",
    "CdtrAgt": "creditor_agent",
    "IntrmyAgt1": "intermediary_agent_1",
    "IntrmyAgt2": "intermediary_agent_2",
    "IntrmyAgt3": "intermediary_agent_3",
    "InstgAgt": "instructing_agent",
    "InstdAgt": "instructed_agent",
    "PrvsInstgAgt1": "previous_instructing_agent_1",
    "PrvsInstgAgt2": "previous_instructing_agent_2",
    "PrvsInstgAgt3": "previous_instructing_agent_3",
    "FwdgAgt": "forwarding_agent",
    "InstgRmbrsmntAgt": "instructing_reimbursement_agent",
    "InstdRmbrsmntAgt": "instructed_reimbursement_agent",
    "ThrdRmbrsmntAgt": "third_reimbursement_agent",
    "ChrgsAcctAgt": "charges_account_agent",
}
_ADDRESS_PARTS = (
    "Dept",
    "SubDept",
    "StrtNm",
    "BldgNb",
    "BldgNm",
    "Flr",
    "PstBx",
    "Room",
    "PstCd",
    "TwnNm",
    "TwnLctnNm",
    "DstrctNm",
    "CtrySubDvsn",
)


def read_iso20022(data: bytes, source: str, index: int = 1) -> PaymentMessage:
    """Parties and transfers of one pacs.008 or pain.001 message (bare or enveloped)."""
    root = parse_xml(data, source)
    document = _document(root, source)
    message_type = _message_type(root, document, source)
    body = _child(document, ISO20022_TYPES[message_type[:8]])
    if body is None:
        raise BadInputError(
            f"{message_type} Document has no {ISO20022_TYPES[message_type[:8]]} element",
            where=where(source, line=_line(document)),
            hint="the message does not follow its schema",
        )
    reader = _Reader(source)
    group = _child(body, "GrpHdr")
    reference = _text(group, "MsgId") if group is not None else None
    if group is not None:
        reader.scope(group, "GrpHdr", None)
        settlement = _child(group, "SttlmInf")
        if settlement is not None:
            reader.scope(settlement, "GrpHdr/SttlmInf", None)
    if message_type.startswith("pacs.008"):
        for n, tx in enumerate(_children(body, "CdtTrfTxInf"), start=1):
            reader.transfer(tx, f"CdtTrfTxInf[{n}]", None)
    else:
        for p, payment in enumerate(_children(body, "PmtInf"), start=1):
            path = f"PmtInf[{p}]"
            debtor = reader.scope(payment, path, None).get("Dbtr")
            for n, tx in enumerate(_children(payment, "CdtTrfTxInf"), start=1):
                reader.transfer(tx, f"{path}/CdtTrfTxInf[{n}]", debtor)
    if not reader.transfers:
        raise BadInputError(
            f"the {message_type} message holds no credit transfer (CdtTrfTxInf)",
            where=where(source, line=_line(body)),
        )
    return PaymentMessage(
        index=index,
        type=message_type,
        reference=reference,
        parties=tuple(reader.parties),
        transfers=tuple(reader.transfers),
        warnings=reader.warnings,
    )


def _document(root: etree._Element, source: str) -> etree._Element:
    if _local(root) == "Document":
        return root
    for element in root.iter():
        if isinstance(element.tag, str) and _local(element) == "Document":
            return element
    raise BadInputError(
        f"no ISO 20022 Document element (the root is <{_local(root)}>)",
        where=where(source, line=_line(root)),
        hint="send a pacs.008 or pain.001 message, bare or in its envelope",
    )


def _message_type(root: etree._Element, document: etree._Element, source: str) -> str:
    namespace = etree.QName(document).namespace or ""
    name = namespace.removeprefix(_NAMESPACE) if namespace.startswith(_NAMESPACE) else ""
    if not name:
        header = next(
            (e for e in root.iter() if isinstance(e.tag, str) and _local(e) == "MsgDefIdr"), None
        )
        name = (header.text or "").strip() if header is not None else ""
    if name[:8] not in ISO20022_TYPES:
        shown = name or namespace or "no namespace"
        raise BadInputError(
            f"{shown} is not a payment message this service screens",
            where=where(source, line=_line(document)),
            hint="send pacs.008 or pain.001 (any version)",
        )
    return name


class _Reader:
    """Collects parties and transfers while walking the message."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parties: list[PaymentParty] = []
        self.transfers: list[Transfer] = []
        self.warnings: list[str] = []

    def scope(
        self, element: etree._Element, path: str, transaction: str | None
    ) -> dict[str, PaymentParty]:
        """Read the parties and agents that are direct children of ``element``."""
        found: dict[str, PaymentParty] = {}
        for child in element:
            if not isinstance(child.tag, str):
                continue
            tag = _local(child)
            if tag in PARTY_ROLES or tag in AGENT_ROLES:
                account = _account(_child(element, tag + "Acct"))
                party = self._party(child, f"{path}/{tag}", transaction, account)
                found[tag] = party
                self.parties.append(party)
        return found

    def transfer(self, tx: etree._Element, path: str, debtor: PaymentParty | None) -> None:
        """Read one ``CdtTrfTxInf``: its parties, and the transfer for the R.16 check."""
        reference = (
            _text(tx, "PmtId", "EndToEndId")
            or _text(tx, "PmtId", "UETR")
            or _text(tx, "PmtId", "TxId")
            or _text(tx, "PmtId", "InstrId")
            or path
        )
        found = self.scope(tx, path, reference)
        self.transfers.append(
            Transfer(
                reference=reference,
                where=where(self.source, line=_line(tx), record=path),
                originator=found.get("Dbtr") or debtor,
                beneficiary=found.get("Cdtr"),
                originator_field="Dbtr",
                beneficiary_field="Cdtr",
            )
        )

    def _party(
        self, element: etree._Element, path: str, transaction: str | None, account: str | None
    ) -> PaymentParty:
        tag = _local(element)
        is_agent = tag in AGENT_ROLES
        holder = _child(element, "FinInstnId") if is_agent else element
        holder = element if holder is None else holder
        name = _text(holder, "Nm")
        address_element = _child(holder, "PstlAdr")
        address = _address(address_element)
        country = _text(address_element, "Ctry") if address_element is not None else None
        country = country_code(country or _text(element, "CtryOfRes"))
        private = _find(element, "Id", "PrvtId")
        organisation = _find(element, "Id", "OrgId")
        bic = (_text(holder, "BICFI") or _text(holder, "BIC")) if is_agent else None
        if organisation is not None:
            bic = _text(organisation, "AnyBIC") or _text(organisation, "BICOrBEI")
        if bic is not None and not BIC_PATTERN.fullmatch(bic.upper()):
            self.warnings.append(
                f"{where(self.source, line=_line(element), record=path)}: "
                f"BIC of {len(bic)} characters is not a valid BIC; ignored"
            )
            bic = None
        identifiers = _identifiers(private, organisation)
        birth_date, birth_place = _birth(private)
        schema = (
            Schema.ORGANIZATION
            if is_agent or organisation is not None
            else Schema.PERSON
            if private is not None
            else None
        )
        role = AGENT_ROLES.get(tag) or PARTY_ROLES[tag]
        party, error = make_party(
            path,
            name,
            schema=schema,
            country=country,
            birth_date=birth_date,
            id_number=identifiers[0].split(":", 1)[-1]
            if private is not None and identifiers
            else None,
        )
        return PaymentParty(
            id=path,
            role=role,
            kind="agent" if is_agent else "party",
            where=where(self.source, line=_line(element), record=path),
            transaction=transaction,
            name=name,
            bic=bic.upper() if bic else None,
            account=account,
            address=address,
            country=country,
            identifiers=identifiers,
            birth_date=birth_date,
            birth_place=birth_place,
            party=party,
            error=error,
        )


def _address(element: etree._Element | None) -> tuple[str, ...]:
    if element is None:
        return ()
    lines = [t for t in (_clean(c.text) for c in _children(element, "AdrLine")) if t]
    parts = [t for t in (_text(element, name) for name in _ADDRESS_PARTS) if t]
    return tuple(lines + ([" ".join(parts)] if parts else []))


def _identifiers(
    private: etree._Element | None, organisation: etree._Element | None
) -> tuple[str, ...]:
    found: list[str] = []
    for holder in (private, organisation):
        if holder is None:
            continue
        for other in _children(holder, "Othr"):
            value = _text(other, "Id")
            if value:
                scheme = _text(other, "SchmeNm", "Cd") or _text(other, "SchmeNm", "Prtry")
                found.append(f"{scheme or 'ID'}:{value}")
        for name in ("LEI", "AnyBIC", "BICOrBEI"):
            value = _text(holder, name)
            if value:
                found.append(f"{name}:{value}")
    return tuple(found)


def _birth(private: etree._Element | None) -> tuple[PartialDate | None, str | None]:
    birth = _child(private, "DtAndPlcOfBirth") if private is not None else None
    if birth is None:
        return None, None
    date = None
    text = _text(birth, "BirthDt")
    if text:
        try:
            day = datetime.date.fromisoformat(text[:10])
            date = PartialDate(year=day.year, month=day.month, day=day.day)
        except ValueError:
            date = None
    place = ", ".join(p for p in (_text(birth, "CityOfBirth"), _text(birth, "CtryOfBirth")) if p)
    return date, place or None


def _account(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    return _text(element, "Id", "IBAN") or _text(element, "Id", "Othr", "Id")


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _line(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if isinstance(c.tag, str) and _local(c) == name]


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next((c for c in element if isinstance(c.tag, str) and _local(c) == name), None)


def _find(element: etree._Element | None, *path: str) -> etree._Element | None:
    current = element
    for name in path:
        current = _child(current, name)
    return current


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


def _text(element: etree._Element | None, *path: str) -> str | None:
    found = _find(element, *path)
    return _clean(found.text) if found is not None else None
