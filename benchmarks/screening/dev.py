"""Development benchmark: name_v1, name_v2 and nomenklatura logic-v2 on one dev set, one run.

Run ``python -m benchmarks.screening.dev`` (``--quick`` for a run of a few minutes, ``--no-peer``
without logic-v2). The cases (:mod:`benchmarks.screening.devset`) come from the OFAC, UK and UN
lists (held-out aliases, evasions, hard negatives), Faker customers in ten locales and labelled
pairs; each is in the ``dev`` part or the **frozen** part (30 %, by hash). The frozen part is
reported apart and is never tuned on: look at its figures only to check a change made on dev.

Per matcher and part: recall at the matcher's default threshold; recall at the operating point
where at most 1 % of the *dev* clean customers are alerted (the same threshold is applied to the
frozen part); best F1 over thresholds (positives: held-out aliases sharing a word, evasions and
positive pairs; negatives: hard negatives and negative pairs); F1 of the labelled pairs; recall
per family; clean-customer and hard-negative alert rates. Tables go to stdout, figures to
``benchmarks/out/screening_dev.json`` (``screening_dev_quick.json`` with ``--quick``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.screening.devset import DevCase, DevSet, Pair, build_devset, pair_entity, pair_query
from benchmarks.screening.outcome import Outcome, run_ours
from benchmarks.screening.report import OUT_DIR, environment, fmt_rate, table, write_json
from benchmarks.screening.sources import DEFAULT_DATA, check_data, load_lists
from interdict.screening import DEFAULT_THRESHOLD, Screener

__all__ = ["MatcherRun", "Summary", "best_f1", "main", "summarise"]

OURS = ("name_v1", "name_v2")
PEER = "logic-v2"
PEER_THRESHOLD = 0.7
ALERT_BUDGET = 0.01
STEPS = tuple(step / 100 for step in range(1, 101))
"""Thresholds swept, 0.01 … 1.00 (at 0 a true entity never returned would count as found)."""
PARTS = ("dev", "frozen")
HEADLINE_EXCLUDED = "no shared word"
"""Aliases sharing no word with the entity's other names are counted apart, not in headlines."""


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the figures)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class MatcherRun:
    """One matcher's scores: per case the outcome, per labelled pair the score."""

    name: str
    threshold: float
    outcomes: list[Outcome]
    pair_scores: list[float]


# --- screening --------------------------------------------------------------------------------


def run_ours_matcher(devset: DevSet, matcher: str, workers: int) -> MatcherRun:
    """Screen every case and pair with our matcher ``matcher``."""
    progress(f"{matcher}: building the index of {len(devset.entities):,} entities")
    screener = Screener(devset.entities, matcher=matcher)
    progress(f"{matcher}: screening {len(devset.cases):,} cases")
    cases = [item.case for item in devset.cases]
    outcomes = run_ours(screener, cases, with_attributes=True, workers=workers)
    del screener
    scores: list[float] = []
    for pair, _ in devset.pairs:
        result = Screener([pair_entity(pair)], matcher=matcher).screen(
            pair_query(pair).party(), threshold=0.0
        )
        scores.append(result.matches[0].score if result.matches else 0.0)
    return MatcherRun(matcher, DEFAULT_THRESHOLD, outcomes, scores)


def run_peer_matcher(devset: DevSet, workers: int) -> MatcherRun:
    """Screen every case (behind the n-gram candidate step) and pair with logic-v2."""
    from nomenklatura.matching import LogicV2

    from benchmarks.screening.peer import PeerIndex, entity_proxy, query_proxy, run_peer

    progress(f"{PEER}: building the candidate index")
    index = PeerIndex(devset.entities)
    progress(f"{PEER}: screening {len(devset.cases):,} cases")
    outcomes = list(run_peer(index, [item.case for item in devset.cases], workers))
    scores = [
        float(
            LogicV2.compare(
                query_proxy(pair_query(pair)), entity_proxy(pair_entity(pair)), index.config
            ).score
        )
        for pair, _ in devset.pairs
    ]
    return MatcherRun(PEER, PEER_THRESHOLD, outcomes, scores)


# --- figures ----------------------------------------------------------------------------------


def _share(values: Sequence[bool]) -> float:
    return sum(values) / len(values) if values else float("nan")


