"""Exposure to designated parties: spread from seed accounts over the transaction graph.

Seeds are accounts whose holder matched a list entity. Exposure spreads over the pair graph
(money sent or received, per pair: total amount, first and last payment) for ``hops`` hops
breadth-first, keeping for each (seed, account) the shortest path and, among equally short
ones, the one carrying most money. The path is the explanation: "2 hops from UN QDi.123 via
account X, 14,000.00 USD in 3 days". The score is the seed's match score times ``decay`` per hop.

The search runs as SQL on the engine; paths are kept as integer columns (``n0`` … ``nk``), so
no string building differs between engines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa

from interdict.engines import open_engine
from interdict.engines.base import Engine
from interdict.errors import BadInputError
from interdict.monitoring.prepare import TXN_TABLE, PreparedTransactions, prepare, register

__all__ = ["Exposure", "Seed", "exposure_of_table", "spread_exposure"]

_MAX_HOPS = 6


class Seed(NamedTuple):
    """Why an account is a seed: the list entry its holder matched, and how well.

    A plain ``(list_name, source_id, score)`` tuple is accepted wherever a seed is.
    """

    list_name: str
    source_id: str
    score: float


@dataclass(frozen=True)
class Exposure:
    """One account's exposure to one seed, with the path that explains it."""

    account: str
    seed_account: str
    seed: Seed
    hops: int
    score: float
    path: list[str]
    amount: float
    currency: str
    start: datetime
    end: datetime
    explanation: str

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping (one line of ``exposure.jsonl``)."""
        return {
            "account": self.account,
            "score": round(self.score, 6),
            "hops": self.hops,
            "list": self.seed.list_name,
            "source_id": self.seed.source_id,
            "seed_account": self.seed_account,
            "path": self.path,
            "amount": round(self.amount, 2),
            "currency": self.currency,
            "window": {
                "start": self.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": self.end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
            "explanation": self.explanation,
        }


def spread_exposure(
    engine: Engine,
    prepared: PreparedTransactions,
    seeds: Mapping[str, Sequence[Seed | tuple[str, str, float]]],
    *,
    hops: int = 2,
    decay: float = 0.5,
    direction: str = "both",
) -> list[Exposure]:
    """Exposure of every account within ``hops`` of a seed, best score first.

    ``direction`` is ``out`` (money the seed sent onwards), ``in`` (money that reached the
    seed) or ``both``. The prepared table must be registered on ``engine``.
    """
    if not 1 <= hops <= _MAX_HOPS:
        raise BadInputError(f"hops must be 1 to {_MAX_HOPS}, not {hops}")
    if direction not in ("out", "in", "both"):
        raise BadInputError(f"direction {direction!r}", hint="use out, in or both")
    seed_rows = _seed_table(prepared, seeds)
    if not seed_rows:
        return []
    flat = [(acct, Seed(*seed)) for acct, entries in seed_rows for seed in entries]
    engine.register(
        "x_seeds",
        pa.table(
            {
                "seed": pa.array(range(len(flat)), pa.int64()),
                "acct": pa.array([acct for acct, _seed in flat], pa.int32()),
            }
        ),
    )
    engine.create_table("x_edges", _edges_query(direction))
    results = _search(engine, hops)
    for name in ("x_seeds", "x_edges"):
        engine.drop(name)
    exposures = [_exposure(row, flat, prepared, decay) for row in results]
    exposures.sort(key=lambda e: (-e.score, e.hops, -e.amount, e.account))
    return exposures


def _seed_table(
    prepared: PreparedTransactions, seeds: Mapping[str, Sequence[Seed | tuple[str, str, float]]]
) -> list[tuple[int, Sequence[Seed | tuple[str, str, float]]]]:
    accounts = prepared.accounts.to_pylist()
    index = {str(a): i for i, a in enumerate(accounts)}
    return [(index[acct], entries) for acct, entries in seeds.items() if acct in index and entries]


def _edges_query(direction: str) -> str:
    aggregate = (
        "SUM(amount) AS amount, MIN(ts) AS first_ts, MAX(ts) AS last_ts, "
        "MIN(currency) AS cur_lo, MAX(currency) AS cur_hi"
    )
    out_edges = f"SELECT src AS a, dst AS b, {aggregate} FROM {TXN_TABLE} GROUP BY src, dst"
    in_edges = f"SELECT dst AS a, src AS b, {aggregate} FROM {TXN_TABLE} GROUP BY src, dst"
    if direction == "out":
        return out_edges
    if direction == "in":
        return in_edges
    return f"""
SELECT a, b, SUM(amount) AS amount, MIN(first_ts) AS first_ts, MAX(last_ts) AS last_ts,
       MIN(cur_lo) AS cur_lo, MAX(cur_hi) AS cur_hi
