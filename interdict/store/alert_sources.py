"""One alert store for every source: screening hits, rescreen alerts, typology alerts, model flags.

Rescreen alerts are written by :class:`~interdict.store.alerts.AlertStore` (source
``rescreen``); this module keeps the others in the same ``alerts`` table when a job is asked to
(``--keep-alerts``), each with its explanation, the list or model version and the data it was
raised on (``data``: the screened party, or the transactions). Ids are derived from what was
found, so re-running a job stores nothing twice. :func:`list_alerts` is the one query with the
filters analysts use: source, status, score, list, age.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from interdict.errors import BadInputError
from interdict.readers.parties import read_parties
from interdict.store.audit import record_event, utc_now
from interdict.store.workspace import Workspace, transaction

__all__ = [
    "SOURCES",
    "AlertFilter",
    "KeptAlert",
    "exchange_alert",
    "flag_alert",
    "keep_alerts",
    "list_alerts",
    "message_alerts",
    "parse_age",
    "screening_alert",
    "screening_alerts_from_files",
    "typology_alert",
]

SOURCES = ("screening", "rescreen", "monitoring", "exchange")


def _stable_id(prefix: str, *parts: str) -> str:
    return prefix + "-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class KeptAlert:
    """An alert of a job other than rescreen, ready to store."""

    alert_id: str
    source: str
    customer_id: str
    customer_name: str
    score: float
    explanation: tuple[str, ...]
    matcher: str
    """The matcher, rule or model version that raised it."""
    list_name: str = ""
    list_version: int = 0
    source_id: str = ""
    entity_id: str = ""
    matched_name: str = ""
    cause: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


def screening_alert(
    party: Mapping[str, Any], match: Mapping[str, Any], *, matcher: str, where: str
) -> KeptAlert:
    """A screening hit: the screened party (``data.party``) and the listed entity it may be."""
    party_text = json.dumps(dict(party), sort_keys=True, ensure_ascii=False, default=str)
    entity_id = str(match.get("entity_id", ""))
    version = int(match.get("list_version", 0))
    return KeptAlert(
        alert_id=_stable_id("S", str(party.get("id", "")), entity_id, str(version), party_text),
        source="screening",
        customer_id=str(party.get("id", "")),
        customer_name=str(party.get("name", "")),
        score=float(match["score"]),
        explanation=tuple(match.get("explanation", ())),
        matcher=matcher,
        list_name=str(match.get("list", "")),
        list_version=version,
        source_id=str(match.get("source_id", "")),
        entity_id=entity_id,
        matched_name=str(match.get("matched_name", "")),
        cause={"type": "screening", "summary": f"screened {where}"},
        data={"party": dict(party), "input": where},
    )


def typology_alert(
    alert: Mapping[str, Any], transactions: Sequence[Mapping[str, Any]]
) -> KeptAlert:
    """A typology rule's alert (one line of ``monitor run``) with its transactions' rows."""
    txn_ids = sorted(str(t) for t in alert.get("transactions", ()))
    account = str(alert.get("account") or (alert.get("accounts") or [""])[0])
    return KeptAlert(
        alert_id=_stable_id("M", str(alert["rule"]), account, *txn_ids),
        source="monitoring",
        customer_id=account,
        customer_name="",
        score=1.0,
        explanation=(str(alert.get("explanation", "")),),
        matcher=f"typology:{alert['rule']}",
        source_id=str(alert["rule"]),
        matched_name=str(alert.get("title", "")),
        cause={"type": "typology", "summary": str(alert.get("title", ""))},
        data={"alert": dict(alert), "transactions": [dict(t) for t in transactions]},
    )


def flag_alert(
    transaction: Mapping[str, Any], score: float, reasons: str, *, model: str
) -> KeptAlert:
    """A transaction the model flagged (``monitor score``), with the transaction's row."""
    txn_id = str(transaction["txn_id"])
    return KeptAlert(
        alert_id=_stable_id("F", model, txn_id),
        source="monitoring",
        customer_id=str(transaction.get("from_account", "")),
        customer_name="",
        score=float(score),
        explanation=tuple(r.strip() for r in reasons.split(";") if r.strip()),
        matcher=f"model:{model}",
        source_id=txn_id,
        matched_name="model flag",
        cause={"type": "model", "summary": f"transaction {txn_id} flagged"},
        data={"transactions": [dict(transaction)]},
    )