def best_f1(positives: Sequence[float], negatives: Sequence[float]) -> tuple[float, float]:
    """The best F1 over thresholds 0.01 … 1.00 and the threshold reaching it.

    ``positives``: the true entity's score for each positive; ``negatives``: the forbidden
    entity's score for each negative (an alert on it at ``t`` is a false positive).
    """
    best, at = 0.0, 1.0
    for threshold in STEPS:
        f1 = f1_at(positives, negatives, threshold)
        if f1 > best:
            best, at = f1, threshold
    return best, at


def f1_at(positives: Sequence[float], negatives: Sequence[float], threshold: float) -> float:
    """F1 at ``threshold`` (0 when nothing is found)."""
    found = sum(score >= threshold for score in positives)
    false = sum(score >= threshold for score in negatives)
    if found == 0:
        return 0.0
    precision = found / (found + false)
    recall = found / len(positives)
    return 2 * precision * recall / (precision + recall)


def operating_threshold(clean_tops: Sequence[float], budget: float = ALERT_BUDGET) -> float:
    """The lowest threshold (step 0.01) at which at most ``budget`` of clean customers alert."""
    for threshold in STEPS:
        if _share([top >= threshold for top in clean_tops]) <= budget:
            return threshold
    return 1.0


@dataclass
class Summary:
    """One matcher's figures on one part."""

    matcher: str
    part: str
    threshold: float
    operating_threshold: float
    figures: dict[str, Any]


def _pairs_in(devset: DevSet, part: str) -> list[int]:
    wanted = {"dev", "spec"} if part == "dev" else {part}
    return [i for i, (_, p) in enumerate(devset.pairs) if p in wanted]


def summarise(devset: DevSet, run: MatcherRun, part: str, op: float) -> Summary:
    """The figures of ``run`` on ``part``, with ``op`` as its operating threshold."""
    t = run.threshold
    chosen = [(c, o) for c, o in zip(devset.cases, run.outcomes, strict=True) if c.part == part]
    positives = [(c, o) for c, o in chosen if c.kind == "positive"]
    headline = [o.truth_score for c, o in positives if not _is_apart(c)]
    aliases = [o.truth_score for c, o in positives if not _is_apart(c) and not _is_evasion(c)]
    hard = [(c, o) for c, o in chosen if c.kind == "hard negative"]
    clean = [(c, o) for c, o in chosen if c.kind == "clean"]
    pair_rows = [(devset.pairs[i][0], run.pair_scores[i]) for i in _pairs_in(devset, part)]
    pos_pairs = [s for pair, s in pair_rows if pair.match]
    neg_pairs = [s for pair, s in pair_rows if not pair.match]
    hard_scores = [o.truth_score for _, o in hard]
    f1, f1_t = best_f1(headline + pos_pairs, hard_scores + neg_pairs)
    pairs_f1, pairs_t = best_f1(pos_pairs, neg_pairs)
    families = sorted({c.family for c, _ in positives})
    groups = sorted({c.family for c, _ in hard})
    locales = sorted({c.family for c, _ in clean})
    pair_families = sorted({pair.family for pair, _ in pair_rows})
    figures: dict[str, Any] = {
        "n_positives": len(headline),
        "recall_aliases_sharing_words": _share([s >= t for s in aliases]),
        "recall_aliases_sharing_words_at_operating_point": _share([s >= op for s in aliases]),
        "n_aliases_sharing_words": len(aliases),
        "recall": _share([s >= t for s in headline]),
        "recall_at_operating_point": _share([s >= op for s in headline]),
        "best_f1": f1,
        "best_f1_threshold": f1_t,
        "f1_at_default": f1_at(headline + pos_pairs, hard_scores + neg_pairs, t),
        "pairs_n": len(pair_rows),
        "pairs_f1_at_default": f1_at(pos_pairs, neg_pairs, t),
        "pairs_best_f1": pairs_f1,
        "pairs_best_f1_threshold": pairs_t,
        "clean_n": len(clean),
        "clean_alert_rate": _share([o.top_score >= t for _, o in clean]),
        "clean_alert_rate_at_operating_point": _share([o.top_score >= op for _, o in clean]),
        "hard_negative_n": len(hard),
        "hard_negative_alert_rate": _share([s >= t for s in hard_scores]),
        "hard_negative_alert_rate_at_operating_point": _share([s >= op for s in hard_scores]),
        "families": {
            family: _family([o.truth_score for c, o in positives if c.family == family], t, op)
            for family in families
        },
        "hard_negative_groups": {
            group: _alerts([o.truth_score for c, o in hard if c.family == group], t, op)
            for group in groups
        },
        "clean_locales": {
            locale: _alerts([o.top_score for c, o in clean if c.family == locale], t, op)
            for locale in locales
        },
        "pair_families": {
            family: _pair_family([(p, s) for p, s in pair_rows if p.family == family], t)
            for family in pair_families
        },
    }
    return Summary(run.name, part, t, op, figures)


