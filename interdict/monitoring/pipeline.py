"""The monitoring jobs end to end, as the faces call them: train, score, run rules.

Each job opens an engine by name, registers the prepared table, does its work in SQL and
returns Arrow tables or alert objects; the faces only read files and write results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from interdict.engines import open_engine
from interdict.errors import BadInputError
from interdict.model.transaction import LABEL_COLUMN
from interdict.monitoring.alerts import Alert, run_rules
from interdict.monitoring.features import compute_features
from interdict.monitoring.model import TrainedModel, reasons, score, train
from interdict.monitoring.prepare import prepare, register
from interdict.monitoring.typologies import Rule, builtin_rules

__all__ = ["Progress", "features_of", "run_typologies", "score_transactions", "train_on"]

Progress = Callable[[str], None]
"""Called with a short phrase as each stage starts (for a progress display)."""


def _quiet(_stage: str) -> None:
    return None


def features_of(
    table: pa.Table,
    *,
    engine: str = "duckdb",
    engine_options: Mapping[str, Any] | None = None,
    progress: Progress = _quiet,
) -> pa.Table:
    """The feature table (``row`` plus features) of a canonical transaction table.

    ``engine_options`` go to the engine (:func:`~interdict.engines.open_engine`), e.g. a Spark
    ``master``; the same holds for every job here.
    """
    prepared = prepare(table)
    with open_engine(engine, **dict(engine_options or {})) as db:
        register(db, prepared)
        progress("computing graph features")
        return compute_features(db)


def train_on(
    table: pa.Table, *, validation_fraction: float = 0.25, progress: Progress = _quiet
) -> TrainedModel:
    """Train a model on a labelled canonical table (threshold from its last ``fraction``)."""
    if LABEL_COLUMN not in table.column_names:
        raise BadInputError(f"no {LABEL_COLUMN} column", hint="training needs labelled data")
    features = features_of(table, progress=progress)
    progress("training LightGBM")
    labels = np.asarray(table[LABEL_COLUMN].to_numpy(zero_copy_only=False), dtype=np.int8)
    timestamps = table["timestamp"].cast(pa.int64()).to_numpy()
    return train(features, labels, timestamps, validation_fraction=validation_fraction)


def score_transactions(
    table: pa.Table,
    model: TrainedModel,
    *,
    engine: str = "duckdb",
    engine_options: Mapping[str, Any] | None = None,
    top_reasons: int = 3,
    progress: Progress = _quiet,
) -> pa.Table:
    """``txn_id, score, flagged, reasons`` for every transaction, in input order."""
    features = features_of(table, engine=engine, engine_options=engine_options, progress=progress)
    progress("scoring")
    scores = score(model, features)
    flagged = scores >= model.threshold
    texts = np.full(len(scores), "", dtype=object)
    rows = np.flatnonzero(flagged)
    if len(rows):
        progress(f"explaining {len(rows):,} flagged transactions")
        texts[rows] = reasons(model, features, rows, top=top_reasons)
    return pa.table(
        {
            "txn_id": table["txn_id"],
            "score": pa.array(np.round(scores, 6)),
            "flagged": pa.array(flagged.astype(np.int8)),
            "reasons": pa.array(texts.tolist(), type=pa.string()),
        }
    )


def run_typologies(
    table: pa.Table,
    rules: Iterable[Rule] | None = None,
    *,
    engine: str = "duckdb",
    engine_options: Mapping[str, Any] | None = None,
    progress: Progress = _quiet,
) -> list[Alert]:
    """Alerts of ``rules`` (the built-in typologies by default) over a canonical table."""
    prepared = prepare(table)
    chosen = list(builtin_rules() if rules is None else rules)
    with open_engine(engine, **dict(engine_options or {})) as db:
        register(db, prepared)
        alerts: list[Alert] = []
        for rule in chosen:
            progress(f"rule {rule.id}")
            alerts.extend(run_rules(db, prepared, [rule]))
    return alerts
