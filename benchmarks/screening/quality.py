"""Screening quality, ours beside nomenklatura logic-v2, in one run.

Run ``python -m benchmarks.screening.quality`` (``--quick`` for a seconds-long smoke run). Prints
recall on the yente benchmark positives and on the sets built from the UN list, false-alert
rates on the yente negatives, threshold sweeps and the targets; writes the same figures to
``benchmarks/out/screening_quality.json``. See ``benchmarks/README.md`` for how truth is built.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.screening.cases import Case
from benchmarks.screening.checkpoint import Checkpoint
from benchmarks.screening.experiments import Experiment, Plan, plan
from benchmarks.screening.outcome import (
    Outcome,
    alert_rate,
    recall,
    run_ours,
    threshold_for_alerts,
)
from benchmarks.screening.report import OUT_DIR, environment, fmt_rate, table, write_json
from benchmarks.screening.sources import DEFAULT_DATA, check_data
from interdict.screening import DEFAULT_MATCHER, DEFAULT_THRESHOLD, MATCHERS, Screener

__all__ = ["main"]

SWEEP = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
PEER_THRESHOLD = 0.7
ALERT_BUDGET = 0.01
"""Targets measure recall where at most 1 % of clean customers are alerted."""


@dataclass
class Measured:
    """An experiment with both matchers' outcomes (``peer`` holds only the peer's cases)."""

    experiment: Experiment
    ours: list[Outcome]
    peer: list[Outcome] | None
    ours_seconds: float
    peer_seconds: float

    def rows(self) -> list[tuple[str, list[Outcome], list[Outcome] | None]]:
        """(label, ours, peer) for the whole experiment and for each group in it."""
        cases = self.experiment.cases
        positions = self.experiment.peer_positions()
        result = [(self.experiment.title, self.ours, self.peer)]
        groups = sorted({c.group for c in cases if c.group})
        if len(groups) < 2:
            return result
        for group in groups:
            ours = [o for c, o in zip(cases, self.ours, strict=True) if c.group == group]
            peer = None
            if self.peer is not None:
                chosen = [cases[p].group == group for p in positions]
                peer = [o for keep, o in zip(chosen, self.peer, strict=True) if keep]
            result.append((f"  {group}", ours, peer))
        return result

    def ours_on_peer_cases(self) -> list[Outcome]:
        """Our outcomes restricted to the cases the peer screened (for like-for-like rates)."""
        return [self.ours[p] for p in self.experiment.peer_positions()]


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the figures)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Runner:
    """Builds each index once for each matcher and screens the experiments."""

    def __init__(
        self, the_plan: Plan, workers: int, with_peer: bool, saved: Checkpoint, matcher: str
    ) -> None:
        self.plan = the_plan
        self.matcher = matcher
        self.workers = workers
        self.with_peer = with_peer
        self.saved = saved
        self.ours: dict[str, Screener] = {}
        self.peers: dict[str, Any] = {}
        self.build_seconds: dict[str, dict[str, float]] = {}

    def _timed(self, index: str, who: str, build: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        built = build()
        self.build_seconds.setdefault(index, {})[who] = time.perf_counter() - start
        return built

    def measure(self, experiment: Experiment) -> Measured:
        """Screen one experiment with ours (all cases) and the peer (its cases)."""
        saved = self.saved.get(experiment)
        if saved is not None:
            progress(f"{experiment.key}: reused from {self.saved.path.name}")
            return Measured(experiment, *saved)
        progress(f"{experiment.key}: {len(experiment.cases):,} cases on index {experiment.index}")
        start = time.perf_counter()
        ours = run_ours(
            self._ours(experiment.index),
            experiment.cases,
            with_attributes=experiment.with_attributes,
            workers=self.workers,
        )
        ours_seconds = time.perf_counter() - start
        peer: list[Outcome] | None = None
        peer_seconds = 0.0
        positions = experiment.peer_positions()
        if self.with_peer and positions:
            from benchmarks.screening.peer import run_peer

            cases = [experiment.cases[p] for p in positions]
            if not experiment.with_attributes:
                cases = [Case(c.query.name_only(), c.truth, c.group) for c in cases]
            start = time.perf_counter()
            peer = list(run_peer(self._peer(experiment.index), cases, self.workers))
            peer_seconds = time.perf_counter() - start
        self.saved.put(experiment, (ours, peer, ours_seconds, peer_seconds))
        return Measured(experiment, ours, peer, ours_seconds, peer_seconds)

    def _ours(self, index: str) -> Screener:
        if index not in self.ours:
            entities = self.plan.indexes[index]
            self.ours[index] = self._timed(
                index, "ours", lambda: Screener(entities, matcher=self.matcher)
            )
        return self.ours[index]

    def _peer(self, index: str) -> Any:
        from benchmarks.screening.peer import PeerIndex

        if index not in self.peers:
            entities = self.plan.indexes[index]
            self.peers[index] = self._timed(index, "peer", lambda: PeerIndex(entities))
        return self.peers[index]


def _recall_tables(measured: list[Measured], ours_t: float, peer_t: float | None) -> str:
    head = ["set", "n", f"ours@{DEFAULT_THRESHOLD:.2f}", f"peer@{PEER_THRESHOLD:.2f}"]
    head += [f"ours@{ours_t:.2f} (1% alerts)", "peer@" + (f"{peer_t:.2f}" if peer_t else "-")]
    main: list[list[object]] = []
    sweep: list[list[object]] = []
    for item in (m for m in measured if m.experiment.kind == "recall"):
        for label, ours, peer in item.rows():
            main.append(
                [
                    label,
                    len(ours),
                    fmt_rate(recall(ours, DEFAULT_THRESHOLD)),
                    fmt_rate(recall(peer, PEER_THRESHOLD) if peer else None),
                    fmt_rate(recall(ours, ours_t)),
                    fmt_rate(recall(peer, peer_t) if peer and peer_t else None),
                ]
            )
            cells = [
                f"{fmt_rate(recall(ours, t), 2)}/{fmt_rate(recall(peer, t) if peer else None, 2)}"
                for t in SWEEP
            ]
            sweep.append([label, len(ours), *cells])
    first = table("Recall: share of positives whose true entity scores ≥ threshold", head, main)
    second = table(
        "Recall by threshold (ours/peer)", ["set", "n", *[f"{t:.2f}" for t in SWEEP]], sweep
    )
    return first + "\n\n" + second


def _alert_table(measured: list[Measured]) -> str:
    head = ["set", "n ours", f"ours@{DEFAULT_THRESHOLD:.2f}", "n peer", "ours same rows"]
    head += [f"peer@{PEER_THRESHOLD:.2f}", *[f"ours@{t:.2f}" for t in SWEEP]]
    rows: list[list[object]] = []
    for item in (m for m in measured if m.experiment.kind == "alerts"):
        sample = item.ours_on_peer_cases() if item.peer else []
        rows.append(
            [
                item.experiment.title,
                len(item.ours),
                fmt_rate(alert_rate(item.ours, DEFAULT_THRESHOLD), 4),
                len(item.peer or []),
                fmt_rate(alert_rate(sample, DEFAULT_THRESHOLD), 4) if sample else "-",
                fmt_rate(alert_rate(item.peer, PEER_THRESHOLD), 4) if item.peer else "-",
                *[fmt_rate(alert_rate(item.ours, t), 4) for t in SWEEP],
            ]
        )
    return table("False alerts: share of clean customers with any match ≥ threshold", head, rows)


def _pick(measured: list[Measured], key: str) -> Measured | None:
    return next((m for m in measured if m.experiment.key == key), None)


def _group_recall(item: Measured | None, group: str, threshold: float, peer: bool) -> float:
    if item is None:
        return float("nan")
    for label, ours, theirs in item.rows():
        if label.strip() == group or (group == "" and label == item.experiment.title):
            chosen = theirs if peer else ours
            return recall(chosen, threshold) if chosen else float("nan")
    return float("nan")


def _targets(measured: list[Measured], negatives: list[Outcome], peer_neg: list[Outcome]) -> str:
    held = _pick(measured, "held_out_alias")
    script = _pick(measured, "cross_script")
    rows: list[list[object]] = []
    checks = [
        ("same-script held-out alias recall (shares words)", held, "shares words", "≥ 0.95"),
        ("cross-script recall, all", script, "", "≥ 0.90"),
        ("cross-script recall, Arabic", script, "Arabic", "≥ 0.90"),
        ("cross-script recall, Cyrillic", script, "Cyrillic", "≥ 0.90"),
    ]
    for label, item, group, target in checks:
        rows.append(
            [
                label,
                target,
                fmt_rate(_group_recall(item, group, DEFAULT_THRESHOLD, False)),
                fmt_rate(_group_recall(item, group, PEER_THRESHOLD, True)),
            ]
        )
    rows.append(
        [
            "clean customers alerted (both negatives files)",
            "≤ 0.01",
            fmt_rate(alert_rate(negatives, DEFAULT_THRESHOLD), 4),
            fmt_rate(alert_rate(peer_neg, PEER_THRESHOLD), 4) if peer_neg else "-",
        ]
    )
    head = ["target", "goal", f"ours@{DEFAULT_THRESHOLD:.2f}", f"peer@{PEER_THRESHOLD:.2f}"]
    return table("Targets (DESIGN.md §5)", head, rows)


def _misses(measured: list[Measured], per_set: int = 5) -> str:
    lines = ["Examples our matcher missed at the default threshold (query → our best match):"]
    for item in measured:
        if item.experiment.kind != "recall" or (
            not item.experiment.with_attributes
            and (item.experiment.key not in {"held_out_alias", "cross_script"})
        ):
            continue
        missed = [
            (c, o)
            for c, o in zip(item.experiment.cases, item.ours, strict=True)
            if o.truth_score < DEFAULT_THRESHOLD and c.group != "nom de guerre"
        ][:per_set]
        for case, outcome in missed:
            truth = ", ".join(sorted(case.truth))
            lines.append(
                f"  [{item.experiment.key}] {case.query.name!r} (truth {truth}"
                f" scored {outcome.truth_score:.2f}) → {outcome.top_name!r} {outcome.top_id}"
                f" {outcome.top_score:.2f}"
            )
    return "\n".join(lines)


def _facts_text(the_plan: Plan, runner: Runner, measured: list[Measured]) -> str:
    lines = ["Setup:"]
    for name, entities in the_plan.indexes.items():
        names = sum(len(e.names) for e in entities)
        built = ", ".join(f"{w} {s:.1f} s" for w, s in runner.build_seconds.get(name, {}).items())
        lines.append(f"  index {name}: {len(entities):,} entities, {names:,} names; build {built}")
    for key, value in the_plan.facts.items():
        lines.append(f"  {key}: {value}")
    for item in measured:
        peer = f", peer {item.peer_seconds:.1f} s ({len(item.peer)})" if item.peer else ""
        lines.append(
            f"  ran {item.experiment.key}: ours {item.ours_seconds:.1f} s ({len(item.ours)}){peer}"
        )
    return "\n".join(lines)


def _json(measured: list[Measured], thresholds: dict[str, float | None]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in measured:
        measure: Callable[[Sequence[Outcome], float], float] = (
            recall if item.experiment.kind == "recall" else alert_rate
        )
        for label, ours, peer in item.rows():
            out.append(
                {
                    "experiment": item.experiment.key,
                    "row": label.strip(),
                    "kind": item.experiment.kind,
                    "with_attributes": item.experiment.with_attributes,
                    "n_ours": len(ours),
                    "n_peer": len(peer) if peer else 0,
                    "ours": {f"{t:.2f}": measure(ours, t) for t in (*SWEEP, DEFAULT_THRESHOLD)},
                    "peer": {f"{t:.2f}": measure(peer, t) for t in SWEEP} if peer else None,
                    "ours_at_operating_point": measure(ours, thresholds["ours"] or 1.0),
                    "peer_at_operating_point": (
                        measure(peer, thresholds["peer"]) if peer and thresholds["peer"] else None
                    ),
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the quality benchmark, print its tables and write its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run (UN list, subsets)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("--seed", type=int, default=20260301, help="seed for samples and typos")
    parser.add_argument("--peer-negatives", type=int, default=5000, help="peer sample per file")
    parser.add_argument("--workers", type=int, default=2, help="processes per matcher")
    parser.add_argument("--no-peer", action="store_true", help="skip nomenklatura logic-v2")
    parser.add_argument(
        "--matcher", choices=sorted(MATCHERS), default=DEFAULT_MATCHER, help="our matcher"
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder for the JSON")
    parser.add_argument(
        "--resume", action="store_true", help="reuse experiments an interrupted run finished"
    )
    args = parser.parse_args(argv)
    check_data(args.data)
    started = time.perf_counter()
    the_plan = plan(args.data, quick=args.quick, seed=args.seed, peer_negatives=args.peer_negatives)
    out_dir: Path = args.out or OUT_DIR
    name = "screening_quality_quick" if args.quick else "screening_quality"
    base = f"{args.matcher}|peer={not args.no_peer}"
    saved = Checkpoint(out_dir / f"{name}.partial.jsonl", base, resume=args.resume)
    runner = Runner(the_plan, args.workers, not args.no_peer, saved, args.matcher)
    measured = [runner.measure(experiment) for experiment in the_plan.experiments]
    negatives = [
        o
        for m in measured
        if m.experiment.key in {"negatives_global", "negatives_us"}
        for o in m.ours
    ]
    peer_neg = [
        o
        for m in measured
        if m.experiment.key in {"negatives_global", "negatives_us"}
        for o in (m.peer or [])
    ]
    thresholds: dict[str, float | None] = {
        "ours": threshold_for_alerts(negatives, ALERT_BUDGET),
        "peer": threshold_for_alerts(peer_neg, ALERT_BUDGET) if peer_neg else None,
    }
    print(
        f"Screening quality — ours {args.matcher} (threshold {DEFAULT_THRESHOLD:.2f}) vs "
        f"nomenklatura logic-v2 (threshold {PEER_THRESHOLD:.2f}){' — QUICK' if args.quick else ''}"
    )
    print(_facts_text(the_plan, runner, measured), end="\n\n")
    print(
        f"Operating point '≤ 1% of clean customers alerted' (both negatives files, with "
        f"attributes): ours {thresholds['ours']:.2f}, peer "
        f"{thresholds['peer'] if thresholds['peer'] is not None else '-'}\n"
    )
    print(_recall_tables(measured, thresholds["ours"] or 1.0, thresholds["peer"]), end="\n\n")
    print(_alert_table(measured), end="\n\n")
    print(_targets(measured, negatives, peer_neg), end="\n\n")
    print(_misses(measured))
    elapsed = time.perf_counter() - started
    data = {
        "benchmark": "screening_quality",
        "environment": environment(),
        "matcher": args.matcher,
        "default_threshold": DEFAULT_THRESHOLD,
        "peer": None
        if args.no_peer
        else {"name": "nomenklatura logic-v2", "threshold": PEER_THRESHOLD},
        "operating_point_thresholds": thresholds,
        "facts": the_plan.facts,
        "build_seconds": runner.build_seconds,
        "rows": _json(measured, thresholds),
        "elapsed_seconds": elapsed,
    }
    path = write_json(name, data, out_dir)
    print(f"\nwrote {path} in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
