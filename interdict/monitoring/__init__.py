"""Transaction monitoring: typology rules, graph features and a gradient-boosted model.

Start at :mod:`interdict.monitoring.pipeline` (the jobs the CLI runs); rules are YAML in
``rules/`` compiled to SQL by :mod:`~interdict.monitoring.compiler`; features are SQL in
:mod:`~interdict.monitoring.features`; the model is :mod:`~interdict.monitoring.model`.
"""

from interdict.monitoring.alerts import Alert, run_rules
from interdict.monitoring.features import FEATURE_SET, compute_features, feature_names
from interdict.monitoring.model import MODEL_VERSION, TrainedModel, load_model, save_model
from interdict.monitoring.pipeline import run_typologies, score_transactions, train_on
from interdict.monitoring.typologies import Rule, builtin_rules, load_rules

__all__ = [
    "FEATURE_SET",
    "MODEL_VERSION",
    "Alert",
    "Rule",
    "TrainedModel",
    "builtin_rules",
    "compute_features",
    "feature_names",
    "load_model",
    "load_rules",
    "run_rules",
    "run_typologies",
    "save_model",
    "score_transactions",
    "train_on",
]
