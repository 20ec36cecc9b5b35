"""The screening service under load: latency, throughput, a soak, and a list swap under load.

``python -m benchmarks.service.run`` (``--quick`` for a two-minute smoke run). It imports the
real lists into a fresh workspace, starts ``interdict serve`` as its own process, and drives it
with the load generator (``loadgen.py``) in another process. Figures:

1. the engine alone, in process, on the same queries (what HTTP adds is the difference);
2. the floor: a name with no candidates, one connection (framework + auth + audit, no matching);
3. single-party latency at a fixed 100 requests/s (target p99 ≤ 10 ms);
4. throughput and latency at several concurrency levels (closed loop);
5. an offered 500 requests/s (target: sustained, no errors);
6. a soak at a fixed rate for minutes, with the server's resident memory sampled;
7. hot reload: a new UN list version imported by ``interdict lists import`` while the load
   runs; the swap time, failed requests (target 0) and latency around the swap.

Queries: single parties (name, date of birth) drawn with a fixed seed from OpenSanctions' yente
benchmark — a fifth UN positives, the rest invented negatives. The peer, yente, publishes about
4 requests/s per vCPU and needs Elasticsearch; it is not run here.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]

from benchmarks.screening.report import OUT_DIR, environment, table, write_json
from interdict.readers.parties import parse_party_fields
from interdict.screening import DEFAULT_THRESHOLD, Screener
from interdict.store import Workspace

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
MB = 1024 * 1024
TARGETS = {"p99_at_100": "≤ 10 ms", "sustained": "≥ 500 requests/s", "swap_failures": "0"}

CLI = """
from interdict.cli import app, main
from interdict.cli.keys import app as keys_app, audit_app
from interdict.cli.serve import screen_message_command, serve_command
names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
if "serve" not in names:
    app.add_typer(keys_app, name="keys")
    app.add_typer(audit_app, name="audit")
    app.command("serve")(serve_command)
    app.command("screen-message")(screen_message_command)
