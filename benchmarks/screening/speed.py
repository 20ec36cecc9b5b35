"""Screening speed and memory: index build, single-query latency, batch throughput, resident memory.

Run ``python -m benchmarks.screening.speed`` (``--quick`` for a seconds-long smoke run). Two
scenarios, each in a fresh process so that one's memory does not count in the other's:

- ``real``: all real lists loaded together (UN, OFAC SDN + non-SDN, UK), plus the peer's
  per-query latency (n-gram candidates + logic-v2 on 50 candidates) on a sample of the queries;
- ``synthetic``: a 1,000,000-name list synthesised from real name parts (``synth.py``), built
  from Entities generated in memory one by one.

Latency is measured on one core (the process is pinned to one CPU) at the default threshold,
queries drawn from the yente benchmark (a quarter positives, three quarters negatives; for the
synthetic list a quarter are perturbed synthetic names). Throughput is ``screen_many`` on 1 and
2 worker processes. Memory is the process's resident set (psutil RSS) after the build.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import statistics
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]

from benchmarks.screening import yente
from benchmarks.screening.cases import Query
from benchmarks.screening.report import OUT_DIR, environment, table, write_json
from benchmarks.screening.sources import (
    DEFAULT_DATA,
    REAL_LISTS,
    YENTE_DIR,
    check_data,
    load_lists,
    read_yente,
)
from benchmarks.screening.synth import name_pools, synthetic_entities
from interdict.model import Entity, Party, Schema
from interdict.screening import DEFAULT_THRESHOLD, MATCHER_VERSION, Screener

__all__ = ["main"]

TARGETS = {
    "p50": "≤ 1 ms",
    "p99": "≤ 5 ms",
    "throughput_2": "≥ 10,000 names/s",
    "rss_1m": "≤ 2 GB (1M names)",
}
MB = 1024 * 1024


def _rss_mb() -> float:
    return float(psutil.Process().memory_info().rss) / MB


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class TimedIterable:
    """Wraps an iterator and adds up the time spent producing its items."""

    def __init__(self, items: Iterator[Entity]) -> None:
        self.items = items
        self.seconds = 0.0
        self.count = 0

    def __iter__(self) -> Iterator[Entity]:
        while True:
            start = time.perf_counter()
            item = next(self.items, None)
            self.seconds += time.perf_counter() - start
            if item is None:
                return
            self.count += 1
            yield item


def _queries(data_dir: Path, count: int, seed: int, extra: list[str]) -> list[Query]:
    """``count`` queries: a quarter positives (or ``extra`` names), three quarters negatives."""
    folder = data_dir / YENTE_DIR
    rng = random.Random(seed)
    positives: list[Query] = []
    if extra:
        positives = [
            Query(id=f"syn:{i}", name=n, schema=Schema.PERSON) for i, n in enumerate(extra)
        ]
    else:
        for name in ("positives_un_treated", "positives_us_congress_untreated"):
            rows = read_yente(folder / f"{name}.csv")
            positives += [yente.row_query(row, name)[0] for row in rows]
    chosen = rng.sample(positives, min(count // 4, len(positives)))
    negatives = [
        (name, row)
        for name in ("negatives_global", "negatives_us")
        for row in read_yente(folder / f"{name}.csv")
    ]
    picked = rng.sample(negatives, count - len(chosen))
    chosen += [yente.row_query(row, name)[0] for name, row in picked]
    rng.shuffle(chosen)
    return chosen


def _latency(screener: Screener, parties: list[Party]) -> tuple[dict[str, float], dict[str, float]]:
    """Per-query latency in ms on one pinned CPU, after a short warm-up: wall-clock time, and
    the CPU time of this thread (which other processes on a busy machine do not inflate)."""
    original = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(original)})
    try:
        for party in parties[:50]:
            screener.screen(party)
        times: list[float] = []
        cpu: list[float] = []
        for party in parties:
            start, start_cpu = time.perf_counter(), time.thread_time()
            screener.screen(party)
            cpu.append(time.thread_time() - start_cpu)
            times.append(time.perf_counter() - start)
    finally:
        os.sched_setaffinity(0, original)
    return _summary(times), _summary(cpu)


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(t * 1000 for t in times)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return {
        "n": len(ordered),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "mean_ms": statistics.fmean(ordered),
        "max_ms": ordered[-1],
    }


def _throughput(screener: Screener, parties: list[Party], workers: int) -> float:
    """Names per second screened by ``screen_many`` on ``workers`` processes."""
    start = time.perf_counter()
    count = sum(1 for _ in screener.screen_many(parties, workers=workers))
    return count / (time.perf_counter() - start)


def _speed(screener: Screener, queries: list[Query], batch: int) -> dict[str, Any]:
    parties = [q.party() for q in queries]
    repeated = list(islice(_cycle(parties), batch))
    load = os.getloadavg()
    wall, cpu = _latency(screener, parties)
    return {
        "load_avg_before": load,
        "latency": wall,
        "latency_cpu": cpu,
        "throughput_names_per_s": {
            "1": _throughput(screener, repeated, 1),
            "2": _throughput(screener, repeated, 2),
        },
        "batch_names": len(repeated),
    }


def _cycle(items: list[Party]) -> Iterable[Party]:
    while True:
        yield from items


def _peer_latency(entities: list[Entity], queries: list[Query]) -> dict[str, Any]:
    """The peer's build time and per-query latency (candidates + logic-v2), one pinned CPU."""
    from benchmarks.screening.cases import Case
    from benchmarks.screening.peer import PeerIndex, warm_up

    warm_up()
    start = time.perf_counter()
    index = PeerIndex(entities)
    build = time.perf_counter() - start
    original = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(original)})
    try:
        times: list[float] = []
        for query in queries:
            start = time.perf_counter()
            index.screen(Case(query))
            times.append(time.perf_counter() - start)
    finally:
        os.sched_setaffinity(0, original)
    return {"build_seconds": build, "latency": _summary(times)}


