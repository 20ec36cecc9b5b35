"""Delta rescreen of 1,000,000 customers after the real UN update of 2026-02-27 (+4 persons).

Steps, each timed: synthesise the customer base (benchmarks/rescreen/customers.py); import UN
2026-01-28 into a fresh workspace; import the customers (name keys computed once, on all
cores); mark the base as screened against that version (the initial full screening is the
batch-screening benchmark's subject); ``lists update --from`` with the 2026-02-27 snapshot;
then the measured step, ``rescreen``. Prints the figures and checks that every planted new
designee — and nothing already listed before — is raised.

    python -m benchmarks.rescreen.run            # 1,000,000 customers
    python -m benchmarks.rescreen.run --quick    # 100,000 customers
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from benchmarks.rescreen.customers import NEW_DESIGNEES, OLD_DESIGNEES, write_customers
from interdict.lifecycle.customers import import_customers
from interdict.lifecycle.rescreen import rescreen
from interdict.lifecycle.sources import ListSource, SourceFile
from interdict.lifecycle.update import update_lists
from interdict.readers import read_list
from interdict.store import AlertStore, Workspace
from interdict.store.alerts import RunRecord
from interdict.store.audit import utc_now

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
UN_OLD = "lists/un/un_consolidated_2026-01-28.xml"
UN_NEW = "lists/un/un_consolidated_2026-02-27.xml"
YENTE = "benchmarks/yente_candidate_generation"
_T = TypeVar("_T")


def _timed(label: str, figures: dict[str, float], action: Callable[[], _T]) -> _T:
    started = time.perf_counter()
    result = action()
    figures[label] = time.perf_counter() - started
    print(f"  {label:<44} {figures[label]:8.2f} s", flush=True)
    return result


def _mark_screened(home: Path) -> None:
    with Workspace(home) as ws:
        run = RunRecord("baseline", utc_now(), [], [], {"customers": 1, "list:un": 1})
        AlertStore(ws).commit_run(run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 customers")
    parser.add_argument("--customers", type=int, default=None, help="how many customers")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--keep", type=Path, default=None, help="keep the workspace here")
    args = parser.parse_args()
    count = args.customers or (100_000 if args.quick else 1_000_000)
    if not (args.data / UN_NEW).is_file() or not (args.data / YENTE).is_dir():
        raise SystemExit(f"benchmark data not found in {args.data} (the shared data folder)")
    work = Path(tempfile.mkdtemp(prefix="interdict-rescreen-"))
    home = args.keep or work / "ws"
    figures: dict[str, float] = {}
    print(f"delta rescreen benchmark: {count:,} customers, {os.cpu_count()} cores, in {work}")
    try:
        customers = work / "customers.csv"
        _timed(
            "synthesise customers",
            figures,
            lambda: write_customers(customers, count, args.data / YENTE),
        )
        old = args.data / UN_OLD
        with Workspace(home) as ws:
            _timed(
                "import UN 2026-01-28",
                figures,
                lambda: ws.import_list(read_list(old, "un"), name="un", source=old),
            )
            outcome = _timed(
                "import customers (name keys, all cores)",
                figures,
                lambda: import_customers(ws, customers),
            )
        _mark_screened(home)
        drop = work / "drop"
        drop.mkdir()
        shutil.copyfile(args.data / UN_NEW, drop / "un_consolidated_2026-02-27.xml")
        source = ListSource(
            "un", "un", (SourceFile("consolidated.xml", None, ("un_consolidated*.xml",)),)
        )
        updated = _timed(
            "lists update --from (UN 2026-02-27)",
            figures,
            lambda: update_lists(home, {"un": source}, from_dir=drop),
        )
        with Workspace(home) as ws:
            report = _timed("RESCREEN (measured)", figures, lambda: rescreen(ws))
        _print_results(
            count,
            outcome.version.customers if outcome.version else 0,
            updated[0].message,
            report,
            figures,
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _print_results(
    count: int, stored: int, update: str, report: object, figures: dict[str, float]
) -> None:
    from interdict.lifecycle.rescreen import RescreenReport

    assert isinstance(report, RescreenReport)
    print(f"\nupdate: {update}")
    for step, seconds in report.timings.items():
        print(f"  rescreen step {step:<34} {seconds:8.2f} s")
    raised = {(a.customer_name, a.source_id) for a in report.alerts}
    print(
        f"\ncustomers stored: {stored:,};"
        f" candidates met by the 4 new entities: {report.candidates:,}"
    )
    print(f"new alerts: {len(report.alerts)}")
    for alert in sorted(report.alerts, key=lambda a: -a.score)[:20]:
        print(
            f"  {alert.score:.2f}  {alert.customer_id} {alert.customer_name!r}"
            f" → {alert.source_id} {alert.matched_name!r}"
        )
    found = sum(1 for p in NEW_DESIGNEES if (p.name, p.source_id) in raised)
    stale = sum(1 for p in OLD_DESIGNEES if any(name == p.name for name, _ in raised))
    planted_names = {p.name for p in NEW_DESIGNEES}
    others = sum(1 for name, _ in raised if name not in planted_names)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nplanted new designees raised: {found} of {len(NEW_DESIGNEES)}")
    print(f"already-listed designees raised again: {stale} (should be 0)")
    print(f"other customers alerted: {others} of {count:,} ({others / count:.4%})")
    print(
        f"rescreen: {figures['RESCREEN (measured)']:.2f} s for {count:,} customers"
        f" (target ≤ 10 s for 1M); peak RSS {peak:,.0f} MB"
    )


if __name__ == "__main__":
    main()
