"""Graph features of each transaction over time windows, computed as SQL on the engine.

For a payment u → v at time t the features describe:

* the payment itself: amount, whether it is round;
* the pair u → v: how often it occurs, gaps to its previous and next payment, whether money
  also flows back v → u (2-cycles) or returns through one intermediary (3-cycles);
* both accounts' activity on the payment's (UTC) day and in the 7 and 30 days before and after
  it: payments in and out, amounts in and out, and how many of those payments go over pairs
  seen only once (first-time counterparties), which mark fan-in, fan-out and pass-through;
  the amount against each account's usual amounts;
* scatter-gather: how many parallel intermediaries link u to v's beneficiaries.

Everything is aggregations, window functions and joins over integer keys — no per-row Python —
so it scales with the engine, and the same SQL runs on DuckDB and Spark (on DuckDB the
per-account day windows are summed with numpy instead, which is faster there and equal).
Account and bank identities are never features, nor is how long an account has existed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from interdict.engines.base import Engine
from interdict.monitoring.prepare import TXN_TABLE

__all__ = [
    "FEATURE_SET",
    "FRAMES",
    "FeatureSpec",
    "compute_features",
    "describe",
    "feature_names",
    "frames_vectorised",
]

FEATURE_SET = "txn_v1"
"""Version of the feature definitions; a model records it and refuses another."""

DAY = 86_400
FRAMES: tuple[tuple[str, int, int, str], ...] = (
    ("day", 0, 0, "on the same day"),
    ("past_7d", -6, 0, "in the 7 days up to that day"),
    ("next_7d", 0, 6, "in the 7 days from that day"),
    ("past_30d", -29, 0, "in the 30 days up to that day"),
    ("next_30d", 0, 29, "in the 30 days from that day"),
)
"""Account-activity windows in whole UTC days relative to the payment's day: name, first and
last day offset, and the phrase used in reasons."""

_SPAN = 30
_PAIR_WINDOW = _SPAN * DAY
_STATS = (
    ("in_n", "incoming payments"),
    ("out_n", "outgoing payments"),
    ("in_sum", "incoming amount"),
    ("out_sum", "outgoing amount"),
    ("in_new", "incoming payments from first-time counterparties"),
    ("out_new", "outgoing payments to first-time counterparties"),
)


@dataclass(frozen=True)
class FeatureSpec:
    """One feature: its column name and the sentence an analyst reads in a reason."""

    name: str
    description: str


def _specs() -> Iterator[FeatureSpec]:
    yield FeatureSpec("amount", "amount of the payment")
    yield FeatureSpec("amount_round", "amount is a round number (multiple of 100)")
    yield FeatureSpec("pair_n", "payments over the same sender→receiver pair in the table")
    yield FeatureSpec("pair_n_30d", "payments over the same pair within ±30 days")
    yield FeatureSpec("pair_gap_prev", "days since the pair's previous payment")
    yield FeatureSpec("pair_gap_next", "days until the pair's next payment")
    yield FeatureSpec(
        "reverse_n_30d", "payments back from receiver to sender (pair active ±30 days)"
    )
    yield FeatureSpec("cycle3_30d", "intermediaries returning money to the sender within 30 days")
    yield FeatureSpec("sg_paths_30d", "parallel routes from the sender to the receiver's payees")
    for side, who in (("src", "sender"), ("dst", "receiver")):
        for frame, _first, _last, phrase in FRAMES:
            for stat, what in _STATS:
                yield FeatureSpec(f"{side}_{frame}_{stat}", f"{who}'s {what} {phrase}")
        yield FeatureSpec(f"{side}_amount_z", f"amount against the {who}'s usual amounts")


_ALL = tuple(_specs())
_BY_NAME = {spec.name: spec for spec in _ALL}


def feature_names() -> list[str]:
    """Feature columns in model order."""
    return [spec.name for spec in _ALL]


def describe(name: str) -> str:
    """The analyst-facing sentence for feature ``name``."""
    spec = _BY_NAME.get(name)
    return spec.description if spec else name


def compute_features(engine: Engine) -> pa.Table:
    """Features of every transaction in the registered :data:`TXN_TABLE`, ordered by ``row``.

    On an in-process engine the per-account windows are summed with numpy over the daily
    table (cumulative sums and binary search: many times faster than SQL window frames there);
    elsewhere the same sums run as SQL window functions. Both give the same numbers.
    """
    steps = _steps()
    for name, query in steps:
        if name == "f_windows" and engine.in_process:
            engine.register(name, frames_vectorised(engine.sql("SELECT * FROM f_days")))
        else:
            engine.create_table(name, query)
    table = engine.sql(_final_query())
    for name, _query in steps:
        engine.drop(name)
    return table.sort_by("row")


def frames_vectorised(days: pa.Table) -> pa.Table:
    """The ``f_windows`` table computed from ``f_days`` with numpy, without SQL windows."""
    days = days.sort_by([("acct", "ascending"), ("day", "ascending")])
    acct = days["acct"].to_numpy().astype(np.int64)
    day = days["day"].to_numpy().astype(np.int64)
    # One sorted key per (account, day): a frame is a contiguous run found by binary search.
    key = (acct << 32) + (day + (1 << 31))
    sums = {
        stat: np.concatenate([[0.0], np.cumsum(days[stat].to_numpy().astype(np.float64))])
        for stat, _what in _STATS
    }
    columns: dict[str, np.ndarray] = {"acct": acct, "day": day}
    for frame, first, last, _phrase in FRAMES:
        low = np.searchsorted(key, key + first, side="left")
        high = np.searchsorted(key, key + last, side="right")
        for stat, _what in _STATS:
            columns[f"{frame}_{stat}"] = sums[stat][high] - sums[stat][low]
    return pa.table(columns)


def _steps() -> list[tuple[str, str]]:
    return [
        ("f_pairs", _PAIRS),
        ("f_days", _DAYS),
        ("f_windows", _windows_query()),
        ("f_amounts", _AMOUNTS),
        ("f_pair_time", _PAIR_TIME),
        ("f_cycles", _CYCLES),
        ("f_sg", _SCATTER_GATHER),
    ]


_PAIRS = f"""
SELECT src, dst, COUNT(*) AS pair_n, MIN(ts) AS first_ts, MAX(ts) AS last_ts
FROM {TXN_TABLE} GROUP BY src, dst
"""

_DAY = f"CAST(FLOOR(t.ts / {DAY}) AS BIGINT)"

# Each payment is an outgoing event of its sender and an incoming event of its receiver;
# "new" counts events over pairs that occur once in the whole table.
_DAYS = f"""
SELECT acct, day,
  SUM(1 - is_out) AS in_n, SUM(is_out) AS out_n,
  SUM(amount * (1 - is_out)) AS in_sum, SUM(amount * is_out) AS out_sum,
  SUM(novel * (1 - is_out)) AS in_new, SUM(novel * is_out) AS out_new