def exchange_alert(
    hit: Mapping[str, Any], *, customer_name: str, exchange_id: str, peer: str
) -> KeptAlert:
    """A private-matching hit: our customer, the peer's opaque reference (to name in a formal
    follow-up request), never the peer's data."""
    ref = str(hit["peer_ref"])
    return KeptAlert(
        alert_id=_stable_id("X", peer, exchange_id, str(hit["customer_id"]), ref),
        source="exchange",
        customer_id=str(hit["customer_id"]),
        customer_name=customer_name,
        score=float(hit["score"]),
        explanation=(f"the peer holds a record matching by {hit['method']}",),
        matcher=f"exchange:{hit['method']}",
        list_name="exchange",
        source_id=ref,
        entity_id=f"exchange:{ref}",
        matched_name="",
        cause={"type": "exchange", "summary": f"private matching with {peer}"},
        data={"exchange_id": exchange_id, "peer": peer, "method": hit["method"]},
    )


def keep_alerts(workspace: Workspace, alerts: Iterable[KeptAlert], *, job: str) -> int:
    """Store alerts (those already stored are left as they are); returns how many were new."""
    batch = list({a.alert_id: a for a in alerts}.values())
    if not batch:
        return 0
    now = utc_now()
    with transaction(workspace.db) as db:
        before = int(db.execute("SELECT count(*) FROM alerts").fetchall()[0][0])
        for a in batch:
            db.execute(
                "INSERT INTO alerts (alert_id, run_id, kind, status, customer_id, customer_name,"
                " customer_fp, list_name, list_version, source_id, entity_id, entity_fp, score,"
                " matched_name, explanation, cause, matcher, created_at, delivered, source, data)"
                " VALUES (?, ?, 'alert', 'open', ?, ?, '', ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?,"
                " true, ?, ?) ON CONFLICT DO NOTHING",
                [
                    a.alert_id,
                    job,
                    a.customer_id,
                    a.customer_name,
                    a.list_name,
                    a.list_version,
                    a.source_id,
                    a.entity_id,
                    a.score,
                    a.matched_name,
                    json.dumps(list(a.explanation), ensure_ascii=False),
                    json.dumps(a.cause, ensure_ascii=False),
                    a.matcher,
                    now,
                    a.source,
                    json.dumps(a.data, ensure_ascii=False, default=str),
                ],
            )
        added = int(db.execute("SELECT count(*) FROM alerts").fetchall()[0][0]) - before
        if added:
            record_event(db, "alerts.keep", job, {"added": added, "offered": len(batch)}, at=now)
    return added


@dataclass(frozen=True)
class AlertFilter:
    """What ``alerts ls`` narrows to (every field optional)."""

    source: str | None = None
    status: str | None = None
    min_score: float | None = None
    list_name: str | None = None
    max_age: timedelta | None = None
    case_id: str | None = None
    alert_ids: tuple[str, ...] = ()
    customer_id: str | None = None
    entity_id: str | None = None


_SELECT = (
    "SELECT alert_id, source, kind, status, customer_id, customer_name, list_name,"
    " list_version, source_id, entity_id, score, matched_name, explanation, cause, matcher,"
    " created_at, case_id, data FROM alerts"
)


def list_alerts(workspace: Workspace, wanted: AlertFilter | None = None) -> list[dict[str, Any]]:
    """Stored alerts of every source matching ``wanted``, oldest first, as JSON-ready dicts."""
    wanted = wanted or AlertFilter()
    if wanted.source is not None and wanted.source not in SOURCES:
        raise BadInputError(f"unknown alert source {wanted.source!r}", hint="; ".join(SOURCES))
    clauses, params = _where(wanted)
    sql = _SELECT + (" WHERE " + " AND ".join(clauses) if clauses else "")
    with workspace.db.cursor() as cursor:
        rows = cursor.execute(sql + " ORDER BY created_at, alert_id", params).fetchall()
    return [_as_dict(row) for row in rows]


