"""A gradient-boosted (LightGBM) model over the transaction features: train, save, load, score.

The decision threshold is the best-F1 threshold on a temporal validation split taken from the
end of the training data (the model never sees it while fitting trees, only for early stopping
and the threshold). The model folder records the feature set, the feature order and the model
version, and loading refuses a model built for other features. Each flagged transaction gets
its top reasons from LightGBM's per-feature contributions (SHAP values, ``pred_contrib``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from interdict import __version__
from interdict.errors import BadInputError, InterdictError
from interdict.monitoring.features import FEATURE_SET, describe, feature_names
from interdict.monitoring.metrics import average_precision, best_threshold, temporal_split

__all__ = [
    "DEFAULT_PARAMS",
    "MODEL_VERSION",
    "TrainedModel",
    "feature_matrix",
    "load_model",
    "reasons",
    "save_model",
    "score",
    "train",
]

MODEL_VERSION = "txn_gbm_v1"
MODEL_FILE = "model.txt"
META_FILE = "model.json"

DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 2,
    "seed": 0,
    "deterministic": True,
}
_MAX_ROUNDS = 1000
_EARLY_STOP = 50


@dataclass
class TrainedModel:
    """A booster with everything needed to apply and audit it."""

    booster: Any  # lightgbm.Booster; untyped library
    features: list[str]
    threshold: float
    feature_set: str = FEATURE_SET
    version: str = MODEL_VERSION
    info: dict[str, Any] = field(default_factory=dict)


def feature_matrix(features: pa.Table, names: list[str]) -> np.ndarray:
    """Float matrix of the ``names`` columns; nulls become NaN (missing, to LightGBM)."""
    missing = [n for n in names if n not in features.column_names]
    if missing:
        raise BadInputError(
            f"feature table lacks {', '.join(missing[:5])}", hint="compute features again"
        )
    columns = [
        np.asarray(features[n].cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
        for n in names
    ]
    return np.column_stack(columns) if columns else np.empty((features.num_rows, 0))


def _lightgbm() -> Any:
    """The LightGBM module, or a one-line error naming the extra that brings it."""
    try:
        import lightgbm
    except ModuleNotFoundError as exc:
        raise InterdictError(
            "the transaction model needs LightGBM",
            hint="pip install 'interdict[monitoring]'",
        ) from exc
    return lightgbm


def train(
    features: pa.Table,
    labels: np.ndarray,
    timestamps: np.ndarray,
    *,
    validation_fraction: float = 0.25,
    params: dict[str, Any] | None = None,
    names: list[str] | None = None,
) -> TrainedModel:
    """Fit on the earlier part of the data; early-stop and pick the threshold on the later part."""
    lgb = _lightgbm()

    names = names or feature_names()
    matrix = feature_matrix(features, names)
    fit_rows, valid_rows = temporal_split(
        timestamps, (1.0 - validation_fraction, validation_fraction)
    )
    y = labels.astype(np.float64)
    if y[fit_rows].sum() == 0 or y[valid_rows].sum() == 0:
        raise BadInputError(
            "training needs laundering examples both before and after the validation cut",
            hint="use a longer period or lower validation_fraction",
        )
    settings = {**DEFAULT_PARAMS, **(params or {})}
    fit = lgb.Dataset(matrix[fit_rows], y[fit_rows], feature_name=names, free_raw_data=True)
    valid = lgb.Dataset(matrix[valid_rows], y[valid_rows], reference=fit)
    booster = lgb.train(
        {**settings, "metric": "average_precision"},
        fit,
        num_boost_round=_MAX_ROUNDS,
        valid_sets=[valid],
        callbacks=[lgb.early_stopping(_EARLY_STOP, verbose=False)],
    )
    predicted = np.asarray(
        booster.predict(matrix[valid_rows], num_iteration=booster.best_iteration), dtype=float
    )
    chosen = best_threshold(y[valid_rows], predicted)
    info = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "interdict_version": __version__,
        "rows": len(y),
        "positives": int(y.sum()),
        "validation_rows": len(valid_rows),
        "validation_f1": round(chosen.f1, 4),
        "validation_precision": round(chosen.precision, 4),
        "validation_recall": round(chosen.recall, 4),
        "validation_pr_auc": round(average_precision(y[valid_rows], predicted), 4),
        "best_iteration": int(booster.best_iteration),
        "params": settings,
    }
    return TrainedModel(booster, names, chosen.threshold, info=info)


def score(model: TrainedModel, features: pa.Table) -> np.ndarray:
    """Laundering score in [0, 1] of every row of ``features``."""
    matrix = feature_matrix(features, model.features)
    return np.asarray(model.booster.predict(matrix), dtype=np.float64)


def reasons(model: TrainedModel, features: pa.Table, rows: np.ndarray, top: int = 3) -> list[str]:
    """For each of ``rows``, the ``top`` features that pushed its score up, as readable text."""
    if len(rows) == 0:
        return []
    matrix = feature_matrix(features, model.features)[rows]
    contributions = np.asarray(model.booster.predict(matrix, pred_contrib=True))[:, :-1]
    out = []
    for values, contrib in zip(matrix, contributions, strict=True):
        best = np.argsort(-contrib)[:top]
        parts = [
            f"{describe(model.features[i])} = {_fmt(values[i])} (+{contrib[i]:.2f})"
            for i in best
            if contrib[i] > 0
        ]
        out.append("; ".join(parts))
    return out


def _fmt(value: float) -> str:
    if np.isnan(value):
        return "none"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def save_model(model: TrainedModel, folder: Path) -> None:
    """Write ``model.txt`` (LightGBM) and ``model.json`` (features, threshold, versions)."""
    folder.mkdir(parents=True, exist_ok=True)
    model.booster.save_model(str(folder / MODEL_FILE))
    meta = {
        "version": model.version,
        "feature_set": model.feature_set,
        "features": model.features,
        "threshold": model.threshold,
        **model.info,
    }
    (folder / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def load_model(folder: Path) -> TrainedModel:
    """Read a model folder written by :func:`save_model`; refuse other versions or features."""
    lgb = _lightgbm()

    meta_path, model_path = folder / META_FILE, folder / MODEL_FILE
    if not meta_path.is_file() or not model_path.is_file():
        raise BadInputError(
            f"no {META_FILE} and {MODEL_FILE}", where=str(folder), hint="train a model first"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        version, feature_set = meta["version"], meta["feature_set"]
        names, threshold = list(meta["features"]), float(meta["threshold"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise BadInputError(f"unreadable model description: {exc}", where=str(meta_path)) from exc
    if version != MODEL_VERSION or feature_set != FEATURE_SET:
        raise BadInputError(
            f"model {version} on features {feature_set}; this Interdict runs "
            f"{MODEL_VERSION} on {FEATURE_SET}",
            where=str(folder),
            hint="retrain with interdict monitor train",
        )
    try:
        booster = lgb.Booster(model_file=str(model_path))
    except lgb.basic.LightGBMError as exc:
        raise BadInputError(f"unreadable model: {exc}", where=str(model_path)) from exc
    info = {
        k: v
        for k, v in meta.items()
        if k not in ("version", "feature_set", "features", "threshold")
    }
    return TrainedModel(booster, names, threshold, feature_set, version, info)
