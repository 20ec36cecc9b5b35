"""Service metrics in the Prometheus text format (0.0.4), written by hand: no dependency.

Counters and histograms are kept per process (run one scrape target per worker). Labels are
bounded — route templates, status codes, outcomes — and never carry personal data.
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterable

__all__ = ["LATENCY_BUCKETS", "Metrics"]

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Request duration buckets, seconds."""

Labels = tuple[tuple[str, str], ...]


def _labels(labels: Labels) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in labels)
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class Metrics:
    """Counters, gauges and request-duration histograms of one service process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.started = time.time()
        self._counters: dict[str, dict[Labels, float]] = defaultdict(lambda: defaultdict(float))
        self._help: dict[str, str] = {}
        self._buckets: dict[Labels, list[int]] = {}
        self._sums: dict[Labels, float] = defaultdict(float)
        self.in_flight = 0

    def count(self, name: str, help_text: str, amount: float = 1, **labels: str) -> None:
        """Add ``amount`` to counter ``name`` with ``labels``."""
        key = tuple(sorted(labels.items()))
        with self._lock:
            self._help.setdefault(name, help_text)
            self._counters[name][key] += amount

    def observe(self, seconds: float, **labels: str) -> None:
        """Record one request duration."""
        key = tuple(sorted(labels.items()))
        with self._lock:
            buckets = self._buckets.setdefault(key, [0] * (len(LATENCY_BUCKETS) + 1))
            for i, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    buckets[i] += 1
            buckets[-1] += 1
            self._sums[key] += seconds

    def render(self, gauges: Iterable[tuple[str, str, Labels, float]] = ()) -> str:
        """The exposition text: counters, the latency histogram, then ``gauges``."""
        lines: list[str] = []
        with self._lock:
            for name in sorted(self._counters):
                lines.append(f"# HELP {name} {self._help[name]}")
                lines.append(f"# TYPE {name} counter")
                for labels, value in sorted(self._counters[name].items()):
                    lines.append(f"{name}{_labels(labels)} {_number(value)}")
            name = "interdict_request_duration_seconds"
            lines.append(f"# HELP {name} Time from request received to response sent.")
            lines.append(f"# TYPE {name} histogram")
            for labels, buckets in sorted(self._buckets.items()):
                for bound, value in zip(LATENCY_BUCKETS, buckets, strict=False):
                    le = (*labels, ("le", f"{bound:g}"))
                    lines.append(f"{name}_bucket{_labels(le)} {value}")
                lines.append(f"{name}_bucket{_labels((*labels, ('le', '+Inf')))} {buckets[-1]}")
                lines.append(f"{name}_sum{_labels(labels)} {self._sums[labels]:.6f}")
                lines.append(f"{name}_count{_labels(labels)} {buckets[-1]}")
            in_flight = self.in_flight
        standard = [
            ("interdict_requests_in_flight", "Requests being served.", (), float(in_flight)),
            (
                "process_start_time_seconds",
                "Start time, seconds since the epoch.",
                (),
                self.started,
            ),
            ("process_resident_memory_bytes", "Resident memory.", (), float(_resident_bytes())),
        ]
        seen: set[str] = set()
        for name, help_text, labels, value in sorted([*standard, *gauges], key=lambda g: g[0]):
            if name not in seen:
                lines.append(f"# HELP {name} {help_text}")
                lines.append(f"# TYPE {name} gauge")
                seen.add(name)
            lines.append(f"{name}{_labels(labels)} {_number(value)}")
        return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