FROM (
  SELECT t.src AS acct, {_DAY} AS day, t.amount, CAST(1 AS DOUBLE) AS is_out,
         CAST(CASE WHEN p.pair_n = 1 THEN 1 ELSE 0 END AS DOUBLE) AS novel
  FROM {TXN_TABLE} t JOIN f_pairs p ON p.src = t.src AND p.dst = t.dst
  UNION ALL
  SELECT t.dst AS acct, {_DAY} AS day, t.amount, CAST(0 AS DOUBLE) AS is_out,
         CAST(CASE WHEN p.pair_n = 1 THEN 1 ELSE 0 END AS DOUBLE) AS novel
  FROM {TXN_TABLE} t JOIN f_pairs p ON p.src = t.src AND p.dst = t.dst
) e
GROUP BY acct, day
"""


def _windows_query() -> str:
    """Per account and active day, its activity in each frame around that day."""
    columns = []
    for frame, first, last, _phrase in FRAMES:
        if first == 0 and last == 0:
            columns += [f"{stat} AS {frame}_{stat}" for stat, _what in _STATS]
            continue
        start = "CURRENT ROW" if first == 0 else f"{-first} PRECEDING"
        end = "CURRENT ROW" if last == 0 else f"{last} FOLLOWING"
        over = f"OVER (PARTITION BY acct ORDER BY day RANGE BETWEEN {start} AND {end})"
        columns += [f"SUM({stat}) {over} AS {frame}_{stat}" for stat, _what in _STATS]
    return f"SELECT acct, day, {', '.join(columns)} FROM f_days"


_AMOUNTS = f"""
SELECT src AS acct, 1 AS is_out, AVG(amount) AS mean, STDDEV_SAMP(amount) AS sd
FROM {TXN_TABLE} GROUP BY src
UNION ALL
SELECT dst AS acct, 0 AS is_out, AVG(amount) AS mean, STDDEV_SAMP(amount) AS sd
FROM {TXN_TABLE} GROUP BY dst
"""

_PAIR_TIME = f"""
SELECT row,
  COUNT(*) OVER (PARTITION BY src, dst ORDER BY ts
                 RANGE BETWEEN {_PAIR_WINDOW} PRECEDING AND {_PAIR_WINDOW} FOLLOWING) AS pair_n_30d,
  ts - LAG(ts) OVER (PARTITION BY src, dst ORDER BY ts, row) AS gap_prev,
  LEAD(ts) OVER (PARTITION BY src, dst ORDER BY ts, row) - ts AS gap_next
