"""IBM's Graph Feature Preprocessor (``snapml``, proprietary licence: benchmark only).

Computed on the whole table in time order, as our own features are, so that both models see
the same graph; labels are never involved. Windows are in seconds. Length-constrained simple
cycles are left off: on these dense daily-step graphs one run did not finish in an hour on two
cores; temporal cycles stay on.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

import numpy as np
import pyarrow as pa

from interdict.monitoring.prepare import prepare

__all__ = ["CONFIGS", "available", "gfp_features"]

DAY = 86_400
_BINS = [2, 3, 4, 5, 6, 8, 10, 15, 20, 30]

CONFIGS: dict[str, dict[str, int]] = {
    "fan/sg 1d, cycles 3d, stats 7d": {"fan": DAY, "sg": DAY, "cycle": 3 * DAY, "stats": 7 * DAY},
    "fan/sg 2d, cycles 7d, stats 14d": {
        "fan": 2 * DAY,
        "sg": 2 * DAY,
        "cycle": 7 * DAY,
        "stats": 14 * DAY,
    },
}
"""Window settings tried; the benchmark keeps the one with the best validation F1."""


def available() -> str | None:
    """None when snapml can be imported, else why not."""
    if find_spec("snapml") is None:
        return "snapml is not installed; install it for the benchmark: pip install snapml==1.17.2"
    return None


def _params(windows: dict[str, int], threads: int) -> dict[str, Any]:
    return {
        "num_threads": threads,
        "time_window": -1,
        "vertex_stats": True,
        "vertex_stats_tw": windows["stats"],
        "vertex_stats_cols": [4],
        "vertex_stats_feats": [0, 1, 2, 3, 4, 8, 9, 10],
        "fan": True,
        "fan_tw": windows["fan"],
        "fan_bins": _BINS,
        "degree": True,
        "degree_tw": windows["fan"],
        "degree_bins": _BINS,
        "scatter-gather": True,
        "scatter-gather_tw": windows["sg"],
        "scatter-gather_bins": _BINS,
        "temp-cycle": True,
        "temp-cycle_tw": windows["cycle"],
        "temp-cycle_bins": _BINS,
        "lc-cycle": False,  # length-constrained cycles: hours per run on 2 cores here
        "lc-cycle_tw": windows["cycle"],
        "lc-cycle_len": 10,
        "lc-cycle_bins": _BINS,
    }


def gfp_features(table: pa.Table, windows: dict[str, int], threads: int = 2) -> pa.Table:
    """GFP graph features plus the raw amount, one row per transaction in table order."""
    from snapml import GraphFeaturePreprocessor  # type: ignore[import-untyped]

    prepared = prepare(table).table
    ts = prepared["ts"].to_numpy().astype(np.float64)
    order = np.argsort(ts, kind="stable")
    edges = np.column_stack(
        [
            np.arange(prepared.num_rows, dtype=np.float64),
            prepared["src"].to_numpy().astype(np.float64),
            prepared["dst"].to_numpy().astype(np.float64),
            ts,
            prepared["amount"].to_numpy(),
        ]
    )[order]
    preprocessor = GraphFeaturePreprocessor()
    preprocessor.set_params(_params(windows, threads))
    enriched = preprocessor.fit_transform(edges)
    out = np.empty_like(enriched)
    out[order] = enriched
    columns = {"amount": out[:, 4]}
    for j in range(5, out.shape[1]):
        columns[f"gfp_{j - 5}"] = out[:, j]
    return pa.table(columns)
