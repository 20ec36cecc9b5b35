"""The yente-compatible face: ``/match/{dataset}``, ``/search/{dataset}``, ``/entities/{id}``.

Tools built on OpenSanctions' yente send FollowTheMoney examples and read FtM entities back;
these routes take yente's requests and answer in yente's shape, with our scores. A result's
``features`` are our explanation as numbers (the name score, and what each attribute added or
took away); ``explanation`` keeps the lines an analyst reads. ``dataset`` is a list name, or
``default`` / ``sanctions`` for every loaded list. ``/match`` is screened and audited like
``/screen``; errors have our shape (``{"error": {…}}``), not yente's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from interdict.errors import BadInputError, ListNotFoundError
from interdict.model import Party
from interdict.model.ftm import ftm_schema, to_ftm
from interdict.readers.ftm import read_example
from interdict.screening import DEFAULT_THRESHOLD, Match
from interdict.screening.explain import search_name
from interdict.service.errors import ServiceUnavailable
from interdict.service.limits import RequestBudget
from interdict.service.routes.screen import (
    Outcome,
    audit_hit,
    check_lists,
    query_number,
    screened_audit,
    serve_screening,
)
from interdict.service.schemas import ERRORS, MAX_LIMIT, error_example, example_response
from interdict.service.state import ServiceState, Snapshot

__all__ = ["ALL_LISTS", "FEATURES", "features", "router"]

router = APIRouter(tags=["yente-compatible"])

ALL_LISTS = ("default", "sanctions")
"""Dataset names that stand for every loaded list (yente's usual collections)."""
DEFAULT_CUTOFF = 0.5
DEFAULT_MATCH_LIMIT = 5
MAX_QUERIES = 100

FEATURES: dict[str, str] = {
    "name_score": "How well the names agree (rarity-weighted parts; weak aliases and one-part"
    " agreements already discounted), 0 to 1",
    "birth_date": "What the date of birth added (+) or took away (-)",
    "country": "What the countries added (+) or took away (-)",
    "gender": "What a differing gender took away",
    "identifier": "What an identical document number added",
    "name_parts_absent": "What name parts absent from the other name took away",
    "weak_alias": "Factor for a name the list marks as a weak alias",
    "one_name_part": "Factor for a one-part name agreeing with one part of a longer name",
    "other": "Other adjustments, as the explanation lists them",
}
"""Feature names our ``features`` use, and what each means (answered as ``matcher``)."""

_EXAMPLE_QUERY = {
    "schema": "Person",
    "properties": {
        "name": ["Gulmurod Khalimov"],
        "birthDate": ["1975-05-14"],
        "nationality": ["tj"],
    },
}
_EXAMPLE_ENTITY = {
    "id": "un:QDi.372",
    "caption": "Gulmurod Khalimov",
    "schema": "Person",
    "properties": {"name": ["Gulmurod Khalimov"], "birthDate": ["1975-05-14"]},
    "datasets": ["un"],
    "referents": [],
    "target": True,
}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_EXAMPLE_SCHEMA = {
    "type": "object",
    "required": ["schema", "properties"],
    "properties": {
        "schema": {"type": "string", "enum": ["Person", "Company", "Organization"]},
        "properties": {"type": "object", "additionalProperties": _STRINGS},
    },
}
MATCH_OPENAPI: dict[str, Any] = {
    "parameters": [
        {"name": name, "in": "query", "schema": {"type": kind, "minimum": 0, "maximum": top}}
        for name, kind, top in (
            ("threshold", "number", 1),
            ("cutoff", "number", 1),
            ("limit", "integer", MAX_LIMIT),
        )
    ]
    + [
        {"name": name, "in": "query", "schema": _STRINGS}
        for name in ("include_dataset", "exclude_dataset", "exclude_schema", "exclude_entity_ids")
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["queries"],
                    "properties": {
                        "queries": {"type": "object", "additionalProperties": _EXAMPLE_SCHEMA}
                    },
                },
                "example": {"queries": {"q1": _EXAMPLE_QUERY}},
            }
        },
    },
}
MATCHED = example_response(
    "One response per query, keyed as the queries were, in yente's shape",
    {
        "responses": {
            "q1": {
                "status": 200,
                "results": [
                    {
                        **_EXAMPLE_ENTITY,
                        "score": 1.0,
                        "match": True,
                        "features": {"name_score": 1.0, "birth_date": 0.06},
                        "explanation": [
                            "name score 1.00 (primary name), final 1.00",
                            "date of birth 1975-05-14 agrees with listed 1975-05-14 (+0.06)",
                        ],
                    }
                ],
                "total": {"value": 1, "relation": "eq"},
                "query": _EXAMPLE_QUERY,
            }
        },
        "matcher": {"name_score": {"description": "How well the names agree"}},
        "limit": 5,
    },
)
SEARCHED = example_response(
    "Entities whose names resemble `q`, best first, in yente's shape",
    {
        "results": [{**_EXAMPLE_ENTITY, "score": 0.93}],
        "total": {"value": 1, "relation": "eq"},
        "limit": 10,
        "offset": 0,
        "facets": {},
    },
)
ENTITY = example_response("One listed entity as FollowTheMoney", _EXAMPLE_ENTITY)

