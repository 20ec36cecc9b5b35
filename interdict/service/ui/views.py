"""What the workbench pages show, shaped from what the library answers (no rule of its own).

Pure functions over the JSON-ready dicts of :func:`~interdict.store.alert_sources.list_alerts`
and :meth:`~interdict.cases.CaseStore.show`: the queue's filters, sort and counts; the name
parts an explanation aligned, to highlight; explanation lines sorted into agreed and disagreed;
the network around an account from its typology alerts' transactions, as a table and as
positions for a drawing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = [
    "QUEUE_SORTS",
    "SCORE_BANDS",
    "Edge",
    "Network",
    "QueueFilter",
    "aligned_parts",
    "explanation_groups",
    "highlight",
    "network_of",
    "queue",
    "script_of",
]

SCORE_BANDS = {"high": (0.95, 1.01), "medium": (0.85, 0.95), "low": (0.0, 0.85)}
"""Score bands of the queue's filter: [low, high)."""
QUEUE_SORTS = ("due", "score", "oldest", "newest", "name")

_ALIGNED = re.compile(r"^(?P<left>[^~:]+?) ~ (?P<right>[^:]+?): ")


def aligned_parts(explanation: Iterable[str]) -> list[tuple[str, str]]:
    """The name parts an explanation aligned, ``(screened, listed)``, in order."""
    pairs = []
    for line in explanation:
        found = _ALIGNED.match(line)
        if found:
            pairs.append((found["left"].strip(), found["right"].strip()))
    return pairs


def highlight(name: str, parts: Iterable[str]) -> list[tuple[str, bool]]:
    """``name`` cut into ``(text, aligned)`` pieces: the pieces that fold to one of ``parts``
    (case and accents aside) are marked, the rest kept as written."""
    wanted = {_fold(p) for part in parts for p in re.split(r"[\s\-,.'’]+", part) if p}
    tokens = [t for t in re.split(r"([\s\-,.'’]+)", name) if t]
    words = [None if re.fullmatch(r"[\s\-,.'’]+", t) else _fold(t) in wanted for t in tokens]
    pieces: list[tuple[str, bool]] = []
    for number, (token, word) in enumerate(zip(tokens, words, strict=True)):
        # a separator is marked when the words on both sides of it are
        marked = (
            bool(word)
            if word is not None
            else (
                0 < number < len(tokens) - 1 and bool(words[number - 1]) and bool(words[number + 1])
            )
        )
        if pieces and pieces[-1][1] == marked:
            pieces[-1] = (pieces[-1][0] + token, marked)
        else:
            pieces.append((token, marked))
    return pieces


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def explanation_groups(explanation: Iterable[str]) -> dict[str, list[str]]:
    """Every explanation line, in order, under ``names``, ``agreed``, ``disagreed`` or
    ``other``."""
    groups: dict[str, list[str]] = {"names": [], "agreed": [], "disagreed": [], "other": []}
    for line in explanation:
        lowered = line.lower()
        if _ALIGNED.match(line):
            groups["names"].append(line)
        elif "disagrees" in lowered or "differs" in lowered or "conflict" in lowered:
            groups["disagreed"].append(line)
        elif "agrees" in lowered:
            groups["agreed"].append(line)
        else:
            groups["other"].append(line)
    return groups


_SCRIPTS = ("LATIN", "CYRILLIC", "ARABIC", "HEBREW", "GREEK", "CJK", "HANGUL", "DEVANAGARI")


def script_of(text: str) -> str:
    """The writing system of a name's letters (``Latin``, ``Arabic``, ``mixed``…)."""
    found: set[str] = set()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        found.add(next((s for s in _SCRIPTS if name.startswith(s)), "other"))
    if not found:
        return "none"
    if len(found) > 1:
        return "mixed"
    return found.pop().title() if found != {"CJK"} else "CJK"


# -- the queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    """The queue's narrowing beyond what :class:`AlertFilter` does (the library's part)."""

    band: str = ""
    assignee: str = ""
    sort: str = "due"


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.rstrip("Z")).replace(tzinfo=UTC)


