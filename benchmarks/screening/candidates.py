"""The candidate step before and after issue 9's fix: cost and quality, side by side.

Run ``python -m benchmarks.screening.candidates`` (``--quick`` for a small run). Both steps
run on the same index (UN with one alias of each entity held out, plus OFAC SDN + non-SDN and
UK; ``held_out_set(un, 20260301)``) and the same queries:

- ``capped`` (before): the ranked candidates of ``ScreeningIndex.candidates`` — at most
  64 names a query, pruned below half the best one's evidence — each scored on its own;
- ``lossless`` (now, ``Screener.screen``): every name the evidence filter passes
  (``ScreeningIndex.reached``), each distinct listed name bounded once
  (``screener.best_per_entity``).

Cost, per query, in one process: wall time p50 / p99, CPU seconds, names/s, and the mean
number of listed names scored (calls of the matcher, the distinct-name pass included), with
the load average beside them: on a shared machine the wall times are not claims. Quality, which
does not depend on the machine: held-out aliases found (recall at the default threshold) and
yente negatives alerted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.screening import yente
from benchmarks.screening.cases import Case
from benchmarks.screening.datasets import held_out_set
from benchmarks.screening.report import OUT_DIR, environment, table, write_json
from benchmarks.screening.sources import (
    DEFAULT_DATA,
    REAL_LISTS,
    YENTE_DIR,
    check_data,
    load_lists,
    read_yente,
)
from interdict.names.tokens import Token
from interdict.screening import DEFAULT_THRESHOLD, Screener
from interdict.screening.index import ScreeningIndex
from interdict.screening.matchers import ScoreAbove
from interdict.screening.scorer import ListedName, Query, Scored
from interdict.screening.screener import best_per_entity, compatible_schemas, evidence_share

__all__ = ["main"]

CAP = 64
"""The per-query candidate cap before the fix (``CANDIDATES_PER_QUERY``)."""


class Counting:
    """A matcher's ``score_above`` that counts its calls."""

    def __init__(self, score_above: ScoreAbove) -> None:
        self.score_above = score_above
        self.calls = 0

    def __call__(
        self, query: Query, listed: ListedName, weight: Callable[[Token], float], floor: float
    ) -> Scored | None:
        self.calls += 1
        return self.score_above(query, listed, weight, floor)


def _per_name(
    index: ScreeningIndex, query: Query, names: list[int], threshold: float, score: ScoreAbove
) -> set[str]:
    """The step before: each proposed name scored on its own."""
    found: set[str] = set()
    for name in names:
        if score(query, index.names[name], index.token_weight, threshold) is not None:
            found.add(index.entities[index.name_entity[name]].entity_id)
    return found


def capped(index: ScreeningIndex, query: Query, schema: Any, score: ScoreAbove) -> set[str]:
    """Entities found ≥ the default threshold by the capped candidate step (before)."""
    share = evidence_share(query.name.script)
    names = index.candidates(query.name, CAP, compatible_schemas(schema), None, share)
    return _per_name(index, query, names, DEFAULT_THRESHOLD, score)


def lossless(index: ScreeningIndex, query: Query, schema: Any, score: ScoreAbove) -> set[str]:
    """Entities found ≥ the default threshold by ``Screener.screen``'s candidate step (now)."""
    share = evidence_share(query.name.script)
    reached, _ = index.reached(query.name, compatible_schemas(schema), None, share)
    found = best_per_entity(index, query, (int(n) for n in reached), DEFAULT_THRESHOLD, score)
    return {index.entities[e].entity_id for e in found}


STEPS = {"capped": capped, "lossless": lossless}


@dataclass
class Measured:
    """One step over one query set."""

    wall: list[float]
    cpu_seconds: float
    scored: int
    found: list[set[str]]


def _measure(screener: Screener, step: str, cases: list[Case]) -> Measured:
    counting = Counting(screener.score_above)
    run = STEPS[step]
    wall: list[float] = []
    found: list[set[str]] = []
    queries = [(Screener.query(c.query.party()), c.query.schema) for c in cases]
    cpu = time.process_time()
    for query, schema in queries:
        start = time.perf_counter()
        found.append(run(screener.index, query, schema, counting))
        wall.append(time.perf_counter() - start)
    return Measured(wall, time.process_time() - cpu, counting.calls, found)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def _cost(m: Measured) -> dict[str, float]:
    n = len(m.wall)
    return {
        "queries": n,
        "p50_ms": _pct(m.wall, 0.5) * 1000,
        "p99_ms": _pct(m.wall, 0.99) * 1000,
        "mean_ms": statistics.fmean(m.wall) * 1000,
        "names_per_s": n / sum(m.wall),
        "cpu_seconds": m.cpu_seconds,
        "names_scored_per_query": m.scored / n,
    }