FROM {TXN_TABLE}
"""

# Pair-level structure: money coming back to the sender through one intermediary (v -> x -> u)
# and parallel routes (u -> x -> w beside u -> v -> w), every pair active within the window of
# the others. Computed once per pair, not per payment, so its cost follows the number of pairs.
_OVERLAP = "{b}.last_ts >= {a}.first_ts - {w} AND {b}.first_ts <= {a}.last_ts + {w}"


def _overlap(a: str, b: str) -> str:
    return _OVERLAP.format(a=a, b=b, w=_PAIR_WINDOW)


_CYCLES = f"""
SELECT p.src, p.dst, COUNT(*) AS cycle3
FROM f_pairs p
JOIN f_pairs a ON a.src = p.dst AND a.dst <> p.src AND {_overlap("p", "a")}
JOIN f_pairs b ON b.src = a.dst AND b.dst = p.src AND {_overlap("p", "b")} AND {_overlap("a", "b")}
GROUP BY p.src, p.dst
"""

_SCATTER_GATHER = f"""
WITH two AS (
  SELECT a.src AS u, b.dst AS w, COUNT(*) AS mids
  FROM f_pairs a JOIN f_pairs b ON b.src = a.dst AND b.dst <> a.src AND {_overlap("a", "b")}
  GROUP BY a.src, b.dst
)
SELECT p.src, p.dst, MAX(two.mids) AS sg_paths
FROM f_pairs p
JOIN f_pairs b ON b.src = p.dst AND b.dst <> p.src AND {_overlap("p", "b")}
JOIN two ON two.u = p.src AND two.w = b.dst
GROUP BY p.src, p.dst
"""


def _side_columns(alias: str, side: str) -> list[str]:
    return [
        f"{alias}.{frame}_{stat} AS {side}_{frame}_{stat}"
        for frame, _first, _last, _phrase in FRAMES
        for stat, _what in _STATS
    ]


def _final_query() -> str:
    day = float(DAY)
    columns = [
        "t.row",
        "t.amount",
        "CASE WHEN t.amount >= 100 AND t.amount = FLOOR(t.amount / 100) * 100 "
        "THEN 1 ELSE 0 END AS amount_round",
        "p.pair_n",
        "pt.pair_n_30d",
        f"pt.gap_prev / {day} AS pair_gap_prev",
        f"pt.gap_next / {day} AS pair_gap_next",
        "COALESCE(r.pair_n, 0) AS reverse_n_30d",
        "COALESCE(c.cycle3, 0) AS cycle3_30d",
        "COALESCE(sg.sg_paths, 0) AS sg_paths_30d",
        *_side_columns("s", "src"),
        "(t.amount - sa.mean) / NULLIF(sa.sd, 0) AS src_amount_z",
        *_side_columns("d", "dst"),
        "(t.amount - da.mean) / NULLIF(da.sd, 0) AS dst_amount_z",
    ]
    return f"""
SELECT {", ".join(columns)}
FROM {TXN_TABLE} t
JOIN f_pairs p ON p.src = t.src AND p.dst = t.dst
JOIN f_pair_time pt ON pt.row = t.row
LEFT JOIN f_pairs r ON r.src = t.dst AND r.dst = t.src
  AND r.last_ts >= t.ts - {_PAIR_WINDOW} AND r.first_ts <= t.ts + {_PAIR_WINDOW}
LEFT JOIN f_cycles c ON c.src = t.src AND c.dst = t.dst
LEFT JOIN f_sg sg ON sg.src = t.src AND sg.dst = t.dst
JOIN f_windows s ON s.acct = t.src AND s.day = {_DAY}
JOIN f_windows d ON d.acct = t.dst AND d.day = {_DAY}
JOIN f_amounts sa ON sa.acct = t.src AND sa.is_out = 1
JOIN f_amounts da ON da.acct = t.dst AND da.is_out = 0
"""
