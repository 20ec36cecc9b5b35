"""Training, threshold choice, saving and loading, reasons."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from interdict.errors import BadInputError
from interdict.monitoring.features import feature_names
from interdict.monitoring.model import (
    MODEL_VERSION,
    TrainedModel,
    load_model,
    reasons,
    save_model,
    score,
    train,
)


def synthetic(n: int = 4000, seed: int = 7) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    """Random features where laundering is exactly 'many first-time senders in a week'."""
    rng = np.random.default_rng(seed)
    columns = {name: rng.normal(size=n) for name in feature_names()}
    burst = rng.random(n) < 0.05
    columns["dst_past_7d_in_new"] = np.where(burst, rng.integers(8, 20, n), rng.integers(0, 3, n))
    table = pa.table({"row": np.arange(n), **columns})
    return table, burst.astype(np.int8), np.arange(n, dtype=np.int64)


@pytest.fixture(scope="module")
def trained() -> TrainedModel:
    table, labels, stamps = synthetic()
    return train(table, labels, stamps, params={"num_threads": 1})


def test_threshold_from_validation_separates_the_classes(trained: TrainedModel) -> None:
    table, labels, _stamps = synthetic(seed=8)
    predicted = score(trained, table) >= trained.threshold
    assert 0.0 < trained.threshold < 1.0
    assert trained.info["validation_f1"] > 0.95
    assert (predicted == labels.astype(bool)).mean() > 0.98


def test_reasons_name_the_feature_that_matters(trained: TrainedModel) -> None:
    table, labels, _stamps = synthetic(seed=9)
    rows = np.flatnonzero(labels)[:3]
    texts = reasons(trained, table, rows)
    assert len(texts) == 3
    assert all("incoming payments from first-time counterparties" in t for t in texts)


def test_save_and_load_round_trip(trained: TrainedModel, tmp_path: Path) -> None:
    save_model(trained, tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text())
    assert meta["version"] == MODEL_VERSION and meta["feature_set"] == "txn_v1"
    assert meta["features"] == feature_names()
    loaded = load_model(tmp_path)
    table, _labels, _stamps = synthetic(seed=10)
    assert np.allclose(score(loaded, table), score(trained, table))
    assert loaded.threshold == trained.threshold


def test_load_refuses_other_feature_sets(trained: TrainedModel, tmp_path: Path) -> None:
    save_model(trained, tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text())
    meta["feature_set"] = "txn_v0"
    (tmp_path / "model.json").write_text(json.dumps(meta))
    with pytest.raises(BadInputError, match="retrain"):
        load_model(tmp_path)


def test_load_refuses_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="train a model first"):
        load_model(tmp_path / "nothing")


def test_training_needs_positives_on_both_sides() -> None:
    table, labels, stamps = synthetic(n=400)
    labels[200:] = 0
    with pytest.raises(BadInputError, match="validation"):
        train(table, labels, stamps)
