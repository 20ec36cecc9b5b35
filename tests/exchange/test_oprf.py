"""The oblivious evaluation: openmined-psi's own known-answer behaviour, and ours on top.

The first two tests are the library's published client/server test (its
``private_set_intersection/python/tests.py``: client "Element i" for i < 1000, server
"Element 2i" for i < 10000, so exactly the 500 even elements are common), kept so that a
change of the pinned library that alters the protocol fails here.
"""

from __future__ import annotations

import pytest

pytest.importorskip(
    "private_set_intersection.python",
    reason="needs the exchange extra: pip install 'interdict[exchange]'",
)


from interdict.errors import BadInputError
from interdict.exchange.oprf import Blinder, Evaluator, psi_library

psi = psi_library()
CLIENT = [f"Element {i}" for i in range(1000)]
SERVER = [f"Element {2 * i}" for i in range(10000)]


@pytest.mark.parametrize("structure", ["RAW", "GCS", "BLOOM_FILTER"])
def test_library_known_answer_intersection(structure: str) -> None:
    client = psi.client.CreateWithNewKey(True)
    server = psi.server.CreateWithNewKey(True)
    setup = server.CreateSetupMessage(
        1e-9, len(CLIENT), SERVER, getattr(psi.DataStructure, structure)
    )
    response = server.ProcessRequest(client.CreateRequest(CLIENT))
    found = sorted(client.GetIntersection(setup, response))
    assert found == list(range(0, 1000, 2))


def test_library_intersection_size_without_revealing() -> None:
    client = psi.client.CreateWithNewKey(False)
    server = psi.server.CreateWithNewKey(False)
    setup = server.CreateSetupMessage(1e-9, len(CLIENT), SERVER, psi.DataStructure.RAW)
    response = server.ProcessRequest(client.CreateRequest(CLIENT))
    assert client.GetIntersectionSize(setup, response) == 500


def test_unblinded_values_equal_the_answering_sides_own() -> None:
    evaluator, blinder = Evaluator(), Blinder()
    items = ["id\x1fdocument:AB1234567", "nf\x1fs:rkmnf", "Element 7"]
    answer, count = evaluator.evaluate(blinder.request(items), most=10)
    assert count == 3
    assert blinder.unblind(answer, 3) == evaluator.own(items)


def test_another_key_gives_unrelated_values() -> None:
    items = ["Element 1", "Element 2"]
    assert Evaluator().own(items) != Evaluator().own(items)
    key = (12345).to_bytes(32, "big")
    assert Evaluator(key).own(items) == Evaluator(key).own(items)


def test_the_blinded_request_does_not_carry_the_evaluated_value() -> None:
    evaluator = Evaluator()
    request = Blinder().request(["Element 1"])
    assert evaluator.own(["Element 1"])[0] not in request


@pytest.mark.parametrize(
    "body",
    [b"", b"\xff" * 40, b"\x12\x21\x02" + b"\x00" * 32, b"\x12\x05hello"],
)
def test_hostile_requests_are_refused_never_crash(body: bytes) -> None:
    with pytest.raises(BadInputError):
        Evaluator().evaluate(body, most=10)


def test_more_points_than_allowed_are_refused() -> None:
    with pytest.raises(BadInputError, match="more than"):
        Evaluator().evaluate(Blinder().request([f"x{i}" for i in range(11)]), most=10)


def test_a_hostile_answer_is_refused_by_the_asking_side() -> None:
    blinder = Blinder()
    with pytest.raises(BadInputError):
        blinder.unblind(b"\xff\xff", 1)
    answer, _ = Evaluator().evaluate(blinder.request(["a", "b"]), most=10)
    with pytest.raises(BadInputError, match="not 3"):
        blinder.unblind(answer, 3)
