"""Private matching over loopback: two overlapping customer bases, one exchange, and how it
compares with plain (non-private) screening of the same data.

    python -m benchmarks.exchange.run --size 2000

Side B imports its base and serves it (a real ``interdict serve`` process with a ``peer``
key); side A runs the exchange (:func:`interdict.exchange.run_exchange`, what ``interdict
exchange match`` calls). The reference is plain screening with the default matcher and
threshold: A's customers screened against B's customers loaded as a list. Printed: recall of
the exchange against plain screening and against the planted pairs (by kind of variant),
precision, wall time, CPU seconds of both sides, load average and bytes each way. Times are
figures of this machine at that moment (see the load average), not claims.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from benchmarks.exchange.data import Bases, build_bases, write_rows
from interdict.exchange import prepare, run_exchange
from interdict.exchange.asking import DEFAULT_THRESHOLD, ExchangeResult
from interdict.model import Entity, Name, PartialDate, Party, Provenance, Schema
from interdict.screening import Screener

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
DRIVER = "from interdict.cli import main\nmain()\n"


def _cli(home: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, *args],
        env={**os.environ, "INTERDICT_HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"interdict {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def _party(row: dict[str, str]) -> Party:
    return Party(
        id=row["id"],
        name=row["name"],
        birth_date=row["birth_date"] or None,
        id_number=row["id_number"] or None,
    )


def plain_pairs(bases: Bases) -> set[tuple[str, str]]:
    """What plain screening with the default matcher finds: A's customers against B's."""
    entities = [
        Entity(
            source_id=row["id"],
            schema=Schema.PERSON,
            names=(Name(full=row["name"]),),
            birth_dates=(PartialDate.parse(row["birth_date"]),) if row["birth_date"] else (),
            provenance=Provenance(list_name="peer", list_version=1),
        )
        for row in bases.b
    ]
    screener = Screener(entities)
    found = set()
    for result in screener.screen_many(_party(row) for row in bases.a):
        found.update((result.id, m.source_id) for m in result.matches)
    return found


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, "serve", "--port", str(port), "--reload-seconds", "0"],
        env={**os.environ, "INTERDICT_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the answering service did not start")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2000, help="Customers on each side.")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show-missed", action="store_true", help="List missed planted pairs.")
    parser.add_argument("--skip-plain", action="store_true", help="No plain-screening baseline.")
    args = parser.parse_args()
    if not (args.data / "lists" / "un").is_dir():
        raise SystemExit(f"needs the shared data folder (lists/un, benchmarks/): {args.data}")
    bases = build_bases(args.size, args.data)
    print(
        f"sides: {len(bases.a):,} × {len(bases.b):,} customers, {len(bases.planted)} planted"
        f" overlaps {bases.variants}"
    )
    with tempfile.TemporaryDirectory(prefix="interdict-exchange-") as folder:
        root = Path(folder)
        for side, rows in (("a", bases.a), ("b", bases.b)):
            write_rows(root / f"{side}.csv", rows)
            _cli(root / side, "customers", "import", str(root / f"{side}.csv"))
        key = _cli(root / "b", "keys", "create", "--role", "peer").strip()
        server, url = _serve(root / "b")
        try:
            answering = psutil.Process(server.pid)
            load_before = os.getloadavg()
            server_cpu = sum(answering.cpu_times()[:2])
            started, cpu = time.perf_counter(), _cpu()
            own = prepare([_party(r) for r in bases.a], identifiers=True, names=True)
            result = run_exchange(own, peer=url, key=key, threshold=args.threshold)
            wall = time.perf_counter() - started
            asking_cpu = _cpu() - cpu
            server_cpu = sum(answering.cpu_times()[:2]) - server_cpu
            load_after = os.getloadavg()
        finally:
            server.terminate()
            server.wait(timeout=30)
        refs = _refs(root / "b", bases, result.exchange_id)
    found = {(h.customer_id, h.peer_ref) for h in result.hits}
    pairs = {(a, refs[r]) for a, r in found if r in refs}
    by_method: dict[str, int] = {}
    for hit in result.hits:
        by_method[hit.method] = by_method.get(hit.method, 0) + 1
    print(
        f"exchange {result.exchange_id}: {len(result.hits)} hits {by_method},"
        f" {result.compared_pairs:,} filter pairs compared, {result.evaluated:,} items evaluated"
    )
    print(
        f"wall {wall:.2f} s; CPU asking {asking_cpu:.2f} s, answering {server_cpu:.2f} s;"
        f" load average {load_before[0]:.2f} → {load_after[0]:.2f} (1 min)"
    )
    print(f"bytes sent A→B {result.bytes_sent:,}, B→A {result.bytes_received:,}")
    planted_found = pairs & bases.planted
    by_id = {(a, refs[r]) for a, r, m in _triples(result) if m == "identifier" and r in refs}
    false_ids = by_id - bases.with_identifier
    print(
        f"identifiers: {len(by_id & bases.with_identifier)}/{len(bases.with_identifier)} planted"
        f" shared identifiers found, {len(false_ids)} false identifier hits"
    )
    print(
        f"planted recall {len(planted_found)}/{len(bases.planted)}"
        f" = {len(planted_found) / max(1, len(bases.planted)):.3f}, by variant "
        + ", ".join(
            f"{kind} {sum(1 for p in planted_found if bases.kinds[p] == kind)}/{count}"
            for kind, count in sorted(bases.variants.items())
        )
    )
    if args.show_missed:
        names_a = {r["id"]: r["name"] for r in bases.a}
        names_b = {r["id"]: r["name"] for r in bases.b}
        for a, b in sorted(bases.planted - planted_found):
            print(f"  missed {bases.kinds[(a, b)]}: {names_a[a]!r} ~ {names_b[b]!r}")
    if not args.skip_plain:
        started = time.perf_counter()
        plain = plain_pairs(bases)
        print(
            f"plain screening (default matcher): {len(plain)} pairs"
            f" ({time.perf_counter() - started:.1f} s)"
        )
        truth = plain | bases.planted
        if args.show_missed:
            rows_a = {r["id"]: r for r in bases.a}
            rows_b = {r["id"]: r for r in bases.b}
            for a, b in sorted(plain - pairs):
                print(
                    f"  plain only: {rows_a[a]['name']!r} {rows_a[a]['birth_date'][:4]}"
                    f" ~ {rows_b[b]['name']!r} {rows_b[b]['birth_date'][:4]}"
                )
            for a, b in sorted(pairs - plain - bases.planted):
                print(
                    f"  exchange only: {rows_a[a]['name']!r} {rows_a[a]['birth_date'][:4]}"
                    f" ~ {rows_b[b]['name']!r} {rows_b[b]['birth_date'][:4]}"
                )
        years_a = {r["id"]: r["birth_date"][:4] for r in bases.a}
        years_b = {r["id"]: r["birth_date"][:4] for r in bases.b}
        same_year = {(a, b) for a, b in plain if years_a[a] == years_b[b]}
        print(
            f"recall vs plain screening's {len(same_year)} pairs born the same year (the"
            f" birth-year salt compares no others):"
            f" {len(pairs & same_year) / max(1, len(same_year)):.3f}"
        )
        recall = len(pairs & plain) / max(1, len(plain))
        precision = len(pairs & truth) / max(1, len(pairs))
        print(
            f"recall vs plain screening {recall:.3f}; precision (vs plain ∪ planted)"
            f" {precision:.3f}; plain's planted recall"
            f" {len(plain & bases.planted) / max(1, len(bases.planted)):.3f}"
        )


def _triples(result: ExchangeResult) -> list[tuple[str, str, str]]:
    return [(h.customer_id, h.peer_ref, h.method) for h in result.hits]


def _refs(home: Path, bases: Bases, exchange_id: str) -> dict[str, str]:
    """Peer reference → B's customer id, from B's own record of the exchange (what B would
    do to answer a follow-up request): only to score the benchmark."""
    record = json.loads((home / "service" / "exchanges" / f"{exchange_id}.json").read_text())
    secret = bytes.fromhex(record["ref_secret"])
    return {
        "P" + hmac.new(secret, row["id"].encode(), hashlib.sha256).digest()[:8].hex(): row["id"]
        for row in bases.b
    }


if __name__ == "__main__":
    main()