def _is_apart(case: DevCase) -> bool:
    return case.family == HEADLINE_EXCLUDED


def _is_evasion(case: DevCase) -> bool:
    return case.family.startswith("evasion")


def _family(scores: list[float], t: float, op: float) -> dict[str, Any]:
    return {
        "n": len(scores),
        "recall": _share([s >= t for s in scores]),
        "recall_at_operating_point": _share([s >= op for s in scores]),
    }


def _alerts(scores: list[float], t: float, op: float) -> dict[str, Any]:
    return {
        "n": len(scores),
        "alert_rate": _share([s >= t for s in scores]),
        "alert_rate_at_operating_point": _share([s >= op for s in scores]),
    }


def _pair_family(rows: list[tuple[Pair, float]], t: float) -> dict[str, Any]:
    right = [(s >= t) is pair.match for pair, s in rows]
    return {"n": len(rows), "correct_at_default": _share(right)}


# --- tables -----------------------------------------------------------------------------------


def _summary_table(part: str, summaries: list[Summary]) -> str:
    head = [
        "matcher",
        "t",
        "recall@t",
        "aliases@t",
        "t(1% clean)",
        "recall@op",
        "aliases@op",
        "best F1 (t)",
        "pairs F1@t",
        "pairs best F1",
        "clean@t",
        "hard neg@t",
    ]
    rows: list[list[object]] = []
    for s in summaries:
        f = s.figures
        rows.append(
            [
                s.matcher,
                f"{s.threshold:.2f}",
                fmt_rate(f["recall"]),
                fmt_rate(f["recall_aliases_sharing_words"]),
                f"{s.operating_threshold:.2f}",
                fmt_rate(f["recall_at_operating_point"]),
                fmt_rate(f["recall_aliases_sharing_words_at_operating_point"]),
                f"{fmt_rate(f['best_f1'])} ({f['best_f1_threshold']:.2f})",
                fmt_rate(f["pairs_f1_at_default"]),
                f"{fmt_rate(f['pairs_best_f1'])} ({f['pairs_best_f1_threshold']:.2f})",
                fmt_rate(f["clean_alert_rate"], 4),
                fmt_rate(f["hard_negative_alert_rate"], 4),
            ]
        )
    first = summaries[0].figures
    title = (
        f"{part.upper()} part — positives {first['n_positives']:,} (aliases sharing a word "
        f"{first['n_aliases_sharing_words']:,}), hard negatives {first['hard_negative_n']:,}, "
        f"clean customers {first['clean_n']:,}, pairs {first['pairs_n']}"
    )
    return table(title, head, rows)


def _breakdown(
    part: str, summaries: list[Summary], key: str, value: str, at_op: str, title: str
) -> str:
    names = sorted({name for s in summaries for name in s.figures[key]})
    head = ["", "n", *[f"{s.matcher} @t / @op" for s in summaries]]
    rows: list[list[object]] = []
    for name in names:
        cells = []
        n = 0
        for s in summaries:
            item = s.figures[key].get(name)
            if item is None:
                cells.append("-")
                continue
            n = item["n"]
            cells.append(f"{fmt_rate(item[value])} / {fmt_rate(item[at_op])}")
        rows.append([name, n, *cells])
    return table(f"{part.upper()} — {title}", head, rows)


def _pair_table(part: str, summaries: list[Summary]) -> str:
    names = sorted({name for s in summaries for name in s.figures["pair_families"]})
    head = ["family", "n", *[s.matcher for s in summaries]]
    rows = [
        [
            name,
            summaries[0].figures["pair_families"][name]["n"],
            *[fmt_rate(s.figures["pair_families"][name]["correct_at_default"]) for s in summaries],
        ]
        for name in names
    ]
    return table(f"{part.upper()} — labelled pairs right at each default threshold", head, rows)


