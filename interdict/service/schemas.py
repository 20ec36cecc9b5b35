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
    "MAX_LIMIT",
    "QUERY_PARAMETERS",
    "SCREENED",
    "PartyIn",
    "ScreenRequest",
    "read_json",
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


ERROR = {
    "description": "Error: what, where in the body or message, and what to do",
    "content": {
        "application/json": {
            "example": {
                "error": {
                    "code": "bad_input",
                    "message": "parties[0]: no name",
                    "where": "request body",
                    "hint": None,
                }
            }
        }
    },
}
ERRORS: dict[int | str, dict[str, Any]] = {
    status: ERROR for status in (401, 403, 413, 415, 422, 503)
}
SCREENED = {
    "description": "One result per party, in order, exactly like a line of `interdict screen`",
    "content": {
        "application/json": {
            "example": {
                "results": [
                    {
                        "id": "c1",
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
                ]
            }
        }
    },
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
