"""Run typology rules on an engine and turn their results into explained alerts.

An alert names the rule, the transactions and accounts involved, the time window and the
amounts, and carries one sentence written from the rule's ``explain`` template, e.g.
"account 812 received 11 payments from 9 different senders (4,310.00 USD) between 2017-03-01
and 2017-03-04, then sent 3,900.00 USD (90 %) out within 2 days".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from interdict.engines.base import Engine
from interdict.monitoring.compiler import compile_rule, list_table
from interdict.monitoring.prepare import PreparedTransactions
from interdict.monitoring.typologies import Rule, load_list

__all__ = ["Alert", "run_rules"]


@dataclass(frozen=True)
class Alert:
    """One typology hit with everything an analyst needs to check it."""

    rule: str
    title: str
    account: str | None
    accounts: list[str]
    transactions: list[str]
    start: datetime
    end: datetime
    amount: float
    currency: str
    measures: dict[str, float]
    explanation: str
    roles: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping (one line of ``alerts.jsonl``)."""
        return {
            "rule": self.rule,
            "title": self.title,
            "account": self.account,
            "accounts": self.accounts,
            "transactions": self.transactions,
            "window": {"start": _iso(self.start), "end": _iso(self.end)},
            "amount": round(self.amount, 2),
            "currency": self.currency,
            "measures": {k: round(v, 4) for k, v in self.measures.items()},
            "explanation": self.explanation,
        }


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_rules(engine: Engine, prepared: PreparedTransactions, rules: Iterable[Rule]) -> list[Alert]:
    """Every alert of every rule over the prepared table already registered on ``engine``."""
    alerts: list[Alert] = []
    registered: set[str] = set()
    view = _View(prepared)
    for rule in rules:
        compiled = compile_rule(rule, engine.dialect)
        for name in sorted(compiled.lists - registered):
            engine.register(list_table(name), pa.table({"value": list(load_list(name))}))
            registered.add(name)
        result = engine.sql(compiled.sql, compiled.params)
        alerts.extend(_alerts(rule, result, view))
    for name in registered:
        engine.drop(list_table(name))
    return alerts


class _View:
    """The prepared table's columns, fetched once, for building many alerts cheaply."""

    def __init__(self, prepared: PreparedTransactions) -> None:
        table = prepared.table
        self.ts = table["ts"].to_numpy()
        self.src = table["src"].to_numpy()
        self.dst = table["dst"].to_numpy()
        self.amount = table["amount"].to_numpy()
        self.currency = table["currency"]
        self.txn_id = prepared.source["txn_id"]
        self.names = [str(a) for a in prepared.accounts.to_pylist()]


@dataclass(frozen=True)
class _Members:
    """The transactions of one alert, in time order."""

    ts: np.ndarray
    amounts: np.ndarray
    senders: list[int]
    receivers: list[int]
    txn_ids: list[str]
    currencies: list[str | None]
    roles: list[str]


def _alerts(rule: Rule, result: pa.Table, view: _View) -> Iterator[Alert]:
    if result.num_rows == 0:
        return
    keys = result["alert_key"].to_numpy()
    rows = result["row"].to_numpy().astype(np.int64)
    order = np.lexsort((rows, view.ts[rows], keys))
    keys, rows = keys[order], rows[order]
    taken = pa.array(rows)
    roles = result["role"].take(pa.array(order)).to_pylist()
    focus = result["focus"].to_numpy(zero_copy_only=False)[order]
    extra = {
        name: result[name].to_numpy(zero_copy_only=False)[order]
        for name in result.column_names
        if name not in ("alert_key", "row", "role", "focus")
    }
    ts, amounts = view.ts[rows], view.amount[rows]
    senders, receivers = view.src[rows].tolist(), view.dst[rows].tolist()
    txn_ids = [str(t) for t in view.txn_id.take(taken).to_pylist()]
    currencies = view.currency.take(taken).to_pylist()
    bounds = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1], True]).tolist()
    for start, stop in itertools.pairwise(bounds):
        members = _Members(
            ts[start:stop],
            amounts[start:stop],
            senders[start:stop],
            receivers[start:stop],
            txn_ids[start:stop],
            currencies[start:stop],
            roles[start:stop],
        )
        measures = {name: float(values[start]) for name, values in extra.items()}
        yield _alert(rule, members, int(focus[start]), measures, view.names)


def _alert(
    rule: Rule,
    members: _Members,
    focus: int,
    sql_measures: dict[str, float],
    names: list[str],
) -> Alert:
    amounts, roles = members.amounts, members.roles
    accounts = sorted({*members.senders, *members.receivers}, key=lambda a: (a != focus, a))
    currencies = {c for c in members.currencies if c}
    currency = currencies.pop() if len(currencies) == 1 else "mixed"
    incoming = float(sum(a for a, r in zip(amounts, roles, strict=True) if r == "in"))
    outgoing = float(sum(a for a, r in zip(amounts, roles, strict=True) if r == "out"))
    total = float(amounts.sum())
    measures = {
        "payments": float(len(amounts)),
        "total_amount": total,
        "min_amount": float(amounts.min()),
        "max_amount": float(amounts.max()),
        "senders": float(len(set(members.senders))),
        "receivers": float(len(set(members.receivers))),
        **({"incoming_amount": incoming, "outgoing_amount": outgoing} if incoming else {}),
        **sql_measures,
    }
    if rule.pattern == "scatter_gather":
        measures["intermediaries"] = float(
            len({r for r, role in zip(members.receivers, roles, strict=True) if role == "in"})
        )
    start, end = _instant(int(members.ts.min())), _instant(int(members.ts.max()))
    fields = _fields(measures, currency, start, end, rule, names[focus])
    fields["path"] = " → ".join([names[members.senders[0]], *(names[r] for r in members.receivers)])
    return Alert(
        rule=rule.id,
        title=rule.title,
        account=names[focus],
        accounts=[names[a] for a in accounts],
        transactions=members.txn_ids,
        start=start,
        end=end,
        amount=total,
        currency=currency,
        measures=measures,
        explanation=rule.explain.format_map(_Missing(fields)),
    )


def _fields(
    measures: dict[str, float],
    currency: str,
    start: datetime,
    end: datetime,
    rule: Rule,
    account: str,
) -> dict[str, str]:
    money = ("total_amount", "incoming_amount", "outgoing_amount", "min_amount", "max_amount")
    fields = {k: (f"{v:,.2f}" if k in money else f"{v:,.0f}") for k, v in measures.items()}
    if "out_over_in" in measures or (measures.get("incoming_amount")):
        ratio = (
            measures.get("out_over_in") or measures["outgoing_amount"] / measures["incoming_amount"]
        )
        fields["out_over_in"] = f"{ratio:.0%}"
    fields.update(
        account=account,
        currency=currency,
        start=start.strftime("%Y-%m-%d %H:%M"),
        end=end.strftime("%Y-%m-%d %H:%M"),
        days=f"{(end - start).total_seconds() / 86400:.0f}",
        window=rule.window,
        length=str(int(measures.get("payments", 0))),
    )
    return fields


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def _instant(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)