FROM ({out_edges} UNION ALL {in_edges}) e WHERE a <> b GROUP BY a, b
"""


def _search(engine: Engine, hops: int) -> list[dict[str, Any]]:
    """Breadth-first frontier tables ``x_hop1`` … ``x_hopk``; returns every reached row."""
    engine.create_table("x_visited0", "SELECT DISTINCT seed, acct FROM x_seeds")
    previous = (
        "SELECT seed, acct, acct AS n0, CAST(NULL AS DOUBLE) AS amount, "
        "CAST(NULL AS BIGINT) AS first_ts, CAST(NULL AS BIGINT) AS last_ts, "
        "CAST(NULL AS STRING) AS cur_lo, CAST(NULL AS STRING) AS cur_hi FROM x_seeds"
    )
    engine.create_table("x_hop0", previous)
    rows: list[dict[str, Any]] = []
    for hop in range(1, hops + 1):
        path = ", ".join(f"f.n{j}" for j in range(hop))
        engine.create_table(f"x_hop{hop}", _hop_query(hop, path))
        engine.create_table(
            f"x_visited{hop}",
            f"SELECT seed, acct FROM x_visited{hop - 1} UNION ALL "
            f"SELECT seed, acct FROM x_hop{hop}",
        )
        found = engine.sql(f"SELECT * FROM x_hop{hop}")
        rows.extend({**r, "hops": hop} for r in found.to_pylist())
        engine.drop(f"x_hop{hop - 1}")
        engine.drop(f"x_visited{hop - 1}")
        if found.num_rows == 0:
            break
    engine.drop(f"x_hop{hop}")
    engine.drop(f"x_visited{hop}")
    return rows


def _pick(column: str, better: str) -> str:
    """The path's running minimum or maximum of ``column`` after adding edge ``e``."""
    return (
        f"CASE WHEN f.{column} IS NULL OR e.{column} {better} f.{column} "
        f"THEN e.{column} ELSE f.{column} END"
    )


def _hop_query(hop: int, path: str) -> str:
    amount, first, last = _pick("amount", "<"), _pick("first_ts", "<"), _pick("last_ts", ">")
    lo, hi = _pick("cur_lo", "<"), _pick("cur_hi", ">")
    return f"""
SELECT seed, acct, {", ".join(f"n{j}" for j in range(hop + 1))}, amount, first_ts, last_ts,
       cur_lo, cur_hi
FROM (
  SELECT f.seed, e.b AS acct, {path}, e.b AS n{hop}, {amount} AS amount, {first} AS first_ts,
         {last} AS last_ts, {lo} AS cur_lo, {hi} AS cur_hi,
         ROW_NUMBER() OVER (PARTITION BY f.seed, e.b
                            ORDER BY {amount} DESC, {", ".join(f"f.n{j}" for j in range(hop))})
           AS best
  FROM x_hop{hop - 1} f
  JOIN x_edges e ON e.a = f.acct
  LEFT JOIN x_visited{hop - 1} v ON v.seed = f.seed AND v.acct = e.b
  WHERE v.acct IS NULL
) ranked
WHERE best = 1
"""


def _exposure(
    row: dict[str, Any],
    flat: list[tuple[int, Seed]],
    prepared: PreparedTransactions,
    decay: float,
) -> Exposure:
    hops = int(row["hops"])
    seed_acct, seed = flat[int(row["seed"])]
    path = [prepared.account(int(row[f"n{j}"])) for j in range(hops + 1)]
    currency = row["cur_lo"] if row["cur_lo"] == row["cur_hi"] and row["cur_lo"] else "mixed"
    start = datetime.fromtimestamp(int(row["first_ts"]), tz=UTC)
    end = datetime.fromtimestamp(int(row["last_ts"]), tz=UTC)
    days = max(int(np.ceil((end - start).total_seconds() / 86_400)), 0)
    via = ", ".join(path[1:-1])
    route = f"via account {via}" if hops == 2 else f"via accounts {via}" if hops > 2 else "directly"
    amount = float(row["amount"])
    hop_word = "hop" if hops == 1 else "hops"
    explanation = (
        f"{hops} {hop_word} from {seed.list_name} {seed.source_id} (account {path[0]}) {route}, "
        f"{amount:,.2f} {currency} in {days} day{'s' if days != 1 else ''}"
    )
    return Exposure(
        account=path[-1],
        seed_account=prepared.account(seed_acct),
        seed=seed,
        hops=hops,
        score=float(seed.score) * decay**hops,
        path=path,
        amount=amount,
        currency=currency,
        start=start,
        end=end,
        explanation=explanation,
    )


def exposure_of_table(
    table: pa.Table,
    seeds: Mapping[str, Sequence[Seed | tuple[str, str, float]]],
    *,
    hops: int = 2,
    decay: float = 0.5,
    direction: str = "both",
    engine: str = "duckdb",
    engine_options: Mapping[str, Any] | None = None,
) -> list[Exposure]:
    """:func:`spread_exposure` over a canonical transaction table, on a fresh engine."""
    prepared = prepare(table)
    with open_engine(engine, **dict(engine_options or {})) as db:
        register(db, prepared)
        return spread_exposure(db, prepared, seeds, hops=hops, decay=decay, direction=direction)
