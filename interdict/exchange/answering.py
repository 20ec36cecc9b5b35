"""The answering side of an exchange: its customers encoded under a fresh key, and the book of
open exchanges with their limits.

An exchange starts when a ``peer`` key opens it with an agreement (fields, purpose, legal
basis, whether the hits are shared back) and a fresh exchange id, which is also its nonce:
an id seen before is refused as a replay, across restarts (each exchange leaves a record in
``<home>/service/exchanges/``). The answering side then evaluates the asking side's blinded
items in numbered batches (a batch number out of order is a replay), up to a budget, and sends
its identifier tags and name filters once each. What it keeps is only what it needs to answer
a follow-up request: the secret that makes its opaque references, the agreement and the
counts — never the asking side's items, which it never sees.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interdict.errors import BadInputError, ConflictError, InterdictError, ListNotFoundError
from interdict.exchange.bloom import Layout, block_key, encode, fake_filters
from interdict.exchange.features import ID_PREFIX, NAME_PREFIX, Prepared
from interdict.exchange.oprf import Evaluator
from interdict.exchange.wire import NameFilters, dump_filters, dump_tags, identifier_tag

__all__ = [
    "FIELDS",
    "Agreement",
    "Exchange",
    "ExchangeBook",
    "ExchangeLimits",
    "TooManyRequests",
    "peer_proof",
]

FIELDS = ("identifiers", "names")
PROTOCOL = "interdict-exchange-v1"
_HEX32 = r"^[0-9a-f]{32}$"


class TooManyRequests(InterdictError):
    """A peer asked beyond its rate or its evaluation budget."""

    status = 429


class Agreement(BaseModel):
    """What the asking side proposes; the answering side records it before anything else."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    exchange_id: str = Field(pattern=_HEX32)
    nonce: str = Field(pattern=_HEX32)
    fields: tuple[str, ...] = Field(min_length=1, max_length=2)
    purpose: str = Field(min_length=1, max_length=300)
    legal_basis: str = Field(min_length=1, max_length=300)
    records: int = Field(ge=0, le=5_000_000)
    share_hits: bool = False

    @classmethod
    def parse(cls, body: bytes) -> Agreement:
        """The agreement in a request body, or :class:`BadInputError` saying what is wrong."""
        try:
            agreement = cls.model_validate_json(body)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
                for e in exc.errors()[:5]
            )
            raise BadInputError(
                f"the agreement is invalid: {problems}", where="request body"
            ) from exc
        unknown = [f for f in agreement.fields if f not in FIELDS]
        if unknown or len(set(agreement.fields)) != len(agreement.fields):
            raise BadInputError(
                f"unknown or repeated field {unknown or agreement.fields}",
                where="agreement.fields",
                hint="use identifiers and/or names",
            )
        return agreement


