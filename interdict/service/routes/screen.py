"""Screening routes: parties (JSON), payment messages and traveller manifests (raw bodies).

All three take the options `threshold`, `limit` and `lists` in the query string (``/screen``
also in its body) and answer with the same top-level `hits`, `matcher`, `list_versions` and
`warnings` beside their own fields. Each route reads the body itself — so that a refused,
rejected or answered request is audited alike — checks its content type, takes the current
index snapshot once, parses and screens in a worker thread, writes the audit entry, and only
then answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from interdict.errors import BadInputError, InterdictError
from interdict.model import Party
from interdict.readers.parties import parse_party_fields
from interdict.readers.payments import PaymentSyntax, read_payment
from interdict.readers.travel import read_manifest
from interdict.screening import DEFAULT_THRESHOLD, Match
from interdict.screening.messages import screen_manifest, screen_payments, sniff_message
from interdict.service.auth import ApiKey
from interdict.service.errors import (
    ServiceUnavailable,
    UnsupportedMediaType,
    http_status,
)
from interdict.service.limits import RequestBudget
from interdict.service.schemas import (
    ERRORS,
    MANIFEST_SCREENED,
    MAX_LIMIT,
    PAYMENT_SCREENED,
    QUERY_PARAMETERS,
    SCREENED,
    ScreenRequest,
    read_json,
)
from interdict.service.state import ServiceState, Snapshot

__all__ = [
    "Outcome",
    "audit_hit",
    "check_lists",
    "query_number",
    "router",
    "screened_audit",
    "serve_screening",
]

router = APIRouter(tags=["screening"])

SOURCE = "request body"


@dataclass(frozen=True)
class _Options:
    threshold: float
    limit: int
    lists: set[str] | None
    budget: RequestBudget


@dataclass
class Outcome:
    """What a route answers, and what its audit entry records beyond who and when."""

    payload: dict[str, Any]
    audit: dict[str, Any]
    hits: int


_JSON = ("application/json",)
_PAYMENT = {"application/xml": "xml", "text/xml": "xml", "text/plain": "mt"}
_MANIFEST = ("text/plain", "application/edifact", "application/x-edifact")


@router.post(
    "/screen",
    responses={200: SCREENED, **ERRORS},  # the same top-level fields on all three routes
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ScreenRequest"}}
            },
        }
    },
)
async def screen_parties(request: Request) -> Response:
    """Screen one party or a batch against every loaded list (or the ones named).

    Body: `{"parties": [{"id", "name", "birth_date"?, "country"?, "gender"?, "id_number"?,
    "schema"?}], "threshold"?, "limit"?, "lists"?}` — unknown fields are refused; the
    options may also be given in the query string, as on the other screening routes (the
    body's win). Answer: `results`, one object per party in order, exactly like a line of the
    `interdict screen` output: `id`, `matches` (list, source_id, score, matched_name,
    explanation …, best first), `matcher`, `list_versions`; and, as every screening route
    answers, `hits`, `matcher`, `list_versions` and `warnings`. A party that cannot be read
    makes the whole request a 422 naming it (`parties[3]: …`): nothing is half-screened.
    """
    return await _serve(request, _JSON, _work_parties)


@router.post(
    "/screen/payment",
    responses={200: PAYMENT_SCREENED, **ERRORS},
    openapi_extra={
        "parameters": QUERY_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {
                "application/xml": {"schema": {"type": "string"}},
                "text/plain": {"schema": {"type": "string"}},
            },
        },
    },
)
async def screen_payment(request: Request) -> Response:
    """Screen every party of a payment message and check FATF R.16 completeness.

    Body: an ISO 20022 pacs.008 or pain.001 message (`application/xml`, bare `Document` or
    enveloped with its header) or SWIFT MT103/MT101 text (`text/plain`; an RJE batch of
    several messages is accepted). Every party (debtor, creditor, ultimate parties,
    initiating party) and agent (by BIC and name) is screened. Answer: `parties` (each with
    `role`, `where` in the message, `matches`), `findings` (each missing R.16 element of
    originator or beneficiary), `messages` (with MT field 433, the network's own screening
    result, when present), `hits`, `warnings`.
    """
    syntax = _PAYMENT.get(_media_type(request), "")
    return await _serve(request, tuple(_PAYMENT), _work_payment, syntax)


@router.post(
    "/screen/manifest",
    responses={200: MANIFEST_SCREENED, **ERRORS},
    openapi_extra={
        "parameters": QUERY_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {t: {"schema": {"type": "string"}} for t in _MANIFEST},
        },
    },
)
async def screen_manifest_route(request: Request) -> Response:
    """Screen every traveller of a UN/EDIFACT PAXLST (API) or PNRGOV (PNR) interchange.

    Body: the raw interchange (`text/plain` or `application/edifact`), with or without UNA,
    with or without UNG/UNE functional groups. Answer: `results`, one per passenger, crew
    member or infant in order — the `interdict screen` fields plus `traveller` (name, date of
    birth, nationality, document, where in the interchange) — and `messages` with flights.
    """
    return await _serve(request, _MANIFEST, _work_manifest)


class Budgeted(Protocol):
    """Route options that carry the request's budget (:class:`RequestBudget`)."""

    @property
    def budget(self) -> RequestBudget: ...


Options = TypeVar("Options", bound=Budgeted)
Work = Callable[[Snapshot, bytes, Options, ServiceState, str], Outcome]


async def _serve(
    request: Request, media_types: tuple[str, ...], work: Work[_Options], syntax: str = ""
) -> Response:
    return await serve_screening(request, media_types, _options, work, syntax)


async def serve_screening(
    request: Request,
    media_types: tuple[str, ...],
    read_options: Callable[[Request, Snapshot, ServiceState], Options],
    work: Work[Options],
    syntax: str = "",
) -> Response:
    """Read, check, screen (in a worker thread), audit and answer one screening request.

    ``read_options`` reads the route's options from the request (its errors are audited as
    rejections, like every other); ``work`` parses the body and screens it.
    """
    service: ServiceState = request.app.state.service
    key: ApiKey = request.state.principal
    entry: dict[str, Any] = {
        "who": key.id,
        "role": key.role.value,
        "route": f"POST {request.url.path}",
        "request_id": getattr(request.state, "request_id", None),
    }
    raw = b""
    try:
        raw = await request.body()
        media = _media_type(request)
        if media not in media_types:
            raise UnsupportedMediaType(
                f"Content-Type {media or 'missing'!r} is not accepted here",
                where=f"POST {request.url.path}",
                hint=f"send one of: {', '.join(media_types)}",
            )
        snapshot = service.holder.current
        if not snapshot.ready:
            raise ServiceUnavailable(
                "no lists are loaded, so nothing can be screened",
                hint="import a list with 'interdict lists import'; the service picks it up",
            )
        options = read_options(request, snapshot, service)
    except InterdictError as exc:
        await run_in_threadpool(_audit_rejected, service, entry, raw, exc)
        raise
    # Always in a worker thread: a slow screen must never hold up the event loop (and with it
    # /health and every other request). Screening inline would save ~1 ms per request.
    content, seq = await run_in_threadpool(
        _execute, service, entry, work, snapshot, raw, options, syntax
    )
    return Response(content, media_type="application/json", headers={"X-Audit-Seq": str(seq)})


def _execute(
    service: ServiceState,
    entry: dict[str, Any],
    work: Work[Options],
    snapshot: Snapshot,
    raw: bytes,
    options: Options,
    syntax: str,
) -> tuple[bytes, int]:
    """Parse, screen, audit, encode: one worker-thread hop per request."""
    try:
        outcome = work(snapshot, raw, options, service, syntax)
        content = json.dumps(outcome.payload, ensure_ascii=False).encode()
        options.budget.check_response(len(content))
    except InterdictError as exc:
        _audit_rejected(service, entry, raw, exc)
        raise
    except Exception:  # re-raised: the 500 handler answers; the trail records the failure
        service.audit.append(
            {**entry, "outcome": "failed", "status": 500, "input": _input(service, raw)}
        )
        raise
    seq, _ = service.audit.append(
        {
            **entry,
            "outcome": "screened",
            "status": 200,
            "input": _input(service, raw),
            "lists": dict(snapshot.versions),
            "matcher": snapshot.screener.matcher,
            **outcome.audit,
        }
    )
    service.metrics.count("interdict_screening_hits_total", "Matches reported.", outcome.hits)
    return content, seq


def _audit_rejected(
    service: ServiceState, entry: dict[str, Any], raw: bytes, error: InterdictError
) -> None:
    status, code = http_status(error)
    service.audit.append(
        {
            **entry,
            "outcome": "rejected",
            "status": status,
            "error": code,
            "input": _input(service, raw),
        }
    )


def _input(service: ServiceState, raw: bytes) -> dict[str, Any]:
    """What the audit trail keeps of a body: its keyed digest and size, never its content."""
    return {"digest": service.audit.digest(raw), "bytes": len(raw)}


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _options(request: Request, snapshot: Snapshot, service: ServiceState) -> _Options:
    """Options from the query string (raw-body routes); unknown parameters are refused."""
    query = request.query_params
    unknown = sorted(set(query) - {"threshold", "limit", "lists"})
    if unknown:
        raise BadInputError(
            f"unknown query parameter {unknown[0]!r}",
            where="query string",
            hint="use threshold, limit and lists",
        )
    threshold = query_number(query.get("threshold"), "threshold", 0.0, 1.0, DEFAULT_THRESHOLD)
    limit = int(query_number(query.get("limit"), "limit", 1, MAX_LIMIT, 10, integer=True))
    names = query.get("lists")
    wanted = [n.strip() for n in names.split(",") if n.strip()] if names else None
    lists = check_lists(wanted, snapshot, "query string lists")
    return _Options(threshold, limit, lists, RequestBudget.of(service.settings))


def query_number(
    text: str | None, name: str, low: float, high: float, default: float, integer: bool = False
) -> float:
    if text is None:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        kind = "an integer" if integer else "a number"
        raise BadInputError(
            f"{name}={text[:20]!r} is not {kind} from {low:g} to {high:g}", where="query string"
        )
    return value


def check_lists(names: list[str] | None, snapshot: Snapshot, where: str) -> set[str] | None:
    if names is None:
        return None
    loaded = {s.name for s in snapshot.lists}
    unknown = [n for n in names if n not in loaded]
    if unknown or not names:
        raise BadInputError(
            f"list {unknown[0]!r} is not loaded" if unknown else "no list named",
            where=where,
            hint=f"loaded lists: {', '.join(sorted(loaded))}",
        )
    return set(names)


def _work_parties(
    snapshot: Snapshot, raw: bytes, query: _Options, service: ServiceState, _: str
) -> Outcome:
    read_json(raw, SOURCE)  # refuses duplicate keys, which the model's parser would merge
    try:
        request = ScreenRequest.model_validate_json(raw)
    except ValidationError as exc:
        raise BadInputError(_describe(exc), where=SOURCE, hint=_SCREEN_HINT) from None
    options = _Options(  # the body's options win over the query string's
        query.threshold if request.threshold is None else request.threshold,
        request.limit or query.limit,
        query.lists if request.lists is None else check_lists(request.lists, snapshot, "lists"),
        query.budget,
    )
    options.budget.check_parties(len(request.parties), options.limit)
    parties = _parties(request)
    screener = snapshot.screener
    results = []
    for party in parties:
        options.budget.checkpoint()
        results.append(
            screener.screen(
                party, threshold=options.threshold, limit=options.limit, lists=options.lists
            )
        )
    service.metrics.count(
        "interdict_parties_screened_total", "Parties screened.", len(parties), route="/screen"
    )
    hits = [(i, m) for i, r in enumerate(results) for m in r.matches]
    return Outcome(
        payload={
            "results": [r.to_dict() for r in results],
            "hits": len(hits),
            "matcher": screener.matcher,
            "list_versions": dict(snapshot.versions),
            "warnings": [],
        },
        audit=screened_audit(service, parties, [audit_hit(str(i), m) for i, m in hits]),
        hits=len(hits),
    )


_SCREEN_HINT = 'send {"parties": [{"id": "c1", "name": "…"}]}'


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors()[:10]:
        location = "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.get("loc", ())
        ).lstrip(".")
        message = error.get("msg", "invalid")
        problems.append(f"{location}: {message}" if location else message)
    return "; ".join(problems)