def queue(
    alerts: Sequence[Mapping[str, Any]],
    cases: Mapping[str, Mapping[str, Any]],
    due_hours: Mapping[str, float],
    wanted: QueueFilter,
    now: datetime | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Counter[str]]]:
    """The rows of the queue (each alert with its case's assignee and its due time) and the
    counts of the whole set by source, status and band, before the band and assignee filters.

    An alert in a case is due when its case is; one in no case yet is due by the policy's
    hours for its kind after it was raised.
    """
    now = now or datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    counts: dict[str, Counter[str]] = {"source": Counter(), "status": Counter(), "band": Counter()}
    for alert in alerts:
        case = cases.get(str(alert.get("case_id") or ""))
        kind = "monitoring" if alert["source"] == "monitoring" else "sanctions"
        if case is not None and case.get("due_at"):
            due = _parse_time(str(case["due_at"]))
        else:
            due = _parse_time(str(alert["created_at"])) + timedelta(hours=due_hours.get(kind, 24))
        band = next(b for b, (lo, hi) in SCORE_BANDS.items() if lo <= float(alert["score"]) < hi)
        row = {
            **alert,
            "name": alert.get("customer_name") or f"account {alert.get('customer_id', '')}",
            "assignee": (case or {}).get("assignee") or "",
            "case_status": (case or {}).get("status") or "",
            "due": due,
            "overdue": due < now,
            "band": band,
        }
        counts["source"][str(alert["source"])] += 1
        counts["status"][str(alert["status"])] += 1
        counts["band"][band] += 1
        if wanted.band and band != wanted.band:
            continue
        if wanted.assignee and row["assignee"] != (
            "" if wanted.assignee == "(none)" else wanted.assignee
        ):
            continue
        rows.append(row)
    keys = {
        "due": lambda r: (r["due"], r["alert_id"]),
        "score": lambda r: (-float(r["score"]), r["alert_id"]),
        "oldest": lambda r: (r["created_at"], r["alert_id"]),
        "newest": lambda r: (_neg_time(r["created_at"]), r["alert_id"]),
        "name": lambda r: (_fold(r["name"]), r["alert_id"]),
    }
    rows.sort(key=keys.get(wanted.sort, keys["due"]))
    return rows, counts


def _neg_time(text: str) -> float:
    return -_parse_time(text).timestamp()


# -- the network around an account -------------------------------------------------------------


@dataclass
class Edge:
    """Money from one account to another over the period: payments, total, first and last."""

    source: str
    target: str
    payments: int = 0
    amount: float = 0.0
    currency: str = ""
    first: str = ""
    last: str = ""
    alerts: set[str] = field(default_factory=set)


@dataclass
class Network:
    """The transactions around an account that its alerts (and its neighbours') were raised on."""

    account: str
    edges: list[Edge]
    transactions: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    positions: dict[str, tuple[float, float]]
    flagged: set[str]
    """Accounts with an alert of their own."""


def network_of(
    account: str,
    alerts: Iterable[Mapping[str, Any]],
    *,
    start: str = "",
    end: str = "",
    limit: int = 60,
) -> Network:
    """The neighbourhood of ``account``: every transaction of a monitoring alert that touches
    it (from or to), within ``[start, end]`` (ISO dates, empty: open), the alerts on the way,
    and a circular layout (the account in the middle, at most ``limit`` neighbours)."""
    seen: dict[str, dict[str, Any]] = {}
    on_way: list[dict[str, Any]] = []
    flagged: set[str] = set()
    for alert in alerts:
        if alert.get("source") != "monitoring":
            continue
        flagged.add(str(alert.get("customer_id", "")))
        touched = False
        for row in alert.get("data", {}).get("transactions", ()):
            ends = (str(row.get("from_account", "")), str(row.get("to_account", "")))
            when = str(row.get("timestamp", ""))[:19]
            if account not in ends or (start and when[:10] < start) or (end and when[:10] > end):
                continue
            touched = True
            item = seen.setdefault(str(row.get("txn_id")), {**row, "alerts": set()})
            item["alerts"].add(str(alert["alert_id"]))
        if touched:
            on_way.append(dict(alert))
    edges: dict[tuple[str, str], Edge] = {}
    for row in sorted(seen.values(), key=lambda r: (str(r.get("timestamp", "")), r["txn_id"])):
        key = (str(row["from_account"]), str(row["to_account"]))
        edge = edges.setdefault(key, Edge(*key, currency=str(row.get("currency", ""))))
        when = str(row.get("timestamp", ""))[:19]
        edge.payments += 1
        edge.amount += float(row.get("amount") or 0)
        edge.first = edge.first or when
        edge.last = when
        edge.alerts |= row["alerts"]
    neighbours = sorted({a for k in edges for a in k if a != account}, key=_natural)[:limit]
    positions = {account: (0.0, 0.0)}
    for number, other in enumerate(neighbours):
        angle = 2 * math.pi * number / max(len(neighbours), 1)
        positions[other] = (math.cos(angle), math.sin(angle))
    kept = [e for e in edges.values() if e.source in positions and e.target in positions]
    rows = [{**r, "alerts": sorted(r["alerts"])} for r in seen.values()]
    rows.sort(key=lambda r: (str(r.get("timestamp", "")), str(r["txn_id"])))
    return Network(account, kept, rows, on_way, positions, flagged)


def _natural(text: str) -> tuple[int, str]:
    return (int(text), "") if text.isdigit() else (1 << 62, text)
