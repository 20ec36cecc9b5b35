"""Throughput and memory of features + typology rules + scoring on a synthesised large table.

    .venv/bin/python -m benchmarks.monitoring.throughput [--rows 5000000] [--data DIR]

The table is interdict_10K replicated: replica k gets its own accounts (ids prefixed ``k-``)
and is shifted k weeks in time, so the graph keeps AMLSim's shape while the table grows.
The model is trained beforehand on interdict_10K (not timed). Timed, on one DuckDB engine with
the machine's threads: compaction and registration, graph features, all built-in rules, model
scoring with reasons for flagged transactions. Printed: seconds and transactions/second per
stage and in total, and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from benchmarks.monitoring.data import DEFAULT_DATA
from interdict.engines import open_engine
from interdict.model.transaction import TIMESTAMP_TYPE
from interdict.monitoring.alerts import run_rules
from interdict.monitoring.features import compute_features
from interdict.monitoring.model import reasons, score
from interdict.monitoring.pipeline import train_on
from interdict.monitoring.prepare import prepare, register
from interdict.monitoring.typologies import builtin_rules
from interdict.readers.transactions import read_amlsim

OUT = Path(__file__).resolve().parents[1] / "out" / "monitoring_throughput.json"
WEEK_US = 7 * 86_400 * 1_000_000


def synthesise(base: pa.Table, rows: int) -> pa.Table:
    """``rows`` transactions from copies of ``base`` in disjoint account spaces, shifted in time."""
    copies = -(-rows // base.num_rows)
    parts = []
    stamps = base["timestamp"].cast(pa.int64())
    for k in range(copies):
        prefix = pa.scalar(f"{k}-")
        parts.append(
            pa.table(
                {
                    "txn_id": pc.binary_join_element_wise(prefix, base["txn_id"], ""),
                    "timestamp": pc.add(stamps, k * WEEK_US).cast(TIMESTAMP_TYPE),
                    "from_account": pc.binary_join_element_wise(prefix, base["from_account"], ""),
                    "to_account": pc.binary_join_element_wise(prefix, base["to_account"], ""),
                    "amount": base["amount"],
                    "currency": base["currency"],
                    "payment_format": base["payment_format"],
                }
            )
        )
    return pa.concat_tables(parts).slice(0, rows).combine_chunks()


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads (DuckDB's included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Train on interdict_10K, synthesise the large table, time each stage."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rows", type=int, default=5_000_000)
    args = parser.parse_args()
    base = read_amlsim(args.data / "transactions" / "amlsim" / "interdict_10K").table
    print(f"training on interdict_10K ({base.num_rows:,} transactions, not timed) …", flush=True)
    model = train_on(base)
    table = synthesise(base.drop_columns(["is_laundering"]), args.rows)
    del base
    print(f"synthesised {table.num_rows:,} transactions; peak RSS so far {peak_rss_mb():,.0f} MB")
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    counts: dict[str, Any] = {}
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), cpu_seconds()
    with open_engine() as engine:
        mark, cpu_mark = time.perf_counter(), cpu_seconds()
        prepared = prepare(table)
        register(engine, prepared)
        timings["prepare"], cpu["prepare"] = time.perf_counter() - mark, cpu_seconds() - cpu_mark
        mark, cpu_mark = time.perf_counter(), cpu_seconds()
        features = compute_features(engine)
        timings["features"], cpu["features"] = time.perf_counter() - mark, cpu_seconds() - cpu_mark
        mark, cpu_mark = time.perf_counter(), cpu_seconds()
        alerts = run_rules(engine, prepared, builtin_rules())
        timings["rules"], cpu["rules"] = time.perf_counter() - mark, cpu_seconds() - cpu_mark
        counts["alerts"] = len(alerts)
        mark, cpu_mark = time.perf_counter(), cpu_seconds()
        scores = score(model, features)
        flagged = np.flatnonzero(scores >= model.threshold)
        texts = reasons(model, features, flagged)
        timings["scoring"], cpu["scoring"] = time.perf_counter() - mark, cpu_seconds() - cpu_mark
        counts["flagged"] = len(texts)
    total, cpu_total = time.perf_counter() - started, cpu_seconds() - cpu_started
    load_after = os.getloadavg()[0]
    n = table.num_rows
    cores = os.cpu_count() or 1
    print(f"\n{n:,} transactions on {cores} cores (DuckDB engine)")
    print(f"load average before/after: {load_before:.1f} / {load_after:.1f} (other processes)")
    print(f"{'stage':<10} {'wall s':>8} {'tx/s':>12} {'CPU s':>8} {'tx/CPU-s':>10}")
    for stage, seconds in timings.items():
        print(
            f"{stage:<10} {seconds:>8.1f} {n / seconds:>12,.0f} {cpu[stage]:>8.1f}"
            f" {n / max(cpu[stage], 1e-9):>10,.0f}"
        )
    print(
        f"{'total':<10} {total:>8.1f} {n / total:>12,.0f} {cpu_total:>8.1f} {n / cpu_total:>10,.0f}"
    )
    print(
        f"on an otherwise idle machine: between {n / cpu_total:,.0f} tx/s (work on one core) "
        f"and {n * cores / cpu_total:,.0f} tx/s (both cores busy throughout)"
    )
    print(f"alerts {counts['alerts']:,}; flagged by the model {counts['flagged']:,}")
    print(f"peak RSS {peak_rss_mb():,.0f} MB")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "rows": n,
                "cores": os.cpu_count(),
                "seconds": {k: round(v, 2) for k, v in timings.items()}
                | {"total": round(total, 2)},
                "tx_per_second": round(n / total),
                "cpu_seconds": {k: round(v, 2) for k, v in cpu.items()}
                | {"total": round(cpu_total, 2)},
                "load_average": [round(load_before, 2), round(load_after, 2)],
                "peak_rss_mb": round(peak_rss_mb()),
                **counts,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
