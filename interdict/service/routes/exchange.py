"""Private matching with another institution's Interdict (``peer`` keys only).

The answering side of :mod:`interdict.exchange`: a peer opens an exchange with an agreement,
has its blinded items evaluated in numbered batches, fetches the identifier tags and name
filters once each, and closes with the number of hits. Every call — answered or refused — is
one audit entry naming the exchange, what was asked and how much was revealed (counts, never
values). A key that did not open an exchange finds nothing there (404).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from interdict.errors import BadInputError, InterdictError
from interdict.exchange.answering import Agreement, Exchange, ExchangeBook, peer_proof
from interdict.service.auth import ApiKey
from interdict.service.schemas import error_example, example_response
from interdict.service.state import ServiceState

__all__ = ["router"]

router = APIRouter(prefix="/exchange", tags=["private matching"])
REFUSALS: dict[int | str, dict[str, Any]] = {
    s: error_example(s) for s in (401, 403, 404, 409, 413, 422, 429)
}
BINARY = "application/octet-stream"
OPENED = example_response(
    "The agreement is recorded: the answering side's proof, filter layout, limits and sizes",
    {
        "exchange_id": "5f0c8e1d2a3b4c5d6e7f8091a2b3c4d5",
        "proof": "9c1d…",
        "fields": ["identifiers", "names"],
        "layout": {"bits": 1024, "hashes": 6, "hardening": "fold", "seed": "00ff…"},
        "batch_points": 20000,
        "max_evaluations": 2000000,
        "sizes": {"identifiers": 180000, "names": 100000},
        "expires_in": 1800.0,
    },
)
CLOSED = example_response(
    "The exchange is closed; what the answering side keeps of it",
    {"closed": True, "hits": 42, "evaluations": 161000},
)
RAW = {
    "description": "A binary message (see interdict.exchange.wire)",
    "content": {BINARY: {"schema": {"type": "string", "format": "binary"}}},
}


class Closing(BaseModel):
    """The asking side's last message: its hit count, and the hit references if agreed."""

    model_config = ConfigDict(extra="forbid")
    hits: int = Field(ge=0, le=5_000_000)
    refs: list[str] = Field(default_factory=list, max_length=100_000)


def _context(request: Request) -> tuple[ServiceState, ApiKey, ExchangeBook]:
    return request.app.state.service, request.state.principal, request.app.state.exchanges


async def _audited(request: Request, route: str, fields: dict[str, Any]) -> None:
    service, key, _ = _context(request)
    await run_in_threadpool(
        service.audit.append,
        {
            "who": key.id,
            "role": key.role.value,
            "route": route,
            "request_id": getattr(request.state, "request_id", None),
            **fields,
        },
    )


async def _refused(
    request: Request, route: str, exchange_id: str | None, exc: InterdictError
) -> None:
    status = exc.status if exc.status != 500 else 422
    await _audited(
        request,
        route,
        {"outcome": "refused", "status": status, "exchange": exchange_id, "reason": exc.what[:200]},
    )


async def _exchange(request: Request, exchange_id: str, route: str) -> Exchange:
    _, key, book = _context(request)
    try:
        return book.get(exchange_id, key.id)
    except InterdictError as exc:
        await _refused(request, route, exchange_id, exc)
        raise


@router.post("/open", responses={200: OPENED, **REFUSALS})
async def open_exchange(request: Request) -> dict[str, Any]:
    """Open an exchange. Body: `{"exchange_id", "nonce"` (32 hex digits each, fresh),
    `"fields"` (identifiers, names), `"purpose"`, `"legal_basis"`, `"records"` (how many
    customers the asking side matches), `"share_hits"`}. The agreement is recorded; a reused
    exchange id is a replay (409). Answers the filter layout, the batch size, the budget, the
    answering side's set sizes and `proof` (HMAC of the exchange under the key's SHA-256)."""
    _, key, book = _context(request)
    route = "POST /exchange/open"
    agreement: Agreement | None = None
    try:
        agreement = Agreement.parse(await request.body())
        exchange = await run_in_threadpool(book.open, agreement, key.id)
    except InterdictError as exc:
        await _refused(request, route, agreement.exchange_id if agreement else None, exc)
        raise
    own = exchange.own
    sizes = {
        "identifiers": sum(len(i) for i in own.identifiers),
        "names": sum(1 for f in own.features if f),
    }
    await _audited(
        request,
        route,
        {
            "outcome": "opened",
            "status": 200,
            "exchange": agreement.exchange_id,
            "fields": list(agreement.fields),
            "purpose": agreement.purpose,
            "legal_basis": agreement.legal_basis,
            "share_hits": agreement.share_hits,
            "asker_records": agreement.records,
            "our_records": len(own.customer_ids),
        },
    )
    return {
        "exchange_id": agreement.exchange_id,
        "proof": peer_proof(key.sha256, agreement.exchange_id, agreement.nonce),
        "fields": list(agreement.fields),
        "layout": exchange.layout.to_dict(),
        "batch_points": book.limits.batch_points,
        "max_evaluations": book.limits.max_evaluations,
        "sizes": sizes,
        "expires_in": book.limits.ttl_seconds,
    }


