"""Compile typology rules to portable SQL over the prepared transaction table.

Every compiled query returns one row per (alert, transaction): ``alert_key`` (dense, per rule),
``row`` (the transaction), ``role`` (``payment``, ``in``, ``out`` or ``hop``), ``focus``
(the account the alert is about) and, for some patterns, measures only SQL can know
(``dormant_days``). Everything else an alert reports is computed from its transactions.
Thresholds and filter values are bound parameters; only window lengths (validated integers)
and identifiers are written into the SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from interdict.engines.base import Dialect
from interdict.errors import BadInputError
from interdict.monitoring.prepare import TXN_TABLE
from interdict.monitoring.typologies import Condition, Filter, Pattern, Rule, parse_duration

__all__ = ["MEASURES", "CompiledRule", "compile_rule", "list_table"]

MEASURES: dict[Pattern, tuple[str, ...]] = {
    Pattern.AGGREGATE: ("payments", "total_amount", "distinct_counterparties", "max_amount"),
    Pattern.FLOW_THROUGH: (
        "incoming_payments",
        "incoming_amount",
        "distinct_senders",
        "outgoing_payments",
        "outgoing_amount",
        "distinct_receivers",
        "out_over_in",
    ),
    Pattern.CYCLE: ("length", "first_amount", "kept"),
    Pattern.SCATTER_GATHER: ("intermediaries", "scattered_amount", "gathered_amount"),
    Pattern.DORMANT: ("dormant_days", "payments", "total_amount"),
}
"""Measures each pattern computes, usable in ``alert_when``."""


def list_table(name: str) -> str:
    """Engine table holding the reference list ``name``."""
    return f"list_{name}"


@dataclass
class CompiledRule:
    """SQL and bound parameters of one rule, and the reference lists it needs registered."""

    rule: Rule
    sql: str
    params: dict[str, float | str] = field(default_factory=dict)
    lists: set[str] = field(default_factory=set)


class _Builder:
    """Collects bound parameters and reference lists while SQL text is assembled."""

    def __init__(self, rule: Rule, dialect: Dialect) -> None:
        self.rule = rule
        self.dialect = dialect
        self.params: dict[str, float | str] = {}
        self.lists: set[str] = set()

    def bind(self, value: float | str) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return self.dialect.param(name)

    def filters(self, filters: dict[str, Filter], alias: str) -> str:
        parts = ["1 = 1"]
        for column, test in sorted(filters.items()):
            ref = f"{alias}.{column}"
            text = f"UPPER({ref})"
            for op, sql_op in (
                ("at_least", ">="),
                ("above", ">"),
                ("at_most", "<="),
                ("below", "<"),
            ):
                value = getattr(test, op)
                if value is not None:
                    parts.append(f"{ref} {sql_op} {self.bind(float(value))}")
            if test.is_in is not None:
                values = ", ".join(self.bind(v.upper()) for v in test.is_in)
                parts.append(f"{text} IN ({values})")
            if test.not_in is not None:
                values = ", ".join(self.bind(v.upper()) for v in test.not_in)
                parts.append(f"{text} NOT IN ({values})")
            for name, negate in ((test.in_list, ""), (test.not_in_list, "NOT ")):
                if name is not None:
                    self.lists.add(name)
                    parts.append(f"{text} {negate}IN (SELECT value FROM {list_table(name)})")
        return " AND ".join(parts)

    def conditions(self) -> str:
        allowed = MEASURES[self.rule.pattern]
        parts = ["1 = 1"]
        for measure, test in sorted(self.rule.alert_when.items()):
            if measure not in allowed:
                raise BadInputError(
                    f"rule {self.rule.id}: pattern {self.rule.pattern} has no measure {measure!r}",
                    hint=f"use one of {', '.join(allowed)}",
                )
            parts.extend(self._condition(measure, test))
        return " AND ".join(parts)

    def bounds(self, upper: dict[str, str]) -> str:
        """Necessary conditions on upper bounds (``measure -> SQL``) of at-least thresholds.

        A window can only meet ``payments >= 10`` if the payments of its days add up to 10;
        checking that on daily totals first spares the exact window join for most accounts.
        """
        parts = ["1 = 1"]
        for measure, test in sorted(self.rule.alert_when.items()):
            if measure not in upper:
                continue
            floor = test.at_least if test.at_least is not None else test.above
            if floor is None and test.between is not None:
                floor = test.between[0]
            if floor is not None:
                parts.append(f"{upper[measure]} >= {self.bind(float(floor))}")
        return " AND ".join(parts)

    def _condition(self, measure: str, test: Condition) -> list[str]:
        out = []
        for op, sql_op in (("at_least", ">="), ("above", ">"), ("at_most", "<="), ("below", "<")):
            value = getattr(test, op)
            if value is not None:
                out.append(f"{measure} {sql_op} {self.bind(float(value))}")
        if test.between is not None:
            low, high = test.between
            out.append(f"{measure} BETWEEN {self.bind(float(low))} AND {self.bind(float(high))}")
        return out


def compile_rule(rule: Rule, dialect: Dialect) -> CompiledRule:
    """The SQL of ``rule`` for an engine speaking ``dialect``."""
    builder = _Builder(rule, dialect)
    compilers = {
        Pattern.AGGREGATE: _aggregate,
        Pattern.FLOW_THROUGH: _flow_through,
        Pattern.CYCLE: _cycle,
        Pattern.SCATTER_GATHER: _scatter_gather,
        Pattern.DORMANT: _dormant,
    }
    sql = compilers[rule.pattern](builder)
    return CompiledRule(rule, sql, builder.params, builder.lists)


def _buckets(name: str, source: str, window: int, step: int) -> str:
    """CTEs ``name`` (``source`` plus its time bucket ``bk``) and ``name_j`` (each row twice).

    A window join then matches ``name_j.jk = anchor.bk``: equality on the bucket keeps the
    join bounded by the activity within two windows, instead of all of an account's payments.
    ``step`` is +1 when the joined rows lie *before* the anchor, -1 when they lie after it.
    """
    size = max(int(window), 1)
    return f"""{name} AS (SELECT q.*, CAST(FLOOR(q.ts / {size}) AS BIGINT) AS bk FROM {source} q),
{name}_j AS (SELECT x.*, x.bk AS jk FROM {name} x
             UNION ALL SELECT x.*, x.bk + ({step}) AS jk FROM {name} x)"""


def _trailing(key: str, window: int) -> str:
    """Window clause over per-period rows: the periods ending within ``window`` of this one."""
    return (
        f"OVER (PARTITION BY {key} ORDER BY ts "
        f"RANGE BETWEEN {max(window - 1, 0)} PRECEDING AND CURRENT ROW)"
    )


def _step(window: int) -> int:
    """Anchor granularity: whole UTC days for windows of a day or more, else hours."""
    return 86_400 if window >= 86_400 else 3_600


def _period_end(column: str, window: int) -> str:
    """Last second of the day (or hour) holding ``column``: windows are anchored there, so an
    account is checked at most once per period however many payments it makes."""
    step = _step(window)
    return f"(CAST(FLOOR({column} / {step}) AS BIGINT) + 1) * {step} - 1"


def _episodes(hits: str, key: str, window: int) -> str:
    """CTEs numbering runs of triggered anchors per ``key`` that lie within ``window`` apart."""
    return f"""starts AS (
  SELECT {key}, anchor,
    CASE WHEN LAG(anchor) OVER (PARTITION BY {key} ORDER BY anchor) >= anchor - {window}
         THEN 0 ELSE 1 END AS fresh
  FROM {hits}),