_LOOKUP_ERRORS: dict[int | str, dict[str, Any]] = {
    s: error_example(s) for s in (401, 403, 404, 422, 503)
}

_FIRST = re.compile(r"^name score (-?[0-9.]+) ")
_SIGNED = re.compile(r"\(([+-][0-9.]+)\)$")
_FACTOR = re.compile(r"\(x([0-9.]+)\)$")
_ADJUSTMENTS = (
    ("date of birth", "birth_date"),
    ("year of birth", "birth_date"),
    ("country ", "country"),
    ("gender ", "gender"),
)
_FACTORS = (("weak alias", "weak_alias"), ("only one name part", "one_name_part"))
_OPTIONS = {"threshold", "cutoff", "limit", "algorithm"}
_LIST_OPTIONS = {"include_dataset", "exclude_dataset", "exclude_schema", "exclude_entity_ids"}


def features(match: Match) -> dict[str, float]:
    """Our explanation lines as yente ``features``: feature name → value (see FEATURES)."""
    found: dict[str, float] = {}
    first = _FIRST.match(match.explanation[0]) if match.explanation else None
    if first:
        found["name_score"] = float(first.group(1))
    for line in match.explanation[1:]:
        factor, signed = _FACTOR.search(line), _SIGNED.search(line)
        if factor:
            found[_feature(line, _FACTORS)] = float(factor.group(1))
        elif signed and " ~ " not in line:  # "a ~ b: how (0.93)" is a name-part pairing
            name = _feature(line, _ADJUSTMENTS)
            found[name] = round(found.get(name, 0.0) + float(signed.group(1)), 4)
    return found


def _feature(line: str, prefixes: tuple[tuple[str, str], ...]) -> str:
    """The feature an explanation line speaks of, by how the line is written."""
    named = next((feature for prefix, feature in prefixes if line.startswith(prefix)), None)
    if named is not None:
        return named
    if " number " in line and " agrees " in line:
        return "identifier"
    return "name_parts_absent" if " absent from the " in line else "other"


@dataclass(frozen=True)
class MatchOptions:
    """``/match`` query options, as yente has them."""

    threshold: float
    cutoff: float
    limit: int
    lists: set[str] | None
    excluded_schemas: frozenset[str]
    excluded_ids: frozenset[str]
    budget: RequestBudget


def _dataset_lists(dataset: str, snapshot: Snapshot, where: str) -> set[str] | None:
    if dataset in ALL_LISTS:
        return None
    loaded = {s.name for s in snapshot.lists}
    if dataset not in loaded:
        raise ListNotFoundError(
            f"no dataset {dataset!r}",
            where=where,
            hint=f"use {' or '.join(ALL_LISTS)} for every list, or one of: "
            + ", ".join(sorted(loaded)),
        )
    return {dataset}


