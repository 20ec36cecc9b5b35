"""What the screening routes accept and answer, as pydantic models and OpenAPI fragments.

The request models refuse unknown fields (``extra="forbid"``) and every body the service refuses
by shape (an empty name or id, an empty ``lists``), so clients can trust the OpenAPI document;
their field descriptions and the examples here are what ``GET /openapi.json`` shows. Bodies
are read by :func:`read_json`, which also refuses duplicate keys (no "last one wins").
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from interdict.errors import BadInputError

__all__ = [
    "ERROR",
    "ERRORS",
    "ERROR_SCHEMA",
    "HEALTH",
    "LISTED",
    "MANIFEST_SCREENED",
    "MAX_LIMIT",
    "PAYMENT_SCREENED",
    "QUERY_PARAMETERS",
    "READY",
    "RELOADED",
    "SCREENED",
    "VERIFIED",
    "PartyIn",
    "ScreenRequest",
    "error_example",
    "example_response",
    "read_json",
    "schema_of",
]

MAX_LIMIT = 100
"""Most matches one party may be answered with."""


class PartyIn(BaseModel):
    """One party, with the same fields as a row of ``interdict screen`` input."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1)] | int = Field(
        description="Your reference for the party; echoed in the result."
    )
    name: str = Field(min_length=1, description="Full name in any script.")
    birth_date: str | None = Field(None, description="YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY.")
    country: str | list[str] | None = Field(None, description="ISO code(s) or country name(s).")
    gender: str | None = Field(None, description="m, f, male or female.")
    id_number: str | None = Field(None, description="Passport or national ID number.")
    schema_: str | None = Field(
        None, alias="schema", description="Person, Organization, Vessel, Aircraft or LegalEntity."
    )


class ScreenRequest(BaseModel):
    """Parties to screen, and optionally how (defaults as ``interdict screen``)."""

    model_config = ConfigDict(extra="forbid")

    parties: list[PartyIn] = Field(min_length=1)
    threshold: float | None = Field(None, ge=0, le=1, description="Report scores ≥ this.")
    limit: int | None = Field(None, ge=1, le=MAX_LIMIT, description="Matches per party (10).")
    lists: list[str] | None = Field(
        None, min_length=1, description="List names to screen against (all)."
    )


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "where": {"type": ["string", "null"]},
                "hint": {"type": ["string", "null"]},
            },
        }
    },
}
_ERROR_EXAMPLES: dict[int, tuple[str, str, str | None, str | None]] = {
    401: (
        "unauthorized",
        "no API key",
        "POST /screen",
        "send 'Authorization: Bearer <key>'; create one with 'interdict keys create --role client'",
    ),
    403: (
        "forbidden",
        "role client may not call this route (it needs admin)",
        "POST /admin/reload",
        "use a key with the needed role",
    ),
    404: (
        "list_not_found",
        "no entity 'un:QDi.999' in the loaded lists",
        "path",
        "write LIST:SOURCE_ID as in the `id` of a result; find one with /search",
    ),
    409: (
        "conflict",
        "the proposal was made by analyst 'amina'; a second analyst must approve it",
        "case CASE-000001",
        "ask another analyst with the analyst or supervisor role to approve",
    ),
    413: (
        "payload_too_large",
        "the body is 12,000,000 bytes, more than the 10,485,760-byte limit",
        "request body",
        "split the batch, or raise INTERDICT_MAX_BODY_BYTES",
    ),
    415: (
        "unsupported_media_type",
        "Content-Type 'application/x-www-form-urlencoded' is not accepted here",
        "POST /screen",
        "send one of: application/json",
    ),
    422: ("bad_input", "parties[0]: no name", "request body", None),
    429: (
        "too_many_requests",
        "more than 20 exchanges in an hour for this key",
        None,
        "wait, or ask the answering side to raise INTERDICT_EXCHANGE_PER_HOUR",
    ),
    503: (
        "unavailable",
        "no lists are loaded, so nothing can be screened",
        None,
        "import a list with 'interdict lists import'; the service picks it up",
    ),
}


def error_example(status: int) -> dict[str, Any]:
    """The OpenAPI response for an error ``status``: the error shape and an example of it."""
    code, message, where, hint = _ERROR_EXAMPLES[status]
    example = {"error": {"code": code, "message": message, "where": where, "hint": hint}}
    return {
        "description": f"{code}: what went wrong, where in the request, and what to do",
        "content": {"application/json": {"schema": ERROR_SCHEMA, "example": example}},
    }