@router.post("/{exchange_id}/evaluate", responses={200: RAW, **REFUSALS}, response_class=Response)
async def evaluate(
    request: Request, exchange_id: str, batch: int = Query(ge=0, le=1_000_000)
) -> Response:
    """Evaluate one batch of blinded points (an openmined-psi request message, binary), in
    order from batch 0: a batch out of order is a replay (409), more than the batch size or
    the exchange's budget is refused (422 / 429). Answers the evaluated points (binary)."""
    route = "POST /exchange/{id}/evaluate"
    exchange = await _exchange(request, exchange_id, route)
    _, _, book = _context(request)
    try:
        answer, count = await run_in_threadpool(
            book.evaluate, exchange, batch, await request.body()
        )
    except InterdictError as exc:
        await _refused(request, route, exchange_id, exc)
        raise
    await _audited(
        request,
        route,
        {
            "outcome": "evaluated",
            "status": 200,
            "exchange": exchange_id,
            "batch": batch,
            "points": count,
            "evaluations": exchange.evaluations,
        },
    )
    return Response(answer, media_type=BINARY)


async def _own_message(request: Request, exchange_id: str, what: str) -> Response:
    route = f"GET /exchange/{{id}}/{what}"
    exchange = await _exchange(request, exchange_id, route)
    _, _, book = _context(request)
    try:
        book.send_once(exchange, what)
        if what == "identifiers":
            body, count = await run_in_threadpool(exchange.identifier_tags)
        else:
            body, count = await run_in_threadpool(exchange.name_filters, book.limits.fake_share)
    except InterdictError as exc:
        await _refused(request, route, exchange_id, exc)
        raise
    await _audited(
        request,
        route,
        {"outcome": "sent", "status": 200, "exchange": exchange_id, "records": count},
    )
    return Response(body, media_type=BINARY)


@router.get("/{exchange_id}/identifiers", responses={200: RAW, **REFUSALS}, response_class=Response)
async def identifier_tags(request: Request, exchange_id: str) -> Response:
    """The answering side's identifiers, each as a tag of its evaluated value and an opaque
    customer reference (binary `IXT1`), once per exchange."""
    return await _own_message(request, exchange_id, "identifiers")


@router.get("/{exchange_id}/names", responses={200: RAW, **REFUSALS}, response_class=Response)
async def name_filters(request: Request, exchange_id: str) -> Response:
    """The answering side's hardened name filters with block keys and opaque references,
    decoys among them (binary `IXN1`), once per exchange."""
    return await _own_message(request, exchange_id, "names")


@router.post("/{exchange_id}/close", responses={200: CLOSED, **REFUSALS})
async def close_exchange(request: Request, exchange_id: str) -> dict[str, Any]:
    """End the exchange with the number of hits the asking side found (and their references,
    when the agreement shares hits)."""
    route = "POST /exchange/{id}/close"
    exchange = await _exchange(request, exchange_id, route)
    _, _, book = _context(request)
    try:
        try:
            closing = Closing.model_validate_json(await request.body())
        except ValidationError as exc:
            raise BadInputError("the closing message is invalid", where="request body") from exc
        outcome = book.close(exchange, closing.hits, closing.refs)
    except InterdictError as exc:
        await _refused(request, route, exchange_id, exc)
        raise
    await _audited(
        request,
        route,
        {
            "outcome": "closed",
            "status": 200,
            "exchange": exchange_id,
            "hits": closing.hits,
            "hit_refs_shared": len(closing.refs),
            "evaluations": exchange.evaluations,
        },
    )
    return {"closed": True, **outcome}