def _misses(devset: DevSet, run: MatcherRun, per_family: int = 3) -> str:
    lines = [f"Examples {run.name} missed at {run.threshold:.2f} (dev part; query → truth):"]
    shown: dict[str, int] = {}
    for case, outcome in zip(devset.cases, run.outcomes, strict=True):
        if case.kind != "positive" or case.part != "dev" or outcome.truth_score >= run.threshold:
            continue
        if shown.get(case.family, 0) >= per_family:
            continue
        shown[case.family] = shown.get(case.family, 0) + 1
        truth = ", ".join(sorted(case.case.truth))
        lines.append(
            f"  [{case.family}] {case.case.query.name!r} → {truth} scored "
            f"{outcome.truth_score:.2f}; top {outcome.top_id} {outcome.top_score:.2f}"
        )
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------


def _runs(devset: DevSet, with_peer: bool, workers: int) -> list[MatcherRun]:
    runs = [run_ours_matcher(devset, matcher, workers) for matcher in OURS]
    if with_peer:
        runs.append(run_peer_matcher(devset, workers))
    return runs


def summaries_for(devset: DevSet, runs: list[MatcherRun]) -> dict[str, list[Summary]]:
    """Each run's figures on the dev and frozen parts (operating point chosen on dev)."""
    result: dict[str, list[Summary]] = {part: [] for part in PARTS}
    for run in runs:
        dev_clean = [
            o.top_score
            for c, o in zip(devset.cases, run.outcomes, strict=True)
            if c.kind == "clean" and c.part == "dev"
        ]
        op = operating_threshold(dev_clean)
        for part in PARTS:
            result[part].append(summarise(devset, run, part, op))
    return result


def main(argv: list[str] | None = None) -> int:
    """Build the dev set, screen it with every matcher, print the tables and write the JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few minutes: 40 cases a family")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("--seed", type=int, default=20261208, help="seed for the choices")
    parser.add_argument(
        "--per-family", type=int, default=None, help="cases per family (default: all; quick 40)"
    )
    parser.add_argument(
        "--per-locale", type=int, default=None, help="clean customers per locale (500; quick 40)"
    )
    parser.add_argument("--workers", type=int, default=2, help="processes per matcher")
    parser.add_argument("--no-peer", action="store_true", help="skip nomenklatura logic-v2")
    parser.add_argument("--out", type=Path, default=None, help="output folder for the JSON")
    args = parser.parse_args(argv)
    check_data(args.data)
    per_family: int | None = args.per_family or (40 if args.quick else None)
    per_locale: int = args.per_locale or (40 if args.quick else 500)
    progress("loading the lists")
    entities = load_lists(args.data)
    devset = build_devset(entities, seed=args.seed, per_family=per_family, per_locale=per_locale)
    runs = _runs(devset, not args.no_peer, args.workers)
    by_part = summaries_for(devset, runs)
    label = " — QUICK" if args.quick else ""
    print(f"Development benchmark: {', '.join(r.name for r in runs)}{label}")
    print(
        f"Defaults: name_v1/name_v2 {DEFAULT_THRESHOLD:.2f}, logic-v2 {PEER_THRESHOLD:.2f}; "
        "op = lowest threshold with ≤ 1 % of the DEV clean customers alerted (also used on "
        "frozen). The FROZEN part is never tuned on.\n"
    )
    sections: list[tuple[str, str, str, str]] = [
        ("families", "recall", "recall_at_operating_point", "recall per family"),
        (
            "hard_negative_groups",
            "alert_rate",
            "alert_rate_at_operating_point",
            "hard negatives alerting as the entity they must not match",
        ),
        (
            "clean_locales",
            "alert_rate",
            "alert_rate_at_operating_point",
            "clean customers alerted, per Faker locale",
        ),
    ]
    for part in PARTS:
        summaries = by_part[part]
        print(_summary_table(part, summaries), end="\n\n")
        for key, value, at_op, title in sections:
            print(_breakdown(part, summaries, key, value, at_op, title), end="\n\n")
        print(_pair_table(part, summaries), end="\n\n")
    for run in runs:
        print(_misses(devset, run), end="\n\n")
    out_dir: Path = args.out or OUT_DIR
    name = "screening_dev_quick" if args.quick else "screening_dev"
    data: dict[str, Any] = {
        "benchmark": "screening_dev",
        "environment": environment(),
        "matchers": {run.name: run.threshold for run in runs},
        "facts": devset.facts,
        "parts": {
            part: {
                s.matcher: {"operating_threshold": s.operating_threshold, **s.figures}
                for s in by_part[part]
            }
            for part in PARTS
        },
    }
    path = write_json(name, data, out_dir)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
