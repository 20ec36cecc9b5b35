"""A small HTTP/1.1 load generator, run as its own process against a real server.

Two modes:

- ``--rate R``: open loop. Request *i* is due at ``start + i / R`` whatever the server does;
  latency is measured from that due time, so a stalled server shows up as latency instead of
  silently lowering the offered load (no coordinated omission). Connections come from a pool
  that grows as needed (up to ``--connections``).
- ``--concurrency C``: closed loop. ``C`` keep-alive connections each send the next request as
  soon as the previous answer arrives: the throughput the server sustains at that concurrency.

Bodies are JSON lines from ``--bodies``, used in turn. The result (counts, status codes,
latency percentiles, a per-second timeline) is one JSON object on standard output.

``python -m benchmarks.service.loadgen --url http://127.0.0.1:8000 --key KEY --bodies B.jsonl
--rate 100 --duration 30``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["main", "percentiles"]


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99/p99.9, mean and max of ``values`` (seconds) in milliseconds."""
    if not values:
        return {}
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)] * 1000

    return {
        "p50": at(0.50),
        "p95": at(0.95),
        "p99": at(0.99),
        "p999": at(0.999),
        "mean": sum(ordered) / len(ordered) * 1000,
        "max": ordered[-1] * 1000,
    }


@dataclass
class Recorder:
    """Every answer: when it was due, how long it took, with what status."""

    started: float
    latencies: list[float] = field(default_factory=list)
    service: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: dict[int, list[float]] = field(default_factory=dict)
    failed_seconds: Counter[int] = field(default_factory=Counter)

    def record(self, due: float, sent: float, status: str) -> None:
        done = time.perf_counter()
        self.statuses[status] += 1
        second = int(due - self.started)
        if status == "200":
            self.latencies.append(done - due)
            self.service.append(done - sent)
            self.seconds.setdefault(second, []).append(done - due)
        else:
            self.failed_seconds[second] += 1

    def result(self, elapsed: float) -> dict[str, Any]:
        total = sum(self.statuses.values())
        ok = self.statuses.get("200", 0)
        timeline = [
            {
                "second": s,
                "ok": len(self.seconds.get(s, [])),
                "failed": self.failed_seconds.get(s, 0),
                "p99_ms": percentiles(self.seconds.get(s, [])).get("p99"),
            }
            for s in sorted(set(self.seconds) | set(self.failed_seconds))
        ]
        return {
            "requests": total,
            "ok": ok,
            "failed": total - ok,
            "statuses": dict(self.statuses),
            "elapsed_s": elapsed,
            "throughput_rps": ok / elapsed if elapsed else 0.0,
            "latency_ms": percentiles(self.latencies),
            "service_ms": percentiles(self.service),
            "timeline": timeline,
        }


class Connection:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, host: str, port: int, head: bytes) -> None:
        self.host, self.port, self.head = host, port, head
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> str:
        """Send one request; the status code as text (or the kind of failure)."""
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            assert self.reader is not None
            self.writer.write(self.head + str(len(body)).encode() + b"\r\n\r\n" + body)
            status_line = await self.reader.readline()
            if not status_line:
                raise ConnectionError("closed")
            status = status_line.split(b" ", 2)[1].decode()
            length, close = 0, False
            while True:
                line = await self.reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            await self.reader.readexactly(length)
            if close:
                self.close()
            return status
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
            self.close()
            return "connection_error"

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def open_loop(
    make: Any, bodies: list[bytes], rate: float, duration: float, connections: int
) -> dict[str, Any]:
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    created = 0
    started = time.perf_counter()
    recorder = Recorder(started)
    tasks: set[asyncio.Task[None]] = set()

    async def one(index: int, due: float) -> None:
        nonlocal created
        if pool.empty() and created < connections:
            created += 1
            pool.put_nowait(make())
        connection = await pool.get()
        sent = time.perf_counter()
        status = await connection.post(bodies[index % len(bodies)])
        recorder.record(due, sent, status)
        pool.put_nowait(connection)

    total = int(rate * duration)
    for index in range(total):
        due = started + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(index, due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks, timeout=120)
    result = recorder.result(time.perf_counter() - started)
    result.update(mode="rate", offered_rps=rate, connections_opened=created)
    return result


async def closed_loop(
    make: Any, bodies: list[bytes], concurrency: int, duration: float
) -> dict[str, Any]:
    started = time.perf_counter()
    deadline = started + duration
    recorder = Recorder(started)

    async def worker(offset: int) -> None:
        connection = make()
        index = offset
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            status = await connection.post(bodies[index % len(bodies)])
            recorder.record(sent, sent, status)
            index += concurrency
        connection.close()

    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    result = recorder.result(time.perf_counter() - started)
    result.update(mode="concurrency", concurrency=concurrency)
    return result


def main(argv: list[str] | None = None) -> None:
    """Run one load and print its result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--path", default="/screen")
    parser.add_argument("--bodies", type=Path, required=True, help="JSON lines, one body each")
    parser.add_argument("--duration", type=float, default=10.0)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--rate", type=float, help="open loop: requests per second")
    mode.add_argument("--concurrency", type=int, help="closed loop: connections")
    parser.add_argument("--connections", type=int, default=256, help="open-loop pool limit")
    args = parser.parse_args(argv)
    target = urlsplit(args.url)
    host, port = target.hostname or "127.0.0.1", target.port or 80
    head = (
        f"POST {args.path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {args.key}\r\nContent-Type: application/json\r\n"
        "Content-Length: "
    ).encode()
    bodies = [line.encode() for line in args.bodies.read_text().splitlines() if line.strip()]

    def make() -> Connection:
        return Connection(host, port, head)

    if args.rate:
        result = asyncio.run(open_loop(make, bodies, args.rate, args.duration, args.connections))
    else:
        result = asyncio.run(closed_loop(make, bodies, args.concurrency, args.duration))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
