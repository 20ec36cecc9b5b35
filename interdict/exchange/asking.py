"""The asking side of an exchange: match our own customers against a peer's without either
side seeing the other's data.

:func:`run_exchange` opens the exchange with an agreement, checks the peer's proof that it
holds the same key, has every identifier item and name feature evaluated blind (the peer
sees only points it cannot read), then compares locally: identifiers by tag equality, names
by Dice similarity of hardened Bloom filters within shared blocks. What comes out is only our
own customers that match, each with the peer's opaque reference, the method and a score; the
peer's tags and filters live in memory for the comparison and are never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from interdict.errors import BadInputError, InterdictError
from interdict.exchange.answering import FIELDS, peer_proof
from interdict.exchange.bloom import Layout, block_key, dice_pairs, encode
from interdict.exchange.features import ID_PREFIX, NAME_PREFIX, Prepared
from interdict.exchange.oprf import Blinder
from interdict.exchange.wire import identifier_tag, read_filters, read_tags

__all__ = [
    "DEFAULT_THRESHOLD",
    "ExchangeResult",
    "Hit",
    "match_names",
    "neighbour_years",
    "run_exchange",
]

DEFAULT_THRESHOLD = 0.75
"""Dice similarity of two name filters from which a pair is a hit."""
YEAR_TOLERANCE = 0
"""Birth years this far apart still compare (our side encodes each record once per year).
0 by default: on the benchmark, ±1 added false hits and no true ones."""
MAX_BLOCK = 2_000
"""A block holding more of our records than this is too common to compare on alone."""
MAX_ANSWER_BYTES = 1 << 30
DEFAULT_PURPOSE = "counter-terrorist-financing: find common subjects"
DEFAULT_LEGAL_BASIS = "FATF Recommendation 40 (international cooperation)"


@dataclass(frozen=True)
class Hit:
    """One of our customers that the peer also holds."""

    customer_id: str
    peer_ref: str
    method: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        """The line written to the hits file."""
        return {
            "customer_id": self.customer_id,
            "peer_ref": self.peer_ref,
            "method": self.method,
            "score": round(self.score, 4),
        }


@dataclass
class ExchangeResult:
    """What an exchange found, and what it cost (bytes are HTTP bodies)."""

    exchange_id: str
    hits: list[Hit]
    peer_sizes: dict[str, int]
    evaluated: int
    bytes_sent: int = 0
    bytes_received: int = 0
    compared_pairs: int = 0
    fields: tuple[str, ...] = field(default_factory=tuple)


class _Peer:
    """HTTP calls to the answering side, counting bytes; every failure is one clear error."""

    def __init__(self, url: str, key: str, timeout: float) -> None:
        import httpx

        self._httpx = httpx
        self.url = url.rstrip("/")
        self.client = httpx.Client(
            timeout=timeout, headers={"Authorization": f"Bearer {key}"}, trust_env=False
        )
        self.sent = 0
        self.received = 0

    def call(self, method: str, path: str, body: bytes = b"", **params: Any) -> bytes:
        headers = {
            "Content-Type": "application/octet-stream"
            if path.endswith("evaluate")
            else "application/json"
        }
        try:
            response = self.client.request(
                method, self.url + path, content=body or None, params=params, headers=headers
            )
        except self._httpx.HTTPError as exc:
            raise InterdictError(
                f"cannot reach the peer ({type(exc).__name__})",
                where=self.url,
                hint="check --peer and that the peer's 'interdict serve' is running",
            ) from exc
        self.sent += len(body)
        self.received += len(response.content)
        if response.status_code != 200:
            raise _peer_error(response.status_code, response.content, f"{method} {path}")
        if len(response.content) > MAX_ANSWER_BYTES:
            raise BadInputError("the peer's answer is too large", where=self.url)
        return bytes(response.content)

    def close(self) -> None:
        self.client.close()


def _peer_error(status: int, content: bytes, where: str) -> InterdictError:
    import json

    try:
        message = str(json.loads(content)["error"]["message"])[:300]
    except (ValueError, KeyError, TypeError):
        message = "no readable error"
    hints = {
        401: "the key is wrong or revoked: ask the peer for a 'peer' key",
        403: "the key is not a peer key ('interdict keys create --role peer' on the peer)",
        429: "the peer limits how often and how much it evaluates: try later",
    }
    error = BadInputError if 400 <= status < 500 else InterdictError
    return error(f"the peer refused ({status}): {message}", where=where, hint=hints.get(status))


def run_exchange(
    own: Prepared,
    *,
    peer: str,
    key: str,
    fields: Sequence[str] = FIELDS,
    purpose: str = DEFAULT_PURPOSE,
    legal_basis: str = DEFAULT_LEGAL_BASIS,
    share_hits: bool = False,
    threshold: float = DEFAULT_THRESHOLD,
    year_tolerance: int = YEAR_TOLERANCE,
    timeout: float = 600.0,
) -> ExchangeResult:
    """Run one exchange with the peer at ``peer`` over our prepared customers."""
    exchange_id, nonce = secrets.token_hex(16), secrets.token_hex(16)
    agreement = {
        "exchange_id": exchange_id,
        "nonce": nonce,
        "fields": list(fields),
        "purpose": purpose,
        "legal_basis": legal_basis,
        "records": len(own.customer_ids),
        "share_hits": share_hits,
    }
    import json

    connection = _Peer(peer, key, timeout)
    try:
        opened = _opened(connection.call("POST", "/exchange/open", json.dumps(agreement).encode()))
        expected = peer_proof(hashlib.sha256(key.encode()).hexdigest(), exchange_id, nonce)
        if not hmac.compare_digest(str(opened.get("proof", "")), expected):
            raise BadInputError(
                "the peer could not prove it holds this key: not the agreed peer",
                where=peer,
                hint="stop and check the address and the key with the peer",
            )
        items = (own.identifier_items() if "identifiers" in fields else []) + (
            own.feature_items() if "names" in fields else []
        )
        values = _evaluate(connection, exchange_id, items, int(opened["batch_points"]))
        hits: list[Hit] = []
        compared = 0
        if "identifiers" in fields:
            tags = read_tags(connection.call("GET", f"/exchange/{exchange_id}/identifiers"))
            hits += _identifier_hits(own, values, tags, exchange_id)
        if "names" in fields:
            layout = _layout(opened["layout"])
            peer_records = read_filters(
                connection.call("GET", f"/exchange/{exchange_id}/names"), words=layout.words
            )
            found, compared = match_names(
                own, values, layout, peer_records, threshold, year_tolerance
            )
            hits += found
        hits = _unique(hits)
        closing = {
            "hits": len(hits),
            "refs": sorted({h.peer_ref for h in hits}) if share_hits else [],
        }
        connection.call("POST", f"/exchange/{exchange_id}/close", json.dumps(closing).encode())
    finally:
        connection.close()
    return ExchangeResult(
        exchange_id,
        hits,
        {k: int(v) for k, v in dict(opened.get("sizes", {})).items()},
        len(items),
        connection.sent,
        connection.received,
        compared,
        tuple(fields),
    )


def _opened(body: bytes) -> dict[str, Any]:
    import json

    try:
        opened = json.loads(body)
        int(opened["batch_points"])
        _layout(opened["layout"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BadInputError(
            "the peer's answer to opening is malformed", where="peer answer"
        ) from exc
    if not isinstance(opened, dict) or not 1 <= int(opened["batch_points"]) <= 1_000_000:
        raise BadInputError("the peer's answer to opening is malformed", where="peer answer")
    return opened


def _layout(data: Any) -> Layout:
    layout = Layout(
        bits=int(data["bits"]),
        hashes=int(data["hashes"]),
        hardening=str(data["hardening"]),
        seed=bytes.fromhex(str(data["seed"])),
    )
    if (
        layout.bits % 128
        or not 128 <= layout.bits <= 4096
        or not 1 <= layout.hashes <= 16
        or layout.hardening not in ("fold", "balance", "none")
        or len(layout.seed) != 16
    ):
        raise BadInputError("the peer proposed an unusable filter layout", where="peer answer")
    return layout


def _evaluate(peer: _Peer, exchange_id: str, items: list[str], batch: int) -> dict[str, bytes]:
    blinder = Blinder()
    values: dict[str, bytes] = {}
    for number, start in enumerate(range(0, len(items), batch)):
        chunk = items[start : start + batch]
        answer = peer.call(
            "POST", f"/exchange/{exchange_id}/evaluate", blinder.request(chunk), batch=number
        )
        values.update(zip(chunk, blinder.unblind(answer, len(chunk)), strict=True))
    return values


def _identifier_hits(
    own: Prepared, values: dict[str, bytes], tags: dict[bytes, bytes], exchange_id: str
) -> list[Hit]:
    hits = []
    for customer_id, items in zip(own.customer_ids, own.identifiers, strict=True):
        for item in items:
            ref = tags.get(identifier_tag(values[ID_PREFIX + item], exchange_id))
            if ref is not None:
                hits.append(Hit(customer_id, "P" + ref.hex(), "identifier", 1.0))
    return hits


def neighbour_years(salt: bytes, tolerance: int) -> list[bytes]:
    """The salts our record is encoded under: its birth year and the years ``tolerance``
    around it (a year written one off on one side still meets), or only ``-`` (no year)."""
    if salt == b"-" or not salt.isdigit():
        return [salt]
    year = int(salt)
    return [str(y).encode() for y in range(year - tolerance, year + tolerance + 1)]


def match_names(
    own: Prepared,
    values: dict[str, bytes],
    layout: Layout,
    peer: Any,
    threshold: float,
    year_tolerance: int = YEAR_TOLERANCE,
) -> tuple[list[Hit], int]:
    """Our customers whose name filter is within ``threshold`` Dice of a peer filter sharing
    a block; and how many pairs were compared. Only the asking side spends the tolerance:
    the peer encodes each record once, under its own birth year."""
    feature_values = {
        item[len(NAME_PREFIX) :]: value
        for item, value in values.items()
        if item.startswith(NAME_PREFIX)
    }
    keep = [
        (i, salt)
        for i, f in enumerate(own.features)
        if f
        for salt in neighbour_years(own.salts[i], year_tolerance)
    ]
    if not keep or not peer.refs:
        return [], 0
    filters = encode(
        [own.features[i] for i, _ in keep], [s for _, s in keep], feature_values, layout
    )
    index: dict[bytes, list[int]] = defaultdict(list)
    for row, (i, salt) in enumerate(keep):
        for name in own.blocks[i]:
            if name in feature_values:
                index[block_key(feature_values[name], salt)].append(row)
    left: list[int] = []
    right: list[int] = []
    for j, blocks in enumerate(peer.blocks):
        rows = {r for b in blocks if len(index.get(b, ())) <= MAX_BLOCK for r in index.get(b, ())}
        left.extend(rows)
        right.extend([j] * len(rows))
    pairs_left = np.asarray(left, dtype=np.int64)
    pairs_right = np.asarray(right, dtype=np.int64)
    scores = dice_pairs(filters, peer.filters, pairs_left, pairs_right)
    hits = [
        Hit(own.customer_ids[keep[int(a)][0]], "P" + peer.refs[int(b)].hex(), "name", float(s))
        for a, b, s in zip(pairs_left, pairs_right, scores, strict=True)
        if s >= threshold
    ]
    return hits, len(left)


def _unique(hits: list[Hit]) -> list[Hit]:
    """One hit per (customer, peer reference): an identifier hit before a name hit, else the
    best score."""
    best: dict[tuple[str, str], Hit] = {}
    for hit in hits:
        key = (hit.customer_id, hit.peer_ref)
        known = best.get(key)
        if known is None or _rank(hit) > _rank(known):
            best[key] = hit
    return sorted(best.values(), key=lambda h: (h.customer_id, -h.score, h.peer_ref))


def _rank(hit: Hit) -> tuple[bool, float]:
    return hit.method == "identifier", hit.score