episodes AS (
  SELECT {key}, anchor,
    SUM(fresh) OVER (PARTITION BY {key} ORDER BY anchor
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS episode
  FROM starts)"""


_AGGREGATE_BOUNDS = {
    "payments": "n",
    "distinct_counterparties": "n",
    "total_amount": "total",
    "max_amount": "top",
}
_FLOW_BOUNDS = {"incoming_payments": "n", "distinct_senders": "n", "incoming_amount": "total"}


def _aggregate(b: _Builder) -> str:
    rule = b.rule
    acct, cp = ("src", "dst") if rule.focus == "sender" else ("dst", "src")
    window = rule.window_seconds
    frame = _trailing("acct", window)
    return f"""
WITH raw AS (SELECT row, ts, {acct} AS acct, {cp} AS cp, amount FROM {TXN_TABLE} t
             WHERE {b.filters(rule.payments, "t")}),
{_buckets("q", "raw", window, 1)},
periods AS (SELECT acct, {_period_end("ts", window)} AS ts, COUNT(*) AS n,
                  SUM(amount) AS total, MAX(amount) AS top
           FROM raw GROUP BY acct, {_period_end("ts", window)}),
bounded AS (SELECT acct, ts, SUM(n) {frame} AS n, SUM(total) {frame} AS total,
                   MAX(top) {frame} AS top
            FROM periods),
anchors AS (SELECT acct, ts FROM bounded WHERE {b.bounds(_AGGREGATE_BOUNDS)}),
win AS (SELECT a.acct, a.ts AS anchor, m.row, m.cp, m.amount
        FROM anchors a JOIN q_j m ON m.acct = a.acct
          AND m.jk = CAST(FLOOR(a.ts / {max(window, 1)}) AS BIGINT)
        WHERE m.ts <= a.ts AND m.ts > a.ts - {window}),
measured AS (SELECT acct, anchor, COUNT(*) AS payments, SUM(amount) AS total_amount,
                    COUNT(DISTINCT cp) AS distinct_counterparties, MAX(amount) AS max_amount
             FROM win GROUP BY acct, anchor),
hits AS (SELECT acct, anchor FROM measured WHERE {b.conditions()}),
{_episodes("hits", "acct", window)},
members AS (SELECT DISTINCT e.acct, e.episode, w.row
            FROM episodes e JOIN win w ON w.acct = e.acct AND w.anchor = e.anchor)
SELECT DENSE_RANK() OVER (ORDER BY acct, episode) AS alert_key, row,
       'payment' AS role, acct AS focus
FROM members
"""


def _flow_through(b: _Builder) -> str:
    rule = b.rule
    incoming, outgoing = rule.incoming, rule.outgoing
    if incoming is None or outgoing is None:
        raise BadInputError(f"rule {rule.id}: flow_through needs 'incoming' and 'outgoing'")
    w_in = parse_duration(incoming.window or rule.window)
    w_out = parse_duration(outgoing.within or outgoing.window or rule.window)
    step = _step(w_in)
    span = w_out + step
    frame = _trailing("hub", w_in)
    return f"""
WITH raw_i AS (SELECT row, ts, dst AS hub, src AS cp, amount FROM {TXN_TABLE} t
               WHERE {b.filters(incoming.payments, "t")}),
raw_o AS (SELECT row, ts, src AS hub, dst AS cp, amount FROM {TXN_TABLE} t
          WHERE {b.filters(outgoing.payments, "t")} AND dst <> src),
{_buckets("i", "raw_i", w_in, 1)},
{_buckets("o", "raw_o", span, -1)},
periods AS (SELECT hub, {_period_end("ts", w_in)} AS ts, COUNT(*) AS n, SUM(amount) AS total
           FROM raw_i GROUP BY hub, {_period_end("ts", w_in)}),
bounded AS (SELECT hub, ts, SUM(n) {frame} AS n, SUM(total) {frame} AS total
            FROM periods),
anchors AS (SELECT hub, ts FROM bounded WHERE {b.bounds(_FLOW_BOUNDS)}
            AND hub IN (SELECT hub FROM raw_o)),
win_in AS (SELECT a.hub, a.ts AS anchor, m.row, m.cp, m.amount
           FROM anchors a JOIN i_j m ON m.hub = a.hub
             AND m.jk = CAST(FLOOR(a.ts / {max(w_in, 1)}) AS BIGINT)
           WHERE m.ts <= a.ts AND m.ts > a.ts - {w_in}),
win_out AS (SELECT a.hub, a.ts AS anchor, m.row, m.cp, m.amount
            FROM anchors a JOIN o_j m ON m.hub = a.hub
              AND m.jk = CAST(FLOOR((a.ts - {step - 1}) / {span}) AS BIGINT)
            WHERE m.ts >= a.ts - {step - 1} AND m.ts <= a.ts + {w_out}),
mi AS (SELECT hub, anchor, COUNT(*) AS incoming_payments, SUM(amount) AS incoming_amount,
              COUNT(DISTINCT cp) AS distinct_senders FROM win_in GROUP BY hub, anchor),
mo AS (SELECT hub, anchor, COUNT(*) AS outgoing_payments, SUM(amount) AS outgoing_amount,
              COUNT(DISTINCT cp) AS distinct_receivers FROM win_out GROUP BY hub, anchor),
measured AS (
  SELECT mi.hub, mi.anchor, incoming_payments, incoming_amount, distinct_senders,
         outgoing_payments, outgoing_amount, distinct_receivers,
         outgoing_amount / NULLIF(incoming_amount, 0) AS out_over_in
  FROM mi JOIN mo ON mo.hub = mi.hub AND mo.anchor = mi.anchor),
hits AS (SELECT hub, anchor FROM measured WHERE {b.conditions()}),
{_episodes("hits", "hub", max(w_in, w_out))},
members AS (
  SELECT DISTINCT e.hub, e.episode, w.row, 'in' AS role
  FROM episodes e JOIN win_in w ON w.hub = e.hub AND w.anchor = e.anchor
  UNION
  SELECT DISTINCT e.hub, e.episode, w.row, 'out' AS role
  FROM episodes e JOIN win_out w ON w.hub = e.hub AND w.anchor = e.anchor)
SELECT DENSE_RANK() OVER (ORDER BY hub, episode) AS alert_key, row, role, hub AS focus
FROM members
"""


def _cycle(b: _Builder) -> str:
    rule = b.rule
    window = rule.window_seconds
    first_filter = b.filters(rule.payments, "p1")
    kept = b.bind(rule.min_kept) if rule.min_kept > 0 else None
    shortest = _shortest_cycle(rule)
    selects = [
        _cycle_length(length, rule.max_length, window, first_filter, kept)
        for length in range(shortest, rule.max_length + 1)
    ]
    rows = ", ".join(f"r{j}" for j in range(1, rule.max_length + 1))
    unpivot = " UNION ALL ".join(
        f"SELECT alert_key, r{j} AS row, 'hop' AS role, focus FROM keyed WHERE r{j} IS NOT NULL"
        for j in range(1, rule.max_length + 1)
    )
    return f"""
WITH {_buckets("tb", TXN_TABLE, window, -1)},
cycles AS ({" UNION ALL ".join(selects)}),
measured AS (SELECT * FROM cycles WHERE {b.conditions()}),
keyed AS (SELECT DENSE_RANK() OVER (ORDER BY length, {rows}) AS alert_key, focus, {rows}
          FROM measured)
{unpivot}
"""


def _shortest_cycle(rule: Rule) -> int:
    """Skip building cycles shorter than ``alert_when.length`` asks for."""
    test = rule.alert_when.get("length")
    bounds = [2.0]
    if test is not None:
        bounds += [v for v in (test.at_least, test.between[0] if test.between else None) if v]
        if test.above is not None:
            bounds.append(test.above + 1)
    return max(2, min(rule.max_length, int(max(bounds))))


def _cycle_length(
    length: int, max_length: int, window: int, first_filter: str, kept: str | None
) -> str:
    joins = []
    for j in range(2, length + 1):
        prev, cur = f"p{j - 1}", f"p{j}"
        target = "p1.src" if j == length else None
        ends = f" AND {cur}.dst = {target}" if target else ""
        amount = (
            f" AND {cur}.amount <= {prev}.amount AND {cur}.amount >= {kept} * {prev}.amount"
            if kept
            else ""
        )
        joins.append(
            f"JOIN tb_j {cur} ON {cur}.src = {prev}.dst{ends} AND {cur}.jk = p1.bk"
            f" AND {cur}.ts >= {prev}.ts AND {cur}.ts <= p1.ts + {window}"
            f" AND ({cur}.ts > p1.ts OR {cur}.row > p1.row){amount}"
        )
    visited = ["p1.src"] + [f"p{j}.dst" for j in range(1, length)]
    distinct = [f"{a} <> {c}" for i, a in enumerate(visited) for c in visited[i + 1 :]]
    rows = [
        f"p{j}.row AS r{j}" if j <= length else f"CAST(NULL AS BIGINT) AS r{j}"
        for j in range(1, max_length + 1)
    ]
    return f"""
SELECT {length} AS length, p1.src AS focus, p1.amount AS first_amount,
       p{length}.amount / NULLIF(p1.amount, 0) AS kept, {", ".join(rows)}
FROM tb p1
{" ".join(joins)}
WHERE {first_filter} AND {" AND ".join(distinct) if distinct else "1 = 1"}
"""


def _scatter_gather(b: _Builder) -> str:
    rule = b.rule
    window = rule.window_seconds
    kept = (
        f" AND y.amount <= x.amount AND y.amount >= {b.bind(rule.min_kept)} * x.amount"
        if rule.min_kept > 0
        else ""
    )
    return f"""
WITH raw AS (SELECT row, ts, src, dst, amount FROM {TXN_TABLE} t
             WHERE {b.filters(rule.payments, "t")}),
{_buckets("a", "raw", window, -1)},
legs AS (SELECT x.src AS s, y.dst AS d, x.dst AS m, x.row AS r1, y.row AS r2, x.ts AS anchor,
                x.amount AS a1, y.amount AS a2
         FROM a x JOIN a_j y ON y.src = x.dst AND y.jk = x.bk
         WHERE y.dst <> x.src AND y.ts >= x.ts AND y.ts <= x.ts + {window}{kept}),
starts AS (SELECT s, d, m, r1, r2, a1, a2, anchor,
             CASE WHEN LAG(anchor) OVER (PARTITION BY s, d ORDER BY anchor, r1, r2)
                       >= anchor - {window} THEN 0 ELSE 1 END AS fresh
           FROM legs),
episodes AS (SELECT s, d, m, r1, r2, a1, a2,
               SUM(fresh) OVER (PARTITION BY s, d ORDER BY anchor, r1, r2
                                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS episode
             FROM starts),
measured AS (SELECT s, d, episode, COUNT(DISTINCT m) AS intermediaries,
                    SUM(a1) AS scattered_amount, SUM(a2) AS gathered_amount
             FROM episodes GROUP BY s, d, episode),
hits AS (SELECT s, d, episode FROM measured WHERE {b.conditions()}),
members AS (
  SELECT DISTINCT e.s, e.d, e.episode, e.r1 AS row, 'in' AS role
  FROM episodes e JOIN hits h ON h.s = e.s AND h.d = e.d AND h.episode = e.episode
  UNION
  SELECT DISTINCT e.s, e.d, e.episode, e.r2 AS row, 'out' AS role
  FROM episodes e JOIN hits h ON h.s = e.s AND h.d = e.d AND h.episode = e.episode)
SELECT DENSE_RANK() OVER (ORDER BY s, d, episode) AS alert_key, row, role, s AS focus
FROM members
"""


def _dormant(b: _Builder) -> str:
    rule = b.rule
    if rule.dormant_for is None:
        raise BadInputError(f"rule {rule.id}: dormant needs 'dormant_for'")
    quiet = parse_duration(rule.dormant_for)
    window = rule.window_seconds
    acct = "src" if rule.focus == "sender" else "dst"
    return f"""
WITH ev AS (SELECT src AS acct, ts, row FROM {TXN_TABLE}
            UNION ALL SELECT dst AS acct, ts, row FROM {TXN_TABLE}),
gaps AS (SELECT acct, ts, ts - LAG(ts) OVER (PARTITION BY acct ORDER BY ts, row) AS gap FROM ev),
wake AS (SELECT acct, ts AS woke, MAX(gap) AS gap FROM gaps WHERE gap >= {quiet}
         GROUP BY acct, ts),
raw AS (SELECT row, ts, {acct} AS acct, amount FROM {TXN_TABLE} t
        WHERE {b.filters(rule.payments, "t")}),
{_buckets("q", "raw", window, -1)},
win AS (SELECT w.acct, w.woke, w.gap, m.row, m.amount
        FROM wake w JOIN q_j m ON m.acct = w.acct
          AND m.jk = CAST(FLOOR(w.woke / {max(window, 1)}) AS BIGINT)
        WHERE m.ts >= w.woke AND m.ts <= w.woke + {window}),
measured AS (SELECT acct, woke, CAST(MAX(gap) AS DOUBLE) / 86400 AS dormant_days,
                    COUNT(*) AS payments, SUM(amount) AS total_amount FROM win GROUP BY acct, woke),
hits AS (SELECT acct, woke, dormant_days FROM measured WHERE {b.conditions()}),
members AS (SELECT DISTINCT w.acct, w.woke, w.row, h.dormant_days
            FROM win w JOIN hits h ON h.acct = w.acct AND h.woke = w.woke)
SELECT DENSE_RANK() OVER (ORDER BY acct, woke) AS alert_key, row, 'payment' AS role,
       acct AS focus, dormant_days
FROM members
"""
