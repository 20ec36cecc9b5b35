"""Throughput of batch screening and monitoring on Spark local mode (1 and 2 cores) vs DuckDB.

Same inputs, same code paths as ``interdict screen --engine …`` and ``interdict monitor run``:

* **batch screening** — :func:`interdict.screening.batch.screen_file` on a synthetic customer
  CSV (read, screened, written as JSONL), against all real lists (UN only with ``--quick``);
  DuckDB with 1 and 2 worker processes, Spark ``local[1]`` and ``local[2]``;
* **monitoring** — graph features (``features_of``) and the eleven typology rules
  (``run_typologies``) over AMLSim payments replicated in account space;

each at 1×, 4× and 16× the base size. Spark's start-up and the first (cold) job — which ships
the screener to the executors' Python workers — are timed apart from the measured runs; every
Spark output is checked against DuckDB's (identical JSONL bytes, identical alerts).

    python -m benchmarks.spark.run            # customers 5k/20k/80k, payments 20k/80k/320k
    python -m benchmarks.spark.run --quick    # customers 500/2k/8k, payments 2k/8k/32k
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.screening.sources import DEFAULT_DATA, REAL_LISTS, check_data, load_lists
from benchmarks.spark.data import base_transactions, customers_file, replicate
from interdict.engines.duckdb import DuckDBEngine
from interdict.engines.spark import SparkEngine, build_session
from interdict.monitoring.pipeline import features_of, run_typologies
from interdict.screening import DEFAULT_THRESHOLD, Screener
from interdict.screening.batch import screen_file
from interdict.screening.partitioned import BatchOptions

__all__ = ["Bench", "main", "report", "timed"]

OUT = Path(__file__).resolve().parents[1] / "out"
SCALES = (1, 4, 16)
_T = TypeVar("_T")


def timed(call: Callable[[], _T]) -> tuple[_T, float]:
    """The call's result and its wall time in seconds."""
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


class Bench:
    """Inputs, results and the DuckDB references every Spark run is checked against."""

    def __init__(self, data: Path, folder: Path, quick: bool) -> None:
        self.folder = folder
        self.quick = quick
        self.results: dict[str, Any] = {"screening": {}, "monitoring": {}}
        lists = tuple(item for item in REAL_LISTS if not quick or item.name == "un")
        entities, seconds = timed(lambda: load_lists(data, lists))
        self.screener, index_seconds = timed(lambda: Screener(entities))
        base = 500 if quick else 5_000
        self.customers = {k: customers_file(folder, data, base * k) for k in SCALES}
        payments = base_transactions(data, 2_000 if quick else 20_000)
        self.tables = {k: replicate(payments, k) for k in SCALES}
        self.options = BatchOptions(threshold=DEFAULT_THRESHOLD)
        self.reference_alerts: dict[int, list[str]] = {}
        self.results["setup"] = {
            "lists": [item.name for item in lists],
            "entities": len(entities),
            "read_lists_s": round(seconds, 1),
            "index_s": round(index_seconds, 1),
            "customers": {k: base * k for k in SCALES},
            "payments": {k: self.tables[k].num_rows for k in SCALES},
            "load_average_start": os.getloadavg(),
        }

    def out(self, label: str, scale: int) -> Path:
        return self.folder / f"{label}_{scale}.jsonl"

    def screening(self, label: str, engine: Any, workers: int | None) -> None:
        rows: dict[int, Any] = {}
        for scale, source in self.customers.items():
            target = self.out(label, scale)
            job = partial(
                screen_file, engine, self.screener, source, target, self.options, workers=workers
            )
            report, seconds = timed(job)
            reference = self.out("duckdb_2", scale)
            same = None if label == "duckdb_2" else target.read_bytes() == reference.read_bytes()
            rows[scale] = {
                "records": report.records,
                "matched": report.matched,
                "seconds": round(seconds, 2),
                "per_second": round(report.records / seconds, 1),
                "same_as_duckdb": same,
            }
            print(
                f"  screen {label:<9} ×{scale:<2} {report.records:>7,} customers "
                f"{seconds:7.1f} s  {report.records / seconds:8,.0f}/s"
                + ("" if same is None else f"  identical: {same}"),
                flush=True,
            )
        self.results["screening"][label] = rows

    def monitoring(self, label: str, engine: str) -> None:
        rows: dict[int, Any] = {}
        for scale, table in self.tables.items():
            _features, feature_s = timed(partial(features_of, table, engine=engine))
            alerts, rule_s = timed(partial(run_typologies, table, engine=engine))
            texts = sorted(json.dumps(a.to_json(), sort_keys=True) for a in alerts)
            if label == "duckdb":
                self.reference_alerts[scale] = texts
                same = None
            else:
                same = texts == self.reference_alerts.get(scale)
            total = feature_s + rule_s
            rows[scale] = {
                "payments": table.num_rows,
                "features_s": round(feature_s, 2),
                "rules_s": round(rule_s, 2),
                "alerts": len(alerts),
                "per_second": round(table.num_rows / total, 1),
                "same_as_duckdb": same,
            }
            print(
                f"  monitor {label:<8} ×{scale:<2} {table.num_rows:>8,} payments "
                f"features {feature_s:6.1f} s, rules {rule_s:6.1f} s  "
                f"{table.num_rows / total:8,.0f}/s  {len(alerts)} alerts"
                + ("" if same is None else f"  identical: {same}"),
                flush=True,
            )
        self.results["monitoring"][label] = rows

    def spark(self, cores: int) -> None:
        session, start_s = timed(lambda: build_session(f"local[{cores}]", app_name="bench"))
        label = f"spark_{cores}"
        with SparkEngine() as engine:
            warm = self.customers[1]
            cold = partial(
                screen_file, engine, self.screener, warm, self.out("cold", cores), self.options
            )
            _report, cold_s = timed(cold)
            print(
                f"  spark local[{cores}]: start {start_s:.1f} s, first screening job "
                f"{cold_s:.1f} s (ships the screener to each Python worker)",
                flush=True,
            )
            self.results[f"{label}_startup"] = {
                "start_s": round(start_s, 1),
                "cold_job_s": round(cold_s, 1),
            }
            self.screening(label, engine, None)
        self.monitoring(label, "spark")
        session.stop()