def run(data: Path, queries: int, negatives: int, seed: int, matcher: str | None) -> dict[str, Any]:
    """Both steps on held-out aliases and yente negatives; cost and quality figures."""
    lists = {item.name: load_lists(data, (item,)) for item in REAL_LISTS}
    held = held_out_set(lists["un"], seed)
    others = [e for name, found in lists.items() if name != "un" for e in found]
    screener = Screener([*held.entities, *others], matcher=matcher)
    rng = random.Random(seed)
    positives = rng.sample(held.cases, min(queries, len(held.cases)))
    folder = data / YENTE_DIR
    clean = [
        case
        for name in ("negatives_global", "negatives_us")
        for case in yente.negative_cases(read_yente(folder / f"{name}.csv"), name)
    ]
    clean = rng.sample(clean, min(negatives, len(clean)))
    result: dict[str, Any] = {
        "matcher": screener.matcher,
        "threshold": DEFAULT_THRESHOLD,
        "names_indexed": len(screener.index.names),
        "distinct_names": len(screener.index.distinct),
        "steps": {},
    }
    for step in STEPS:
        load_before = os.getloadavg()
        held_out = _measure(screener, step, positives)
        negative = _measure(screener, step, clean)
        recall = sum(bool(f & c.truth) for f, c in zip(held_out.found, positives, strict=True))
        result["steps"][step] = {
            "held_out_cost": _cost(held_out),
            "negatives_cost": _cost(negative),
            "held_out_recall": recall / max(1, len(positives)),
            "held_out_found": recall,
            "held_out_queries": len(positives),
            "held_out_matches": sum(map(len, held_out.found)),
            "negatives_alerted": sum(bool(f) for f in negative.found),
            "negatives": len(clean),
            "load_avg": {"before": load_before, "after": os.getloadavg()},
        }
    return result


def _table(result: dict[str, Any]) -> str:
    rows: list[list[object]] = []
    steps = result["steps"]
    for label, key in (
        ("held-out aliases", "held_out_cost"),
        ("yente negatives", "negatives_cost"),
    ):
        for name in ("names_scored_per_query", "p50_ms", "p99_ms", "names_per_s", "cpu_seconds"):
            digits = 0 if name == "names_per_s" else 2
            figures = [f"{steps[s][key][name]:,.{digits}f}" for s in STEPS]
            rows.append([f"{label}: {name.replace('_', ' ')}", *figures])
    rows.append(
        [
            "held-out recall ≥ T",
            *[f"{steps[s]['held_out_recall']:.3f} ({steps[s]['held_out_found']})" for s in STEPS],
        ]
    )
    rows.append(["held-out matches ≥ T", *[steps[s]["held_out_matches"] for s in STEPS]])
    rows.append(
        [
            "yente negatives alerted",
            *[f"{steps[s]['negatives_alerted']} of {steps[s]['negatives']}" for s in STEPS],
        ]
    )
    rows.append(
        [
            "load average 1/5/15 min (before)",
            *[" ".join(f"{x:.1f}" for x in steps[s]["load_avg"]["before"]) for s in STEPS],
        ]
    )
    title = (
        f"candidate step, {result['matcher']} at {result['threshold']:.2f}: "
        f"{result['names_indexed']:,} names, {result['distinct_names']:,} distinct"
    )
    return table(title, ["figure", *STEPS], rows)


def main(argv: list[str] | None = None) -> int:
    """Run both candidate steps, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--queries", type=int, default=None, help="held-out aliases screened")
    parser.add_argument("--negatives", type=int, default=None, help="yente negatives screened")
    parser.add_argument("--matcher", default=None, help="registered matcher (default: default)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder for the JSON")
    args = parser.parse_args(argv)
    check_data(args.data)
    quick = bool(args.quick)
    queries = args.queries or (100 if quick else 2000)
    negatives = args.negatives or (300 if quick else 6000)
    started = time.perf_counter()
    result = run(args.data, queries, negatives, args.seed, args.matcher)
    print(_table(result))
    data = {
        "benchmark": "candidate_step",
        "environment": environment() | {"cpus": os.cpu_count(), "load_avg": os.getloadavg()},
        "settings": {"quick": quick, "queries": queries, "negatives": negatives, "seed": args.seed},
        "result": result,
        "elapsed_seconds": time.perf_counter() - started,
    }
    path = write_json("candidate_step_quick" if quick else "candidate_step", data, args.out)
    print(f"\nwrote {path} (load average now {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