main()
"""


def interdict(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INTERDICT_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"interdict {' '.join(args)} failed:\n{done.stderr}")
    return done


def lists_to_import(quick: bool) -> list[tuple[str, str, str]]:
    lists = DATA / "lists"
    chosen = [(str(lists / "un" / "un_consolidated_2026-01-28.xml"), "un", "un")]
    if not quick:
        chosen += [
            (str(lists / "ofac"), "ofac", "ofac"),
            (str(lists / "uk" / "hmt_sanctionsconlist_2018-04-13.csv"), "uk", "uk"),
        ]
    return chosen


def query_bodies(count: int, seed: int) -> list[dict[str, Any]]:
    """Single-party requests: a fifth UN positives, the rest negatives (yente benchmark)."""
    folder = DATA / "benchmarks" / "yente_candidate_generation"
    rows: list[dict[str, str]] = []
    for name, share in (("positives_un_untreated.csv", 0.2), ("negatives_global.csv", 0.8)):
        with (folder / name).open(encoding="utf-8") as handle:
            found = list(csv.DictReader(handle))
        rows += random.Random(seed).sample(found, min(len(found), int(count * share * 1.5)))
    random.Random(seed).shuffle(rows)
    bodies = []
    for index, row in enumerate(rows):
        fields = {"id": f"q{index}", "name": row["full_name"], "birth_date": row["date_of_birth"]}
        if parse_party_fields(fields, index + 1).party is not None:  # keep what the API accepts
            bodies.append({"parties": [fields]})
    return bodies[:count]


def engine_latency(home: Path, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """The screener alone, in this process, on the same queries."""
    with Workspace(home, read_only=True) as workspace:
        entities = list(workspace.entities())
    started = time.perf_counter()
    screener = Screener(entities)
    build = time.perf_counter() - started
    times = []
    for index, body in enumerate(bodies):
        party = parse_party_fields(body["parties"][0], index + 1).party
        assert party is not None
        start = time.perf_counter()
        screener.screen(party, threshold=DEFAULT_THRESHOLD)
        times.append(time.perf_counter() - start)
    from benchmarks.service.loadgen import percentiles

    return {"entities": len(entities), "build_s": build, "latency_ms": percentiles(times)}


class Server:
    """``interdict serve`` in its own process; resident memory of it and its workers."""

    def __init__(self, home: Path, port: int, workers: int, pin: bool) -> None:
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "INTERDICT_HOME": str(home)}
        self.log = (home / "server.log").open("w")
        args = ["serve", "--port", str(port), "--workers", str(workers), "--reload-seconds", "2"]
        self.process = subprocess.Popen(
            [sys.executable, "-c", CLI, *args], env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        if pin:
            psutil.Process(self.process.pid).cpu_affinity([0])

    def wait_ready(self, timeout: float = 600) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"server exited; see {self.log.name}")
            try:
                if httpx.get(self.url + "/health", timeout=2).json().get("ready"):
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise SystemExit("server did not become ready")

    def rss_mb(self) -> float:
        process = psutil.Process(self.process.pid)
        total = process.memory_info().rss
        total += sum(c.memory_info().rss for c in process.children(recursive=True))
        return float(total) / MB

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def load(server: Server, key: str, bodies: Path, pin: bool, *mode: str) -> dict[str, Any]:
    """Run the load generator in its own process and return its figures."""
    command = [sys.executable, "-m", "benchmarks.service.loadgen", "--url", server.url]
    command += ["--key", key, "--bodies", str(bodies), *mode]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO)
    if pin:
        psutil.Process(process.pid).cpu_affinity([1])
    output, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"load generator failed: {' '.join(mode)}")
    result: dict[str, Any] = json.loads(output)
    return result


def row(label: str, result: dict[str, Any]) -> list[object]:
    latency = result["latency_ms"] or {}
    return [
        label,
        f"{result['throughput_rps']:,.0f}",
        f"{latency.get('p50', float('nan')):.2f}",
        f"{latency.get('p95', float('nan')):.2f}",
        f"{latency.get('p99', float('nan')):.2f}",
        f"{latency.get('max', float('nan')):.1f}",
        f"{result['ok']:,}",
        f"{result['failed']:,}",
    ]


HEAD = ["load", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "ok", "failed"]


def soak(
    server: Server, key: str, bodies: Path, pin: bool, rate: float, seconds: float
) -> dict[str, Any]:
    samples: list[tuple[float, float]] = []
    stop = threading.Event()
    started = time.monotonic()

    def sample() -> None:
        while not stop.is_set():
            samples.append((time.monotonic() - started, server.rss_mb()))
            stop.wait(max(1.0, seconds / 60))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = load(server, key, bodies, pin, "--rate", str(rate), "--duration", str(seconds))
    stop.set()
    sampler.join()
    half = [mb for t, mb in samples if t >= seconds / 2]
    result["rss_mb"] = {
        "first": samples[0][1],
        "last": samples[-1][1],
        "max": max(mb for _, mb in samples),
        "second_half_spread": (max(half) - min(half)) if half else 0.0,
        "samples": samples,
    }
    return result


def hot_reload(
    server: Server, home: Path, key: str, bodies: Path, pin: bool, seconds: float
) -> dict[str, Any]:
    """Import a new UN version while a fixed load runs; time the swap, count failures."""
    outcome: dict[str, Any] = {}
    generation = httpx.get(server.url + "/health").json()["generation"]

    def update() -> None:
        time.sleep(5)
        start = time.monotonic()
        source = DATA / "lists" / "un" / "un_consolidated_2026-02-27.xml"
        interdict(home, "lists", "import", str(source), "--format", "un", "--name", "un")
        imported = time.monotonic()
        outcome["import_s"] = imported - start
        outcome["import_at_s"] = 5.0
        while time.monotonic() - imported < seconds:
            try:
                health = httpx.get(server.url + "/health", timeout=30).json()
            except httpx.HTTPError:
                continue  # an overloaded server answers late; keep asking
            if health["generation"] > generation:
                outcome["swap_after_import_s"] = time.monotonic() - imported
                outcome["swapped_at_s"] = 5.0 + time.monotonic() - start
                return
            time.sleep(0.2)

    updater = threading.Thread(target=update)
    updater.start()
    result = load(server, key, bodies, pin, "--rate", "100", "--duration", str(seconds))
    updater.join()
    result["reload"] = outcome
    lists = httpx.get(server.url + "/lists", headers={"Authorization": f"Bearer {key}"}).json()
    result["reload"]["lists_after"] = {s["name"]: s["version"] for s in lists["lists"]}
    return result


def windows(result: dict[str, Any]) -> list[list[object]]:
    """p99 before the import, while the new index is built, and after the swap."""
    reload = result["reload"]
    start, end = reload.get("import_at_s", 5.0), reload.get("swapped_at_s", result["elapsed_s"])
    rows: list[list[object]] = []
    for label, low, high in (
        ("before import", 0, start),
        ("import + build", start, end),
        ("after swap", end, result["elapsed_s"]),
    ):
        seconds = [s for s in result["timeline"] if low <= s["second"] < high]
        ok = sum(s["ok"] for s in seconds)
        failed = sum(s["failed"] for s in seconds)
        worst = max((s["p99_ms"] or 0 for s in seconds), default=0)
        rows.append([label, f"{high - low:.0f} s", f"{ok:,}", f"{failed:,}", f"{worst:.1f}"])
    return rows


def main(argv: list[str] | None = None) -> None:
    """Run every scenario and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="UN list only, short runs")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--soak-minutes", type=float, default=None)
    parser.add_argument("--soak-rate", type=float, default=100.0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    parser.add_argument(
        "--pin",
        action="store_true",
        help="pin the server to CPU 0 and the load generator to CPU 1 (dedicated machines)",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    soak_minutes = args.soak_minutes if args.soak_minutes is not None else (0.5 if quick else 5)
    step = 5.0 if quick else 20.0
    pin = args.pin and args.workers == 1 and (os.cpu_count() or 1) >= 2
    home = Path(tempfile.mkdtemp(prefix="interdict-service-bench-"))
    report: dict[str, Any] = {"benchmark": "service", "environment": environment()}
    report["environment"]["cpus"] = os.cpu_count()
    report["environment"]["load_avg"] = os.getloadavg()
    report["settings"] = vars(args) | {"soak_minutes": soak_minutes, "pinned": pin}
    try:
        for source, fmt, name in lists_to_import(quick):
            interdict(home, "lists", "import", source, "--format", fmt, "--name", name)
        key = interdict(home, "keys", "create", "--role", "client").stdout.strip()
        queries = query_bodies(2000, args.seed)
        bodies = home / "bodies.jsonl"
        bodies.write_text("".join(json.dumps(b) + "\n" for b in queries))
        floor = home / "floor.jsonl"
        floor.write_text(json.dumps({"parties": [{"id": "f", "name": "Qzxv Wqkj"}]}) + "\n")
        report["engine"] = engine_latency(home, queries[: 300 if quick else 1000])
        server = Server(home, args.port, args.workers, pin)
        try:
            report["startup_s"] = server.wait_ready()
            report["rss_after_start_mb"] = server.rss_mb()
            load(server, key, bodies, pin, "--concurrency", "4", "--duration", "3")  # warm up
            runs: dict[str, Any] = {}
            runs["floor c=1"] = load(
                server, key, floor, pin, "--concurrency", "1", "--duration", str(step)
            )
            runs["100 req/s"] = load(
                server, key, bodies, pin, "--rate", "100", "--duration", str(step * 3)
            )
            for concurrency in (1, 4, 16, 64):
                runs[f"c={concurrency}"] = load(
                    server,
                    key,
                    bodies,
                    pin,
                    "--concurrency",
                    str(concurrency),
                    "--duration",
                    str(step),
                )
            runs["500 req/s offered"] = load(
                server, key, bodies, pin, "--rate", "500", "--duration", str(step * 1.5)
            )
            report["runs"] = runs
            report["soak"] = soak(server, key, bodies, pin, args.soak_rate, soak_minutes * 60)
            report["hot_reload"] = hot_reload(
                server, home, key, bodies, pin, 45.0 if quick else 90.0
            )
            report["audit"] = interdict(home, "audit", "verify").stdout.strip()
        finally:
            server.stop()
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    print_report(report)
    path = write_json("service_quick" if quick else "service", report, OUT_DIR)
    print(f"\nfigures written to {path}")


PINNED = " (server pinned to CPU 0, load generator to CPU 1)"


def print_report(report: dict[str, Any]) -> None:
    engine = report["engine"]
    latency = engine["latency_ms"]
    settings = report["settings"]
    print(
        f"\nInterdict screening service — {report['environment']['date']}, "
        f"{report['environment']['cpus']} CPUs, load average at start "
        f"{', '.join(f'{x:.1f}' for x in report['environment']['load_avg'])}; server workers "
        f"{settings['workers']}{PINNED if settings['pinned'] else ''}"
    )
    print(
        f"index: {engine['entities']:,} entities, built in {engine['build_s']:.1f} s in process; "
        f"server ready after {report['startup_s']:.1f} s, "
        f"{report['rss_after_start_mb']:.0f} MB resident"
    )
    print(
        f"engine alone, in process ({engine['latency_ms'] and 'same queries'}): "
        f"p50 {latency['p50']:.2f} ms, p95 {latency['p95']:.2f} ms, p99 {latency['p99']:.2f} ms\n"
    )
    runs = report["runs"]
    print(table("HTTP, single-party POST /screen", HEAD, [row(k, v) for k, v in runs.items()]))
    soak = report["soak"]
    rss = soak["rss_mb"]
    print()
    print(
        table(
            f"soak: {settings['soak_rate']:.0f} req/s for {settings['soak_minutes']:g} min",
            HEAD,
            [row("soak", soak)],
        )
    )
    print(
        f"server resident memory: first {rss['first']:.0f} MB, last {rss['last']:.0f} MB, "
        f"max {rss['max']:.0f} MB, spread over the second half {rss['second_half_spread']:.1f} MB"
    )
    reload = report["hot_reload"]
    detail = reload["reload"]
    print()
    print(
        table(
            "hot reload under 100 req/s: UN 2026-01-28 → 2026-02-27",
            HEAD,
            [row("whole run", reload)],
        )
    )
    print(
        f"import took {detail.get('import_s', float('nan')):.1f} s; new index served "
        f"{detail.get('swap_after_import_s', float('nan')):.1f} s after the import; lists after: "
        f"{detail.get('lists_after')}"
    )
    print(
        table(
            "around the swap",
            ["window", "length", "ok", "failed", "worst 1-s p99 ms"],
            windows(reload),
        )
    )
    print(f"\n{report['audit']}")
    at_100 = runs["100 req/s"]["latency_ms"].get("p99", float("nan"))
    sustained = runs["500 req/s offered"]
    sustained_p99 = sustained["latency_ms"].get("p99", float("nan"))
    print(
        f"\ntargets: p99 at 100 req/s {at_100:.2f} ms (target {TARGETS['p99_at_100']}); "
        f"offered 500 req/s → {sustained['throughput_rps']:.0f} req/s served, "
        f"{sustained['failed']} failed, p99 {sustained_p99:.1f} ms "
        f"(target {TARGETS['sustained']}); failed requests during the swap: {reload['failed']} "
        f"(target {TARGETS['swap_failures']})"
    )
    print("peer: yente publishes ≈ 4 requests/s per vCPU and needs Elasticsearch (not run here)")


if __name__ == "__main__":
    main()