def peer_proof(key_digest: str, agreement_id: str, nonce: str) -> str:
    """The answering side's proof that it knows the peer key (its SHA-256, which both sides
    hold), bound to this exchange: the asking side checks it before going on."""
    message = f"{PROTOCOL}|{agreement_id}|{nonce}".encode()
    return hmac.new(bytes.fromhex(key_digest), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ExchangeLimits:
    """Bounds of the answering side (service settings)."""

    max_evaluations: int = 2_000_000
    batch_points: int = 20_000
    per_hour: int = 20
    ttl_seconds: float = 1800.0
    fake_share: float = 0.0
    hardening: str = "fold"
    fields: tuple[str, ...] = FIELDS


@dataclass
class Exchange:
    """One open exchange on the answering side."""

    agreement: Agreement
    key_id: str
    evaluator: Evaluator
    ref_secret: bytes
    layout: Layout
    created: float
    own: Prepared
    evaluations: int = 0
    next_batch: int = 0
    sent: set[str] = field(default_factory=set)
    closed: bool = False

    def ref(self, customer_id: str) -> bytes:
        """The opaque reference of one of our customers in this exchange."""
        return hmac.new(self.ref_secret, customer_id.encode(), hashlib.sha256).digest()[:8]

    def identifier_tags(self) -> tuple[bytes, int]:
        """``IXT1`` message of every identifier we hold, and how many."""
        pairs = [
            (i, ID_PREFIX + item) for i, items in enumerate(self.own.identifiers) for item in items
        ]
        values = self.evaluator.own([item for _, item in pairs])
        tags = [
            (identifier_tag(value, self.agreement.exchange_id), self.ref(self.own.customer_ids[i]))
            for (i, _), value in zip(pairs, values, strict=True)
        ]
        secrets.SystemRandom().shuffle(tags)
        return dump_tags(tags), len(tags)

    def name_filters(self, fake_share: float) -> tuple[bytes, int]:
        """``IXN1`` message of every record with a name (plus decoys), and how many real."""
        keep = [i for i, f in enumerate(self.own.features) if f]
        features = [self.own.features[i] for i in keep]
        distinct = sorted({f for items in features for f in items})
        values = dict(
            zip(distinct, self.evaluator.own([NAME_PREFIX + f for f in distinct]), strict=True)
        )
        salts = [self.own.salts[i] for i in keep]
        filters = encode(features, salts, values, self.layout)
        refs = [self.ref(self.own.customer_ids[i]) for i in keep]
        blocks = [
            [block_key(values[b], salt) for b in self.own.blocks[i] if b in values]
            for i, salt in zip(keep, salts, strict=True)
        ]
        fakes = int(len(keep) * fake_share)
        if fakes and len(keep):
            weight = float(np.bitwise_count(filters).sum()) / filters.size / 64
            filters = np.concatenate([filters, fake_filters(fakes, self.layout, weight)])
            chooser = secrets.SystemRandom()
            refs += [secrets.token_bytes(8) for _ in range(fakes)]
            blocks += [list(chooser.choice(blocks)) for _ in range(fakes)]
        order = list(range(len(refs)))
        secrets.SystemRandom().shuffle(order)
        shuffled = NameFilters([refs[i] for i in order], filters[order], [blocks[i] for i in order])
        return dump_filters(shuffled), len(keep)


class ExchangeBook:
    """Open exchanges, per-key rates, and the records of past ones (replay protection)."""

    def __init__(
        self,
        folder: Path,
        limits: ExchangeLimits,
        customers: Callable[[], Prepared],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = folder
        self.limits = limits
        self.customers = customers
        self.clock = clock
        self._open: dict[str, Exchange] = {}
        self._opened: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def open(self, agreement: Agreement, key_id: str) -> Exchange:
        """Record the agreement and start the exchange (customers encoded under a new key)."""
        refused = [f for f in agreement.fields if f not in self.limits.fields]
        if refused:
            raise BadInputError(
                f"this service does not exchange {', '.join(refused)}",
                where="agreement.fields",
                hint=f"ask for {', '.join(self.limits.fields)}",
            )
        with self._lock:
            now = self.clock()
            opened = self._opened.setdefault(key_id, deque())
            while opened and now - opened[0] >= 3600:
                opened.popleft()
            if len(opened) >= self.limits.per_hour:
                raise TooManyRequests(
                    f"more than {self.limits.per_hour} exchanges in an hour for this key",
                    hint="wait, or ask the answering side to raise INTERDICT_EXCHANGE_PER_HOUR",
                )
            self._claim(agreement.exchange_id)
            opened.append(now)
        exchange = Exchange(
            agreement=agreement,
            key_id=key_id,
            evaluator=Evaluator(),
            ref_secret=secrets.token_bytes(32),
            layout=Layout.fresh(self.limits.hardening),
            created=now,
            own=self.customers(),
        )
        self._record(exchange, {})
        with self._lock:
            self._expire(now)
            self._open[agreement.exchange_id] = exchange
        return exchange

    def get(self, exchange_id: str, key_id: str) -> Exchange:
        """An open exchange of this key; any other (unknown, another key's, expired, closed)
        is "not found", so a peer learns nothing of other exchanges."""
        with self._lock:
            self._expire(self.clock())
            found = self._open.get(exchange_id)
        if found is None or found.key_id != key_id or found.closed:
            raise ListNotFoundError(
                "no open exchange with this id for this key", where="exchange id"
            )
        return found

    def evaluate(self, exchange: Exchange, batch: int, body: bytes) -> tuple[bytes, int]:
        """Evaluate one numbered batch of blinded points within the budget."""
        with self._lock:
            if batch != exchange.next_batch:
                raise ConflictError(
                    f"batch {batch} out of order (expected {exchange.next_batch}): a replay?",
                    where="batch",
                )
            left = self.limits.max_evaluations - exchange.evaluations
            if left <= 0:
                raise TooManyRequests(
                    f"the exchange used its {self.limits.max_evaluations:,} evaluations",
                    hint="INTERDICT_EXCHANGE_MAX_EVALUATIONS bounds one exchange",
                )
            exchange.next_batch += 1  # claimed before the work: a parallel replay fails too
        answer, count = exchange.evaluator.evaluate(body, most=min(self.limits.batch_points, left))
        with self._lock:
            exchange.evaluations += count
        return answer, count

    def send_once(self, exchange: Exchange, what: str) -> None:
        """Each of the answering side's own messages is sent once per exchange."""
        with self._lock:
            if what in exchange.sent:
                raise ConflictError(f"the {what} were already sent in this exchange", where=what)
            if what not in exchange.agreement.fields:
                raise BadInputError(f"{what} are not in this exchange's agreement", where=what)
            exchange.sent.add(what)

    def close(self, exchange: Exchange, hits: int, refs: Sequence[str]) -> dict[str, Any]:
        """End the exchange: keep the hit count (and the hit references when agreed)."""
        if refs and not exchange.agreement.share_hits:
            raise BadInputError("hits were not agreed to be shared", where="refs")
        with self._lock:
            exchange.closed = True
            self._open.pop(exchange.agreement.exchange_id, None)
        outcome = {"hits": hits, "evaluations": exchange.evaluations}
        self._record(exchange, {**outcome, "hit_refs": sorted(refs)} if refs else outcome)
        return outcome

    def resolve(self, exchange_id: str, refs: Iterable[str]) -> dict[str, str]:
        """Our customer id behind each reference of a past exchange (a follow-up request)."""
        record = self._read(exchange_id)
        secret = bytes.fromhex(record["ref_secret"])
        wanted = set(refs)
        found: dict[str, str] = {}
        for customer_id in self.customers().customer_ids:
            ref = hmac.new(secret, customer_id.encode(), hashlib.sha256).digest()[:8].hex()
            if ref in wanted:
                found[ref] = customer_id
        return found

    # -- records ---------------------------------------------------------------------------------

    def _path(self, exchange_id: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{32}", exchange_id):
            raise BadInputError("an exchange id is 32 hex digits", where="exchange id")
        return self.folder / f"{exchange_id}.json"

    def _claim(self, exchange_id: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self._path(exchange_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise ConflictError(
                "this exchange id was used before: a replay", where="agreement.exchange_id"
            ) from exc
        os.close(fd)

    def _record(self, exchange: Exchange, outcome: dict[str, Any]) -> None:
        agreement = exchange.agreement
        record = {
            "exchange_id": agreement.exchange_id,
            "key_id": exchange.key_id,
            "fields": list(agreement.fields),
            "purpose": agreement.purpose,
            "legal_basis": agreement.legal_basis,
            "share_hits": agreement.share_hits,
            "asker_records": agreement.records,
            "ref_secret": exchange.ref_secret.hex(),
            **outcome,
        }
        path = self._path(agreement.exchange_id)
        partial = path.with_name(path.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=2)
        os.replace(partial, path)

    def _read(self, exchange_id: str) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self._path(exchange_id).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ListNotFoundError(f"no exchange {exchange_id}", where=str(self.folder)) from exc
        return data

    def _expire(self, now: float) -> None:
        for exchange_id, exchange in list(self._open.items()):
            if now - exchange.created >= self.limits.ttl_seconds:
                del self._open[exchange_id]