def _parties(request: ScreenRequest) -> list[Party]:
    parties: list[Party] = []
    problems: list[str] = []
    for index, item in enumerate(request.parties):
        row = parse_party_fields(item.model_dump(by_alias=True, exclude_none=True), index + 1)
        if row.party is None:
            reason = (row.error or "unreadable").removeprefix(f"line {index + 1}: ")
            problems.append(f"parties[{index}]: {reason}")
        else:
            parties.append(row.party)
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise BadInputError("; ".join(problems[:10]) + more, where=SOURCE)
    return parties


MAX_AUDITED = 20
"""Hits (and message types) an audit entry lists; the rest are in its counts and digests."""


def screened_audit(
    service: ServiceState, parties: list[Party], hits: list[dict[str, Any]]
) -> dict[str, Any]:
    """What an audit entry keeps of the screened parties and hits: counts, keyed digests over
    all of them and the first hits — a line stays small however large the request was."""
    party_digests = "\n".join(_party_digest(service, p) for p in parties)
    return {
        "parties": len(parties),
        "parties_digest": service.audit.digest(party_digests.encode()),
        "hits": hits[:MAX_AUDITED],
        "hits_total": len(hits),
        "hits_digest": service.audit.digest(json.dumps(hits, sort_keys=True).encode()),
    }