def _match_options(request: Request, snapshot: Snapshot, service: ServiceState) -> MatchOptions:
    query = request.query_params
    unknown = sorted(set(query) - _OPTIONS - _LIST_OPTIONS)
    if unknown:
        raise BadInputError(
            f"query parameter {unknown[0]!r} is not supported here",
            where="query string",
            hint=f"use {', '.join(sorted(_OPTIONS | _LIST_OPTIONS))}",
        )
    threshold = query_number(query.get("threshold"), "threshold", 0, 1, DEFAULT_THRESHOLD)
    cutoff = query_number(query.get("cutoff"), "cutoff", 0, 1, DEFAULT_CUTOFF)
    limit = query_number(query.get("limit"), "limit", 1, MAX_LIMIT, DEFAULT_MATCH_LIMIT, True)
    lists = _dataset_lists(request.path_params["dataset"], snapshot, "path")
    included = query.getlist("include_dataset")
    if included:
        lists = check_lists(included, snapshot, "query string include_dataset")
    excluded = set(query.getlist("exclude_dataset"))
    if excluded:
        lists = (lists or {s.name for s in snapshot.lists}) - excluded
    return MatchOptions(
        threshold=threshold,
        cutoff=min(cutoff, threshold),  # as yente: a cutoff above the threshold is the threshold
        limit=int(limit),
        lists=lists,
        excluded_schemas=frozenset(query.getlist("exclude_schema")),
        excluded_ids=frozenset(query.getlist("exclude_entity_ids")),
        budget=RequestBudget.of(service.settings),
    )


@router.post(
    "/match/{dataset}",
    responses={200: MATCHED, 404: error_example(404), **ERRORS},
    openapi_extra=MATCH_OPENAPI,
)
async def match(request: Request, dataset: str) -> Response:
    """Match FollowTheMoney examples, as yente's `/match/{dataset}` does, with our matcher.

    Body: `{"queries": {"q1": {"schema": "Person", "properties": {"name": […], "birthDate":
    […], "nationality": […], "idNumber": […]}}}}` — schemas Person, Company, Organization,
    LegalEntity, Vessel, Airplane; each name is screened with each date of birth and
    identifier. Query: `threshold` (a result scoring at least this has `match: true`; 0.80),
    `cutoff` (results scoring below it are left out; 0.5), `limit` (results per query; 5),
    `include_dataset`, `exclude_dataset`, `exclude_schema`, `exclude_entity_ids`;
    `algorithm` is accepted and ignored (our matcher answers). Answer: `{"responses": {"q1":
    {"status": 200, "results": [FtM entity + `score`, `match`, `features`, `explanation`],
    "total": {"value", "relation"}, "query"}}, "matcher": {feature: {"description"}},
    "limit"}`.
    """
    return await serve_screening(request, ("application/json",), _match_options, _work_match)


def _work_match(
    snapshot: Snapshot, raw: bytes, options: MatchOptions, service: ServiceState, _: str
) -> Outcome:
    queries = _queries(raw)
    examples = {key: read_example(key, example) for key, example in queries.items()}
    options.budget.check_parties(sum(map(len, examples.values())), options.limit)
    responses: dict[str, Any] = {}
    hits: list[dict[str, Any]] = []
    parties: list[Party] = []
    for key, screened in examples.items():
        matches = _best(snapshot, screened, options)
        parties += screened
        hits += [audit_hit(key, m) for m in matches[: options.limit]]
        responses[key] = {
            "status": 200,
            "results": [_scored(snapshot, m, options.threshold) for m in matches[: options.limit]],
            "total": {"value": len(matches), "relation": "eq"},
            "query": _echo(queries[key]),
        }
    service.metrics.count(
        "interdict_parties_screened_total", "Parties screened.", len(parties), route="/match"
    )
    return Outcome(
        payload={
            "responses": responses,
            "matcher": {name: {"description": text} for name, text in FEATURES.items()},
            "limit": options.limit,
            "algorithm": snapshot.screener.matcher,
            "list_versions": dict(snapshot.versions),
        },
        audit=screened_audit(service, parties, hits),
        hits=len(hits),
    )


def _queries(raw: bytes) -> dict[str, object]:
    hint = 'send {"queries": {"q1": {"schema": "Person", "properties": {"name": ["…"]}}}}'
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadInputError(f"not valid JSON: {exc}", where="request body", hint=hint) from exc
    queries = body.get("queries") if isinstance(body, dict) else None
    if not isinstance(queries, dict) or not queries:
        raise BadInputError("no queries", where="request body", hint=hint)
    if len(queries) > MAX_QUERIES:
        raise BadInputError(
            f"{len(queries)} queries, more than the {MAX_QUERIES} one request may carry",
            where="request body",
            hint="split the batch",
        )
    return {str(key): value for key, value in queries.items()}


