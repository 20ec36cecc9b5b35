"""Detection quality on the labelled AMLSim sets by IBM's AMLworld protocol, three models.

    .venv/bin/python -m benchmarks.monitoring.run [--sets interdict_1K interdict_10K] [--data DIR]

Protocol (Altman et al., NeurIPS 2023): transactions sorted by time and split 60/20/20 into
train / validation / test. Every model is the same LightGBM routine
(:func:`interdict.monitoring.model.train`): fitted on train, early-stopped on validation, its
threshold the best-F1 threshold on validation. Reported on test: minority-class F1 at that
threshold, precision, recall, PR-AUC (average precision) and recall per typology.

(a) **raw**: the transaction alone (amount, cents, weekday); (b) **GFP**: IBM's Graph Feature
Preprocessor (snapml) features plus the amount — three window settings are tried and the one
with the best *validation* F1 is kept; (c) **ours**: :mod:`interdict.monitoring.features`.
Graph features are computed on the whole table (no labels involved), for GFP and ours alike.
Bank ids are never features (a shortcut in interdict_10K, see SOURCES.md).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from benchmarks.monitoring import gfp
from benchmarks.monitoring.data import DEFAULT_DATA, LabelledSet, load_set
from interdict.monitoring.metrics import average_precision, f1_at
from interdict.monitoring.model import score, train
from interdict.monitoring.pipeline import features_of

OUT = Path(__file__).resolve().parents[1] / "out" / "monitoring_quality.json"


def raw_features(table: pa.Table) -> pa.Table:
    """What a transaction says by itself (no graph): amount, its cents, the weekday."""
    amount = table["amount"].to_numpy()
    weekday = pc.day_of_week(table["timestamp"]).to_numpy()
    return pa.table(
        {
            "amount": amount,
            "amount_cents": np.round(amount - np.floor(amount), 2),
            "weekday": weekday.astype(np.float64),
        }
    )


def evaluate(data: LabelledSet, features: pa.Table, params: dict[str, Any]) -> dict[str, Any]:
    """Train on train+validation (threshold on validation), measure on test."""
    fit_rows = np.sort(np.r_[data.train, data.valid])
    names = [n for n in features.column_names if n != "row"]
    started = time.perf_counter()
    model = train(
        features.take(pa.array(fit_rows)),
        data.labels[fit_rows],
        data.timestamps[fit_rows],
        validation_fraction=len(data.valid) / len(fit_rows),
        params=params,
        names=names,
    )
    seconds = time.perf_counter() - started
    test_scores = score(model, features.take(pa.array(data.test)))
    labels = data.labels[data.test]
    at = f1_at(labels, test_scores, model.threshold)
    flagged = test_scores >= model.threshold
    kinds = data.typology[data.test]
    per_typology = {
        kind: round(float(flagged[kinds == kind].mean()), 3)
        for kind in sorted(set(kinds.tolist()) - {""})
    }
    return {
        "f1": round(at.f1, 4),
        "precision": round(at.precision, 4),
        "recall": round(at.recall, 4),
        "pr_auc": round(average_precision(labels, test_scores), 4),
        "validation_f1": model.info["validation_f1"],
        "threshold": round(model.threshold, 4),
        "trees": model.info["best_iteration"],
        "train_seconds": round(seconds, 1),
        "recall_per_typology": per_typology,
        "test_positives": int(labels.sum()),
    }


def run_set(data: LabelledSet, threads: int) -> dict[str, Any]:
    """The three models on one set."""
    params = {"num_threads": threads}
    results: dict[str, Any] = {}
    results["raw"] = evaluate(data, raw_features(data.table), params)
    print(f"  raw   F1 {results['raw']['f1']:.3f}", flush=True)
    missing = gfp.available()
    if missing:
        results["gfp"] = {"skipped": missing}
    else:
        best: dict[str, Any] | None = None
        for label, windows in gfp.CONFIGS.items():
            started = time.perf_counter()
            features = gfp.gfp_features(data.table, windows, threads)
            feature_seconds = time.perf_counter() - started
            outcome = evaluate(data, features, params)
            outcome.update(config=label, feature_seconds=round(feature_seconds, 1))
            print(
                f"  gfp   {label}: validation F1 {outcome['validation_f1']:.3f}"
                f" ({feature_seconds:.0f} s features)",
                flush=True,
            )
            if best is None or outcome["validation_f1"] > best["validation_f1"]:
                best = outcome
        results["gfp"] = best
    started = time.perf_counter()
    ours = features_of(data.table)
    feature_seconds = time.perf_counter() - started
    results["ours"] = evaluate(data, ours, params)
    results["ours"]["feature_seconds"] = round(feature_seconds, 1)
    print(f"  ours  F1 {results['ours']['f1']:.3f}", flush=True)
    return results


def report(name: str, data: LabelledSet, results: dict[str, Any]) -> None:
    """One table per set: each model's test figures and recall per typology."""
    kinds = sorted(set(data.typology[data.test].tolist()) - {""})
    print(
        f"\n{name}: {len(data.table):,} transactions, test {len(data.test):,} "
        f"({int(data.labels[data.test].sum()):,} laundering)"
    )
    header = f"{'model':<6} {'F1':>6} {'prec':>6} {'recall':>6} {'PR-AUC':>7} {'val F1':>7}"
    print(header + "".join(f" {k[:10]:>10}" for k in kinds))
    for model in ("raw", "gfp", "ours"):
        row = results[model]
        if "skipped" in row:
            print(f"{model:<6} skipped: {row['skipped']}")
            continue
        recall = row["recall_per_typology"]
        print(
            f"{model:<6} {row['f1']:>6.3f} {row['precision']:>6.3f} {row['recall']:>6.3f} "
            f"{row['pr_auc']:>7.3f} {row['validation_f1']:>7.3f}"
            + "".join(f" {recall.get(k, 0.0):>10.3f}" for k in kinds)
        )
    if "config" in results["gfp"]:
        print(f"(GFP setting kept on validation: {results['gfp']['config']})")


def main() -> None:
    """Run the protocol on each set, print the tables, write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", nargs="+", default=["interdict_1K", "interdict_10K"])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    everything: dict[str, Any] = {}
    for name in args.sets:
        print(f"{name} …", flush=True)
        data = load_set(args.data, name)
        everything[name] = run_set(data, args.threads)
        report(name, data, everything[name])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(everything, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {OUT}")


if __name__ == "__main__":
    main()
