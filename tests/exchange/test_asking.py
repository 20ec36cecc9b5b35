"""The asking side's comparison, run on both sides' real encodings without the network."""

from __future__ import annotations

import pytest

pytest.importorskip(
    "private_set_intersection.python",
    reason="needs the exchange extra: pip install 'interdict[exchange]'",
)

from interdict.exchange.asking import match_names, neighbour_years
from interdict.exchange.bloom import Layout, block_key, encode
from interdict.exchange.features import NAME_PREFIX, prepare
from interdict.exchange.oprf import Evaluator
from interdict.exchange.wire import NameFilters
from interdict.model import Party


def _peer(evaluator: Evaluator, parties: list[Party], layout: Layout) -> NameFilters:
    prepared = prepare(parties, identifiers=False, names=True)
    distinct = sorted({f for items in prepared.features for f in items})
    values = dict(zip(distinct, evaluator.own([NAME_PREFIX + f for f in distinct]), strict=True))
    filters = encode(prepared.features, prepared.salts, values, layout)
    blocks = [
        [block_key(values[b], salt) for b in names]
        for names, salt in zip(prepared.blocks, prepared.salts, strict=True)
    ]
    return NameFilters([bytes([i]) * 8 for i in range(len(parties))], filters, blocks)


def test_cross_script_spellings_match_and_others_do_not() -> None:
    evaluator, layout = Evaluator(), Layout.fresh()
    peer = _peer(
        evaluator,
        [
            Party(id="B1", name="Шохрух Рахмонов", birth_date="1985"),
            Party(id="B2", name="Anna Schmidt", birth_date="1985"),
            Party(id="B3", name="Shokhrukh Rakhmonov", birth_date="1990"),
        ],
        layout,
    )
    own = prepare(
        [Party(id="A1", name="Shokhrukh Rakhmonov", birth_date="1985-03-01")],
        identifiers=False,
        names=True,
    )
    items = own.feature_items()
    values = dict(zip(items, evaluator.own(items), strict=True))
    hits, compared = match_names(own, values, layout, peer, 0.75)
    assert [(h.customer_id, h.peer_ref) for h in hits] == [("A1", "P" + "00" * 8)]
    assert compared == 1  # blocking: B2 shares no block, B3 another birth year
    tolerant, _ = match_names(own, values, layout, peer, 0.75, year_tolerance=5)
    assert {h.peer_ref for h in tolerant} == {"P" + "00" * 8, "P" + "02" * 8}


def test_neighbour_years() -> None:
    assert neighbour_years(b"1985", 1) == [b"1984", b"1985", b"1986"]
    assert neighbour_years(b"-", 1) == [b"-"]
    assert neighbour_years(b"1985", 0) == [b"1985"]
