"""Benchmark figures as plain-text tables, and as JSON in ``benchmarks/out/``."""

from __future__ import annotations

import json
import math
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["OUT_DIR", "environment", "fmt_ms", "fmt_rate", "table", "write_json"]

OUT_DIR = Path(__file__).resolve().parents[1] / "out"
"""``benchmarks/out/`` (git-ignored)."""


def fmt_rate(value: float | None, digits: int = 3) -> str:
    """A share as ``0.953`` (``-`` when not measured)."""
    if value is None or math.isnan(value):
        return "-"
    return f"{value:.{digits}f}"


def fmt_ms(seconds: float) -> str:
    """A duration in milliseconds with three significant decimals."""
    return f"{seconds * 1000:.3f} ms"


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [row[0].ljust(widths[0])]
        parts += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    body = [line(row) for row in cells[1:]]
    return "\n".join([title, rule, line(cells[0]), rule, *body, rule])


def environment() -> dict[str, Any]:
    """When and where a benchmark ran."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


def write_json(name: str, data: dict[str, Any], out_dir: Path = OUT_DIR) -> Path:
    """Write ``data`` as ``out_dir/name.json`` and return the path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
    return path
