"""Cooperation without disclosure: private matching between two Interdict services.

Identifiers go through an oblivious evaluation under the answering side's key (ECDH private
set intersection, :mod:`~interdict.exchange.oprf`); names through hardened Bloom filters of the
name pipeline's cross-script keys (:mod:`~interdict.exchange.bloom`), keyed by the same
evaluation. The asking side (:mod:`~interdict.exchange.asking`) learns which of its own
customers match and an opaque reference for each; the answering side
(:mod:`~interdict.exchange.answering`) learns the set sizes and the number of hits.
The threat model is in ``docs/exchange-threat-model.md``.
"""

from interdict.exchange.asking import ExchangeResult, Hit, run_exchange
from interdict.exchange.features import Prepared, prepare
from interdict.exchange.identifiers import identifier_items, normalise_identifier

__all__ = [
    "ExchangeResult",
    "Hit",
    "Prepared",
    "identifier_items",
    "normalise_identifier",
    "prepare",
    "run_exchange",
]
