"""The oblivious evaluation both exchanges stand on: ECDH over P-256 with ``openmined-psi``.

The answering side holds a fresh secret scalar ``k`` per exchange and never sends it. The
asking side hashes each item to the curve and blinds it with its own secret ``a``
(:meth:`Blinder.request`, openmined-psi's client request); the answering side raises every
point to ``k`` (:meth:`Evaluator.evaluate`, openmined-psi's ``ProcessRequest``); the asking side
removes ``a`` (:meth:`Blinder.unblind`) and holds ``x(k·H(item))`` — the same 32 bytes the
answering side gets for the item directly (:meth:`Evaluator.own`). Without ``k`` nobody can
compute these values offline: every guess costs one evaluation by the answering side, which
counts, limits and audits them.

Points are compared by x-coordinate only (``x(P) = x(-P)``), so the sign lost by the ECDH
primitive of :mod:`cryptography`, used for unblinding, does not matter.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from interdict.errors import BadInputError, InterdictError

__all__ = ["ORDER", "POINT_BYTES", "Blinder", "Evaluator", "psi_library"]

ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
"""The order of the P-256 group."""
POINT_BYTES = 33
"""A compressed P-256 point, as openmined-psi writes them."""
_CURVE = ec.SECP256R1()
_ONE = (1).to_bytes(32, "big")


def psi_library() -> Any:
    """The ``private_set_intersection`` module, or one clear line on how to install it."""
    try:
        import private_set_intersection.python as psi
    except ImportError as exc:
        raise InterdictError(
            "private matching needs openmined-psi",
            hint="pip install 'interdict[exchange]'",
        ) from exc
    return psi


class Evaluator:
    """The answering side's secret ``k`` for one exchange, and what it computes with it."""

    def __init__(self, key: bytes | None = None) -> None:
        psi = psi_library()
        self._psi = psi
        key = key or _scalar()
        self._server = psi.server.CreateFromKey(key, True)
        self._own = psi.client.CreateFromKey(_ONE, True)  # a = 1: H(item) itself, unblinded

    def evaluate(self, request: bytes, *, most: int) -> tuple[bytes, int]:
        """Raise every point of a serialised request to ``k``: the serialised response and
        how many points it held. Refuses more than ``most`` points, or anything not a request
        of valid points, with :class:`BadInputError` (never a crash)."""
        from google.protobuf.message import DecodeError

        message = self._psi.Request()
        try:
            message.ParseFromString(request)
        except DecodeError as exc:
            raise BadInputError(
                "the evaluation request is not a PSI request message", where="request body"
            ) from exc
        count = len(message.encrypted_elements)
        if count > most:
            raise BadInputError(
                f"{count:,} points to evaluate, more than the {most:,} allowed",
                where="request body",
                hint="send smaller batches",
            )
        if any(len(e) != POINT_BYTES for e in message.encrypted_elements):
            raise BadInputError("a point is not a compressed P-256 point", where="request body")
        try:
            response = self._server.ProcessRequest(message)
        except (RuntimeError, ValueError) as exc:
            raise BadInputError("a point is not on the curve", where="request body") from exc
        return bytes(response.SerializeToString()), count

    def own(self, items: Sequence[str]) -> list[bytes]:
        """``x(k·H(item))`` for the answering side's own items, in order."""
        if not items:
            return []
        request = self._own.CreateRequest(list(items))
        response = self._server.ProcessRequest(request)
        return [bytes(e[1:]) for e in response.encrypted_elements]


class Blinder:
    """The asking side's secret ``a`` for one exchange."""

    def __init__(self) -> None:
        psi = psi_library()
        self._psi = psi
        self._client = psi.client.CreateWithNewKey(True)
        scalar = int.from_bytes(self._client.GetPrivateKeyBytes(), "big")
        self._inverse = ec.derive_private_key(pow(scalar, -1, ORDER), _CURVE)

    def request(self, items: Sequence[str]) -> bytes:
        """``a·H(item)`` for each item, as a serialised request (order kept)."""
        return bytes(self._client.CreateRequest(list(items)).SerializeToString())

    def unblind(self, response: bytes, expected: int) -> list[bytes]:
        """``x(k·H(item))`` for each item of the request ``response`` answers; a response
        that is not ``expected`` valid points is refused (the peer may be hostile too)."""
        from google.protobuf.message import DecodeError

        message = self._psi.Response()
        try:
            message.ParseFromString(response)
        except DecodeError as exc:
            raise BadInputError("the peer's evaluation is not a PSI response") from exc
        if len(message.encrypted_elements) != expected:
            raise BadInputError(
                f"the peer evaluated {len(message.encrypted_elements)} points, not {expected}"
            )
        values = []
        for element in message.encrypted_elements:
            try:
                point = ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, bytes(element))
            except ValueError as exc:
                raise BadInputError("the peer sent a point not on the curve") from exc
            values.append(self._inverse.exchange(ec.ECDH(), point))
        return values


def _scalar() -> bytes:
    return (secrets.randbelow(ORDER - 1) + 1).to_bytes(32, "big")