def scenario_real(args: dict[str, Any]) -> dict[str, Any]:
    """All real lists loaded together."""
    data_dir = Path(args["data"])
    rss_start = _rss_mb()
    start = time.perf_counter()
    lists = tuple(i for i in REAL_LISTS if i.name == "un") if args["quick"] else REAL_LISTS
    entities = load_lists(data_dir, lists)
    read_seconds = time.perf_counter() - start
    rss_loaded = _rss_mb()
    start = time.perf_counter()
    screener = Screener(entities)
    build = time.perf_counter() - start
    result: dict[str, Any] = {
        "scenario": "real lists: " + ", ".join(i.name for i in lists),
        "entities": len(entities),
        "names_indexed": len(screener.index.names),
        "read_seconds": read_seconds,
        "build_seconds": build,
        "rss_mb": {"start": rss_start, "lists_read": rss_loaded, "after_build": _rss_mb()},
    }
    queries = _queries(data_dir, args["queries"], args["seed"], [])
    result |= _speed(screener, queries, args["batch"])
    result["rss_mb"]["peak"] = _peak_mb()
    if not args["no_peer"]:
        result["peer"] = _peer_latency(entities, queries[: args["peer_queries"]])
    return result


def scenario_synthetic(args: dict[str, Any]) -> dict[str, Any]:
    """A synthetic list of ``args['names']`` names made from real name parts."""
    data_dir = Path(args["data"])
    folder = data_dir / YENTE_DIR
    negatives = [folder / "negatives_global.csv", folder / "negatives_us.csv"]
    lists = tuple(i for i in REAL_LISTS if i.name == "un") if args["quick"] else REAL_LISTS
    pools = name_pools(load_lists(data_dir, lists), negatives)
    total, seed = args["names"], args["seed"]
    sample = [e.names[0].full for e in islice(synthetic_entities(pools, total, seed), 5000)]
    rng = random.Random(seed)
    extra = [yente.perturb(name, rng)[0] for name in sample]
    queries = _queries(data_dir, args["queries"], seed, extra)
    rss_start = _rss_mb()
    generated = TimedIterable(synthetic_entities(pools, total, seed))
    start = time.perf_counter()
    screener = Screener(generated)
    elapsed = time.perf_counter() - start
    result: dict[str, Any] = {
        "scenario": f"synthetic list of {total:,} names",
        "entities": generated.count,
        "names_generated": total,
        "names_indexed": len(screener.index.names),
        "generate_seconds": generated.seconds,
        "build_seconds": elapsed - generated.seconds,
        "rss_mb": {"start": rss_start, "after_build": _rss_mb()},
    }
    result |= _speed(screener, queries, args["batch"])
    result["rss_mb"]["peak"] = _peak_mb()
    return result


def _child(name: str, args: dict[str, Any], queue: Any) -> None:
    scenario = scenario_real if name == "real" else scenario_synthetic
    queue.put(scenario(args))


