"""Read ISO 20022 pacs.008 (FI-to-FI customer credit transfer) messages into the canonical table.

Accepts a bare ``Document`` or one wrapped in an envelope with a Business Application Header,
any pacs.008 version. One canonical row per ``CdtTrfTxInf``:

* ``txn_id``: UETR, else TxId, else EndToEndId;
* ``timestamp``: AccptncDtTm, else the group header's CreDtTm, else IntrBkSttlmDt (midnight UTC);
* ``amount``/``currency``: IntrBkSttlmAmt and its ``Ccy``;
* accounts: IBAN or ``Othr/Id`` of DbtrAcct/CdtrAcct; banks: BICFI of DbtrAgt/CdtrAgt;
* countries: the debtor's and creditor's postal-address ``Ctry``; ``purpose``: Purp code.

A transfer without a debtor or creditor account cannot be placed in the transaction graph: it
is reported with its line and kept out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
from lxml import etree

from interdict.errors import BadInputError
from interdict.readers.base import iter_xml_elements, read_limited
from interdict.readers.transactions.table import TransactionFile, conform

__all__ = ["read_pacs008"]

_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pacs.008"
_FIELDS = (
    "txn_id",
    "timestamp",
    "from_account",
    "to_account",
    "amount",
    "currency",
    "from_bank",
    "to_bank",
    "country_from",
    "country_to",
    "purpose",
    "payment_format",
)


def read_pacs008(path: Path) -> TransactionFile:
    """Read one pacs.008 XML file, or every ``*.xml`` in a folder (in name order)."""
    files = sorted(path.glob("*.xml")) if path.is_dir() else [path]
    if not files:
        raise BadInputError("no .xml files", where=str(path), hint="check the folder")
    results = [_read_file(file) for file in files]
    tables = [r.table for r in results]
    common = pa.unify_schemas([t.schema for t in tables])
    table = pa.concat_tables(
        [t.select([n for n in common.names if n in t.column_names]) for t in tables],
        promote_options="default",
    )
    problems = [p for r in results for p in r.problems]
    return TransactionFile(table, "pacs.008", problems, sum(r.rejected for r in results))


def _read_file(file: Path) -> TransactionFile:
    source = str(file)
    data = read_limited(file)
    rows: dict[str, list[str | None]] = {name: [] for name in _FIELDS}
    lines: list[int] = []
    bad: list[tuple[int, str]] = []
    created: str | None = None
    seen = False
    for element in iter_xml_elements(data, source, {"CreDtTm", "CdtTrfTxInf"}):
        namespace = etree.QName(element).namespace or ""
        if not namespace.startswith(_NAMESPACE):
            continue
        seen = True
        if etree.QName(element).localname == "CreDtTm":
            parent = element.getparent()
            if parent is not None and etree.QName(parent).localname == "GrpHdr":
                created = (element.text or "").strip()
            continue
        sourceline = element.sourceline
        line = sourceline if isinstance(sourceline, int) else 0
        record = _transfer(element, created)
        missing = [name for name in ("from_account", "to_account") if not record[name]]
        if missing:
            what = "debtor account (DbtrAcct)" if "from_account" in missing else "creditor account"
            bad.append((line, f"no {what}: the transfer cannot be placed in the graph"))
            continue
        lines.append(line)
        for name in _FIELDS:
            rows[name].append(record[name])
    if not seen:
        raise BadInputError(
            "not a pacs.008 message (no pacs.008 namespace found)",
            where=source,
            hint="pass an ISO 20022 pacs.008 file",
        )
    raw = {name: pa.array(values, type=pa.string()) for name, values in rows.items()}
    return conform(raw, np.asarray(lines, dtype=np.int64), source, "pacs.008", extra_bad=bad)


def _transfer(tx: etree._Element, created: str | None) -> dict[str, str | None]:
    amount = _find(tx, "IntrBkSttlmAmt")
    settled = _text(tx, "IntrBkSttlmDt")
    stamp = _text(tx, "AccptncDtTm") or created or settled
    return {
        "txn_id": _text(tx, "PmtId", "UETR")
        or _text(tx, "PmtId", "TxId")
        or _text(tx, "PmtId", "EndToEndId"),
        "timestamp": stamp,
        "from_account": _account(tx, "DbtrAcct"),
        "to_account": _account(tx, "CdtrAcct"),
        "amount": (amount.text or "").strip() if amount is not None else None,
        "currency": amount.get("Ccy") if amount is not None else None,
        "from_bank": _text(tx, "DbtrAgt", "FinInstnId", "BICFI"),
        "to_bank": _text(tx, "CdtrAgt", "FinInstnId", "BICFI"),
        "country_from": _text(tx, "Dbtr", "PstlAdr", "Ctry"),
        "country_to": _text(tx, "Cdtr", "PstlAdr", "Ctry"),
        "purpose": _text(tx, "Purp", "Cd") or _text(tx, "Purp", "Prtry"),
        "payment_format": "pacs.008",
    }


def _account(tx: etree._Element, role: str) -> str | None:
    return _text(tx, role, "Id", "IBAN") or _text(tx, role, "Id", "Othr", "Id")


def _find(element: etree._Element, *path: str) -> etree._Element | None:
    current: etree._Element | None = element
    for name in path:
        if current is None:
            return None
        current = next(
            (c for c in current if isinstance(c.tag, str) and etree.QName(c).localname == name),
            None,
        )
    return current


def _text(element: etree._Element, *path: str) -> str | None:
    found = _find(element, *path)
    if found is None or found.text is None:
        return None
    text = found.text.strip()
    return text or None