def _where(wanted: AlertFilter) -> tuple[list[str], list[object]]:
    checks: list[tuple[str, object]] = []
    if wanted.source is not None:
        checks.append(("source = ?", wanted.source))
    if wanted.status is not None:
        checks.append(("status = ?", wanted.status))
    if wanted.min_score is not None:
        checks.append(("score >= ?", wanted.min_score))
    if wanted.list_name is not None:
        checks.append(("list_name = ?", wanted.list_name))
    if wanted.max_age is not None:
        checks.append(("created_at >= ?", utc_now() - wanted.max_age))
    if wanted.case_id is not None:
        checks.append(("case_id = ?", wanted.case_id))
    if wanted.customer_id is not None:
        checks.append(("customer_id = ?", wanted.customer_id))
    if wanted.entity_id is not None:
        checks.append(("entity_id = ?", wanted.entity_id))
    clauses = [c for c, _ in checks]
    params: list[object] = [p for _, p in checks]
    if wanted.alert_ids:
        clauses.append("alert_id IN (" + ", ".join("?" * len(wanted.alert_ids)) + ")")
        params.extend(wanted.alert_ids)
    return clauses, params


def _as_dict(row: Sequence[Any]) -> dict[str, Any]:
    (alert_id, source, kind, status, customer_id, customer_name, list_name, list_version,
     source_id, entity_id, score, matched_name, explanation, cause, matcher, created_at,
     case_id, data) = row  # fmt: skip
    item: dict[str, Any] = {
        "alert_id": alert_id,
        "source": source or "rescreen",
        "kind": kind,
        "status": status,
        "customer_id": customer_id,
        "customer_name": customer_name,
        "score": round(float(score), 6),
        "list": list_name or None,
        "list_version": list_version or None,
        "source_id": source_id,
        "entity_id": entity_id or None,
        "matched_name": matched_name,
        "explanation": json.loads(explanation),
        "cause": json.loads(cause),
        "matcher": matcher,
        "created_at": created_at.isoformat(timespec="seconds") + "Z",
        "case_id": case_id,
        "data": json.loads(data or "{}"),
    }
    if item["source"] == "monitoring":
        item["account"] = customer_id
    return item


def parse_age(text: str) -> timedelta:
    """``90m``, ``12h``, ``7d`` → a duration (for ``alerts ls --max-age``)."""
    units = {"m": 60, "h": 3600, "d": 86400}
    number, unit = text[:-1], text[-1:].lower()
    if unit not in units or not number.isdigit():
        raise BadInputError(f"age {text[:20]!r} is not like 90m, 12h or 7d")
    return timedelta(seconds=int(number) * units[unit])


def screening_alerts_from_files(
    input_path: Path, results_path: Path, *, delimiter: str | None = None
) -> list[KeptAlert]:
    """The hits of a finished ``screen`` run: its JSONL results joined to the input parties
    (read as the run read them: a CSV ``delimiter``, else sniffed)."""
    parties = {
        row.party.id: row.party.model_dump(mode="json", by_alias=True, exclude_none=True)
        for row in read_parties(input_path, delimiter=delimiter)
        if row.party is not None
    }
    alerts: list[KeptAlert] = []
    with results_path.open(encoding="utf-8") as handle:
        for line in handle:
            result = json.loads(line)
            party = parties.get(str(result.get("id")), {"id": str(result.get("id"))})
            for match in result.get("matches", ()):
                alerts.append(
                    screening_alert(
                        party, match, matcher=str(result.get("matcher")), where=str(input_path)
                    )
                )
    return alerts


def message_alerts(records: Iterable[Mapping[str, Any]]) -> list[KeptAlert]:
    """The hits of ``screen-message`` records (one per file): each party with its matches."""
    alerts: list[KeptAlert] = []
    for record in records:
        for party in _parties_in(record):
            matcher = str(party.get("matcher") or record.get("matcher") or "")
            described = {k: v for k, v in party.items() if k not in ("matches", "matcher")}
            described.setdefault("id", str(party.get("party_id", party.get("role", ""))))
            for match in party.get("matches", ()):
                alerts.append(
                    screening_alert(described, match, matcher=matcher, where=str(record["file"]))
                )
    return alerts


def _parties_in(node: Any) -> Iterable[Mapping[str, Any]]:
    """Every mapping carrying ``matches`` anywhere in a screen-message record."""
    if isinstance(node, Mapping):
        if isinstance(node.get("matches"), list) and node.get("name"):
            yield node
        for value in node.values():
            yield from _parties_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from _parties_in(value)