def _best(snapshot: Snapshot, parties: list[Party], options: MatchOptions) -> list[Match]:
    """Each entity once, with its best score over the example's parties, best first."""
    best: dict[str, Match] = {}
    wanted = MAX_LIMIT + len(options.excluded_ids)
    for party in parties:
        options.budget.checkpoint()
        result = snapshot.screener.screen(
            party, threshold=options.cutoff, limit=wanted, lists=options.lists
        )
        for found in result.matches:
            current = best.get(found.entity_id)
            if current is None or found.score > current.score:
                best[found.entity_id] = found
    kept = [
        m
        for m in best.values()
        if m.entity_id not in options.excluded_ids
        and _ftm_schema_name(snapshot, m) not in options.excluded_schemas
    ]
    return sorted(kept, key=lambda m: (-m.score, m.entity_id))


def _ftm_schema_name(snapshot: Snapshot, match: Match) -> str:
    entity = snapshot.entities.get(match.entity_id)
    return ftm_schema(entity.schema) if entity else ""


def _entity_ftm(snapshot: Snapshot, entity_id: str) -> dict[str, Any]:
    entity = snapshot.entities.get(entity_id)
    if entity is None:
        raise ListNotFoundError(
            f"no entity {entity_id!r} in the loaded lists",
            where="path",
            hint="write LIST:SOURCE_ID as in the `id` of a result; find one with /search",
        )
    return to_ftm(entity)


def _scored(snapshot: Snapshot, match: Match, threshold: float) -> dict[str, Any]:
    return {
        **_entity_ftm(snapshot, match.entity_id),
        "score": round(match.score, 6),
        "match": match.score >= threshold,
        "features": features(match),
        "explanation": list(match.explanation),
        "matched_name": match.matched_name,
        "list_version": match.list_version,
    }


def _echo(example: object) -> dict[str, Any]:
    """The query as yente echoes it: schema and properties, values as lists."""
    assert isinstance(example, dict)  # read_example has checked it
    props = example.get("properties", {})
    return {
        "id": example.get("id"),
        "schema": example.get("schema"),
        "properties": {k: v if isinstance(v, list) else [v] for k, v in props.items()},
    }


def _snapshot(request: Request) -> Snapshot:
    service: ServiceState = request.app.state.service
    snapshot = service.holder.current
    if not snapshot.ready:
        raise ServiceUnavailable(
            "no lists are loaded",
            hint="import a list with 'interdict lists import'; the service picks it up",
        )
    return snapshot


@router.get("/search/{dataset}", responses={200: SEARCHED, **_LOOKUP_ERRORS})
async def search(request: Request, dataset: str, q: str, limit: int = 10) -> dict[str, Any]:
    """Find listed entities by name, as `interdict lists search` does, answered as yente's
    `/search/{dataset}`: `{"results": [FtM entity + `score`], "total", "limit", "offset"}`."""
    snapshot = _snapshot(request)
    lists = _dataset_lists(dataset, snapshot, "path")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInputError(f"limit={limit} is not from 1 to {MAX_LIMIT}", where="query string")
    found = await run_in_threadpool(  # as screening: never on the event loop
        lambda: search_name(snapshot.screener, q, limit=limit, lists=lists, where="query string q")
    )
    results = [{**_entity_ftm(snapshot, m.entity_id), "score": round(m.score, 6)} for m in found]
    return {
        "results": results,
        "total": {"value": len(results), "relation": "eq"},
        "limit": limit,
        "offset": 0,
        "facets": {},
    }


@router.get("/entities/{entity_id}", responses={200: ENTITY, **_LOOKUP_ERRORS})
async def entity(request: Request, entity_id: str) -> dict[str, Any]:
    """One listed entity as FollowTheMoney: `id` (`LIST:SOURCE_ID`), `caption`, `schema`
    (Person, Organization, LegalEntity, Vessel, Airplane), `properties`, `datasets`."""
    return _entity_ftm(_snapshot(request), entity_id)