ERROR = error_example(422)
ERRORS: dict[int | str, dict[str, Any]] = {
    status: error_example(status) for status in (401, 403, 413, 415, 422, 503)
}
"""The errors a screening route may answer, each with its own example."""
SCREENED_EXAMPLE: dict[str, Any] = {
    "results": [
        {
            "id": "c1",
            "name": "Гулмурод Халимов",
            "matches": [
                {
                    "list": "un",
                    "source_id": "QDi.372",
                    "score": 0.97,
                    "matched_name": "GULMUROD KHALIMOV",
                    "explanation": ["name score 0.95 (primary name), final 0.97"],
                    "list_version": 2,
                    "entity_id": "un:QDi.372",
                    "schema": "Person",
                }
            ],
            "matcher": "name_v1",
            "list_versions": {"un": 2},
        }
    ],
    "hits": 1,
    "matcher": "name_v1",
    "list_versions": {"un": 2},
    "warnings": [],
}
QUERY_PARAMETERS = [
    {"name": "threshold", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 1}},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
    {"name": "lists", "in": "query", "schema": {"type": "string"}, "description": "a,b,…"},
]


def read_json(raw: bytes, where: str) -> Any:
    """The JSON value of a UTF-8 body; a duplicate key, NaN or Infinity is bad input."""

    def refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise BadInputError(
                    f"the key {key[:40]!r} appears twice in one object",
                    where=where,
                    hint="send each key once; duplicates are refused, not overwritten",
                )
            seen[key] = value
        return seen

    def refuse_constant(name: str) -> Any:
        raise BadInputError(f"{name} is not a JSON number", where=where)

    try:
        text = raw.decode("utf-8")
        return json.loads(text, object_pairs_hook=refuse_duplicates, parse_constant=refuse_constant)
    except UnicodeDecodeError:
        raise BadInputError("the body is not UTF-8", where=where, hint="JSON is UTF-8") from None
    except (ValueError, RecursionError) as exc:
        detail = (
            f"{exc.msg} at line {exc.lineno} column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else "nested too deeply or a number too long"
        )
        raise BadInputError(f"invalid JSON: {detail}", where=where) from None