def _party_digest(service: ServiceState, party: Party) -> str:
    form = party.model_dump(mode="json", by_alias=True, exclude_none=True)
    return service.audit.digest(json.dumps(form, sort_keys=True, ensure_ascii=False).encode())


def audit_hit(party: str, match: Match) -> dict[str, Any]:
    return {
        "party": party,
        "entity_id": match.entity_id,
        "list_version": match.list_version,
        "score": round(match.score, 6),
    }


def _work_payment(
    snapshot: Snapshot, raw: bytes, options: _Options, service: ServiceState, syntax: str
) -> Outcome:
    found = sniff_message(raw)
    if found is not None and found != syntax:
        shown = {"xml": "XML", "mt": "SWIFT MT text", "edifact": "EDIFACT"}[found]
        declared = "XML" if syntax == "xml" else "MT"
        raise BadInputError(
            f"the body is {shown}, but its Content-Type is for {declared}",
            where=SOURCE,
            hint="application/xml for ISO 20022, text/plain for MT103",
        )
    payment_syntax: PaymentSyntax = "xml" if syntax == "xml" else "mt"
    messages = read_payment(raw, SOURCE, payment_syntax)
    options.budget.check_parties(sum(len(m.parties) for m in messages), options.limit)
    result = screen_payments(
        messages,
        snapshot.screener,
        snapshot.bics,
        threshold=options.threshold,
        limit=options.limit,
        lists=options.lists,
        checkpoint=options.budget.checkpoint,
    )
    screened = [p for p, r in result.parties if r is not None]
    service.metrics.count(
        "interdict_parties_screened_total",
        "Parties screened.",
        len(screened),
        route="/screen/payment",
    )
    return Outcome(
        payload=result.to_dict(),
        audit={
            "messages": [m.type for m in messages][:MAX_AUDITED],
            **screened_audit(
                service,
                [p.party for p in screened if p.party],
                [audit_hit(pid, m) for pid, m in result.hits],
            ),
            "findings": len(result.findings),
        },
        hits=len(result.hits),
    )


def _work_manifest(
    snapshot: Snapshot, raw: bytes, options: _Options, service: ServiceState, _: str
) -> Outcome:
    manifest = read_manifest(raw, SOURCE)
    options.budget.check_parties(len(manifest.travellers), options.limit)
    result = screen_manifest(
        manifest,
        snapshot.screener,
        threshold=options.threshold,
        limit=options.limit,
        lists=options.lists,
        checkpoint=options.budget.checkpoint,
    )
    travellers = [t.party for t in manifest.travellers if t.party is not None]
    service.metrics.count(
        "interdict_parties_screened_total",
        "Parties screened.",
        len(travellers),
        route="/screen/manifest",
    )
    return Outcome(
        payload=result.to_dict(),
        audit={
            "messages": [m.type for m in manifest.messages][:MAX_AUDITED],
            **screened_audit(service, travellers, [audit_hit(tid, m) for tid, m in result.hits]),
        },
        hits=len(result.hits),
    )