def _run_isolated(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run a scenario in a fresh (spawned) process and return its figures."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(name, args, queue))
    process.start()
    result: dict[str, Any] = queue.get()
    process.join()
    return result


def _table(result: dict[str, Any]) -> str:
    latency, cpu = result["latency"], result["latency_cpu"]
    rows: list[list[object]] = [
        ["entities", f"{result['entities']:,}", ""],
        ["names indexed", f"{result['names_indexed']:,}", ""],
    ]
    if "read_seconds" in result:
        rows.append(["list files read", f"{result['read_seconds']:.1f} s", ""])
    if "generate_seconds" in result:
        rows.append(
            ["entities generated (not in build)", f"{result['generate_seconds']:.1f} s", ""]
        )
    rows += [
        ["index build", f"{result['build_seconds']:.1f} s", ""],
        ["latency p50 (1 core)", f"{latency['p50_ms']:.2f} ms", TARGETS["p50"]],
        ["latency p90", f"{latency['p90_ms']:.2f} ms", ""],
        ["latency p99", f"{latency['p99_ms']:.2f} ms", TARGETS["p99"]],
        ["latency mean / max", f"{latency['mean_ms']:.2f} / {latency['max_ms']:.1f} ms", ""],
        [
            "CPU time per query p50 / p90 / p99",
            f"{cpu['p50_ms']:.2f} / {cpu['p90_ms']:.2f} / {cpu['p99_ms']:.2f} ms",
            "",
        ],
        ["queries timed", f"{latency['n']:,}", ""],
        ["load average 1/5/15 min", " ".join(f"{x:.1f}" for x in result["load_avg_before"]), ""],
    ]
    for workers in ("1", "2"):
        rate = result["throughput_names_per_s"][workers]
        target = TARGETS["throughput_2"] if workers == "2" else ""
        rows.append([f"batch throughput, {workers} worker(s)", f"{rate:,.0f} names/s", target])
    rows.append(["batch size", f"{result['batch_names']:,} names", ""])
    for key, value in result["rss_mb"].items():
        target = (
            TARGETS["rss_1m"] if key == "after_build" and "synthetic" in result["scenario"] else ""
        )
        rows.append([f"RSS {key.replace('_', ' ')}", f"{value:,.0f} MB", target])
    peer = result.get("peer")
    if peer:
        rows.append(["peer: n-gram index build", f"{peer['build_seconds']:.1f} s", ""])
        plat = peer["latency"]
        rows.append(
            [
                "peer: latency p50 / p99 (1 core)",
                f"{plat['p50_ms']:.1f} / {plat['p99_ms']:.1f} ms",
                "",
            ]
        )
        rows.append(["peer: queries timed", f"{plat['n']:,}", ""])
    return table(result["scenario"], ["figure", "value", "target"], rows)


def main(argv: list[str] | None = None) -> int:
    """Run the speed benchmark, print its tables and write its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--queries", type=int, default=None, help="queries timed one by one")
    parser.add_argument("--batch", type=int, default=None, help="names per throughput run")
    parser.add_argument("--names", type=int, default=None, help="synthetic list size")
    parser.add_argument("--peer-queries", type=int, default=None, help="queries timed for peer")
    parser.add_argument("--no-peer", action="store_true", help="skip the peer's latency")
    parser.add_argument("--only", choices=("real", "synthetic"), default=None)
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder for the JSON")
    args = parser.parse_args(argv)
    check_data(args.data)
    quick = bool(args.quick)
    settings: dict[str, Any] = {
        "data": str(args.data),
        "quick": quick,
        "seed": args.seed,
        "queries": args.queries or (200 if quick else 5000),
        "batch": args.batch or (1000 if quick else 20000),
        "names": args.names or (20_000 if quick else 1_000_000),
        "peer_queries": args.peer_queries or (20 if quick else 300),
        "no_peer": bool(args.no_peer),
    }
    started = time.perf_counter()
    print(
        f"Screening speed — {MATCHER_VERSION}, threshold {DEFAULT_THRESHOLD:.2f}, "
        f"{os.cpu_count()} CPUs{' — QUICK' if quick else ''}"
    )
    results: list[dict[str, Any]] = []
    for name in ("real", "synthetic"):
        if args.only in (None, name):
            result = _run_isolated(name, settings)
            results.append(result)
            print("\n" + _table(result))
    elapsed = time.perf_counter() - started
    data = {
        "benchmark": "screening_speed",
        "environment": environment() | {"cpus": os.cpu_count(), "load_avg": os.getloadavg()},
        "matcher": MATCHER_VERSION,
        "settings": settings,
        "targets": TARGETS,
        "scenarios": results,
        "elapsed_seconds": elapsed,
    }
    path = write_json("screening_speed_quick" if quick else "screening_speed", data, args.out)
    print(f"\nwrote {path} in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