def example_response(description: str, example: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 200 response: ``example``, and its schema (:func:`schema_of`)."""
    return {
        "description": description,
        "content": {"application/json": {"schema": schema_of(example), "example": example}},
    }


MAPS = frozenset({"list_versions", "properties", "features", "matcher", "responses", "facets"})
"""Fields whose keys are data (list names, query keys, feature names), not a fixed set."""


def schema_of(example: Any, field: str = "") -> dict[str, Any]:
    """A JSON schema that ``example`` is an instance of: its fields required unless null, the
    items of a list as general as all of them, the fields named in :data:`MAPS` as maps — so
    that the documented shape and the example cannot drift apart."""
    if isinstance(example, dict):
        if field in MAPS:
            values = [schema_of(v) for v in example.values()]
            return {"type": "object", "additionalProperties": _union(values) if values else {}}
        return {
            "type": "object",
            "properties": {k: schema_of(v, k) for k, v in example.items()},
            "required": [k for k, v in example.items() if v is not None],
        }
    if isinstance(example, list):
        items = [schema_of(item, field) for item in example]
        return {"type": "array", "items": _union(items)} if items else {"type": "array"}
    if example is None:
        return {"type": "null"}
    kinds = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"))
    return {"type": next(kind for cls, kind in kinds if isinstance(example, cls))}


def _union(schemas: list[dict[str, Any]]) -> dict[str, Any]:
    """A schema every one of ``schemas`` is narrower than (the items of one list)."""
    merged = schemas[0]
    for other in schemas[1:]:
        merged = _either(merged, other)
    return merged


def _either(one: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    kinds = sorted({*_kinds(one), *_kinds(other)})
    if one.get("type") == other.get("type") == "object" and "properties" in one:
        names = {**one.get("properties", {}), **other.get("properties", {})}
        return {
            "type": "object",
            "properties": {
                k: _either(one["properties"][k], other["properties"][k])
                if k in one["properties"] and k in other.get("properties", {})
                else names[k]
                for k in names
            },
            "required": [k for k in one.get("required", []) if k in other.get("required", [])],
        }
    if one.get("type") == other.get("type") == "array":
        return {"type": "array", "items": _either(one.get("items", {}), other.get("items", {}))}
    if "null" in kinds and len(kinds) == 2:  # a value or null: the value's schema, nullable
        value = one if one.get("type") != "null" else other
        return {**value, "type": [value["type"], "null"]}
    return {"type": kinds[0]} if len(kinds) == 1 else {"type": kinds}


def _kinds(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return kind if isinstance(kind, list) else [kind]


_MATCH = SCREENED_EXAMPLE["results"][0]["matches"][0]
SCREENED = example_response(
    "One result per party, in order, exactly like a line of `interdict screen`", SCREENED_EXAMPLE
)
_VERSIONS = {"un": 2}
_LIST = {
    "name": "un",
    "version": 2,
    "entities": 1003,
    "imported_at": "2026-02-01T08:00:00+00:00",
    "published": "2026-01-30",
    "sha256": "9f2c…",
}
_INHOUSE = {**_LIST, "name": "inhouse", "version": 1, "entities": 40, "published": None}
PAYMENT_SCREENED = example_response(
    "Every party and agent of the message with its matches, and the R.16 findings",
    {
        "messages": [
            {
                "index": 1,
                "type": "MT103",
                "reference": "R1",
                "transfers": 1,
                "network_screening": {"code": "AOK", "meaning": "released", "text": "NO HIT"},
            }
        ],
        "parties": [
            {
                "id": "message 1 sender",
                "role": "sender",
                "kind": "agent",
                "where": "request body line 1 record message 1 sender address",
                "transaction": None,
                "name": None,
                "bic": "AAAAKZKAXXX",
                "matches": [],
            },
            {
                "id": "message 1 field 50K",
                "role": "ordering_customer",
                "kind": "party",
                "where": "request body line 4 record message 1 field 50K",
                "transaction": None,
                "name": "GULMUROD KHALIMOV",
                "bic": None,
                "matches": [_MATCH],
            },
        ],
        "findings": [
            {
                "rule": "FATF R.16",
                "message": 1,
                "transaction": "R1",
                "party": "originator",
                "element": "account",
                "field": "50a",
                "text": "originator account number is missing",
                "where": "request body line 4 record message 1 field 50K",
            }
        ],
        "hits": 1,
        "matcher": "name_v1",
        "list_versions": _VERSIONS,
        "warnings": [],
    },
)
MANIFEST_SCREENED = example_response(
    "One result per traveller, in order, with the traveller as the interchange gives it",
    {
        "messages": [
            {
                "index": 1,
                "type": "PAXLST",
                "version": "D:05B",
                "reference": "1",
                "flights": [{"number": "KC921", "departure": "FRA", "arrival": "ALA"}],
                "travellers": 2,
            }
        ],
        "results": [
            {
                "id": "1.1",
                "matches": [_MATCH],
                "matcher": "name_v1",
                "list_versions": _VERSIONS,
                "traveller": {
                    "kind": "passenger",
                    "name": "GULMUROD KHALIMOV",
                    "birth_date": "1975-05-14",
                    "gender": None,
                    "nationality": "TJ",
                    "document": {"kind": "P", "number": "400123456", "country": None},
                    "where": "request body line 1 record segment 8 (NAD)",
                },
            },
            {
                "id": "1.2",
                "matches": [],
                "matcher": "name_v1",
                "list_versions": _VERSIONS,
                "traveller": {
                    "kind": "crew",
                    "name": "JANE NOBODY",
                    "birth_date": None,
                    "gender": None,
                    "nationality": None,
                    "document": None,
                    "where": "request body line 1 record segment 12 (NAD)",
                },
            },
        ],
        "hits": 1,
        "matcher": "name_v1",
        "list_versions": _VERSIONS,
        "warnings": ["request body line 1 record segment 13 (UNT): UNT counts 12 segments"],
    },
)
LISTED = example_response(
    "The list versions served",
    {
        "lists": [_LIST, _INHOUSE],
        "matcher": "name_v1",
        "generation": 3,
        "loaded_at": "2026-02-01T08:00:05+00:00",
    },
)
RELOADED = example_response(
    "Whether new versions were swapped in, and what is served now",
    {"reloaded": True, "generation": 4, "lists": [_LIST, _INHOUSE]},
)
VERIFIED = example_response(
    "Whether the audit trail's hash chain is intact (else the first broken line)",
    {"ok": True, "entries": 1200, "head": "8850edb9…", "problem": None, "line": None},
)
HEALTH = example_response(
    "The process serves (lists loaded or not)",
    {
        "status": "ok",
        "ready": True,
        "version": "0.1.0",
        "lists": 1,
        "generation": 3,
        "loaded_at": "2026-02-01T08:00:05+00:00",
        "watcher": "running",
    },
)
READY = example_response(
    "Lists are loaded: requests can be screened",
    {"status": "ready", "list_versions": _VERSIONS, "generation": 3},
)