def report(results: dict[str, Any]) -> None:
    """Summary tables: throughput per engine and size, and Spark's per-core figures."""
    print("\nbatch screening, customers/s (input read, screened, JSONL written)")
    print(f"{'engine':<10}" + "".join(f"{'×' + str(k):>10}" for k in SCALES))
    for label, rows in results["screening"].items():
        print(f"{label:<10}" + "".join(f"{rows[k]['per_second']:>10,.0f}" for k in SCALES))
    print("\nmonitoring, payments/s (features + 11 typology rules)")
    print(f"{'engine':<10}" + "".join(f"{'×' + str(k):>10}" for k in SCALES))
    for label, rows in results["monitoring"].items():
        print(f"{label:<10}" + "".join(f"{rows[k]['per_second']:>10,.0f}" for k in SCALES))
    screening = results["screening"]
    if "spark_1" in screening and "spark_2" in screening:
        one, two = screening["spark_1"][16]["per_second"], screening["spark_2"][16]["per_second"]
        print(
            f"\nSpark screening at ×16: {one:,.0f}/s on 1 core, {two:,.0f}/s on 2 cores "
            f"(×{two / one:.2f}); per executor core ≈ {two / 2:,.0f} customers/s"
        )


def main() -> None:
    """Run both engines on every size; print the figures; write JSON to benchmarks/out/."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--quick", action="store_true", help="small sizes, UN list only")
    parser.add_argument("--skip-spark", action="store_true", help="DuckDB only")
    args = parser.parse_args()
    check_data(args.data)
    with tempfile.TemporaryDirectory(prefix="interdict-spark-bench-") as scratch:
        bench = Bench(args.data, Path(scratch), args.quick)
        setup = bench.results["setup"]
        print(
            f"lists {', '.join(setup['lists'])}: {setup['entities']:,} entities "
            f"(read {setup['read_lists_s']} s, index {setup['index_s']} s); "
            f"load average {setup['load_average_start'][0]:.1f}",
            flush=True,
        )
        for workers in (2, 1):
            with DuckDBEngine() as engine:
                bench.screening(f"duckdb_{workers}", engine, workers)
        bench.monitoring("duckdb", "duckdb")
        if not args.skip_spark:
            for cores in (1, 2):
                bench.spark(cores)
        bench.results["setup"]["load_average_end"] = os.getloadavg()
    report(bench.results)
    name = "spark_quick.json" if args.quick else "spark.json"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_text(json.dumps(bench.results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {OUT / name}")


if __name__ == "__main__":
    main()
