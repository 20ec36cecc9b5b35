"""What screening returns: matches with their reasons, and the versions that produced them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Match", "ScreeningResult"]


@dataclass(frozen=True, slots=True)
class Match:
    """One listed entity that a screened party may be."""

    list_name: str
    list_version: int
    source_id: str
    entity_id: str
    schema: str
    score: float
    matched_name: str
    explanation: tuple[str, ...]
    subject: str | None = None
    """The designee this entity is a listing of: the entity id of the subject's first listing
    among the loaded lists (the same for a person's UN, UK and OFAC records; see
    :mod:`interdict.screening.subjects`)."""
    subject_reason: str | None = None
    """Why this listing belongs to ``subject`` (``None`` for the first listing itself)."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the CLI and API contract."""
        data: dict[str, Any] = {
            "list": self.list_name,
            "source_id": self.source_id,
            "score": round(self.score, 6),
            "matched_name": self.matched_name,
            "explanation": list(self.explanation),
            "list_version": self.list_version,
            "entity_id": self.entity_id,
            "schema": self.schema,
        }
        if self.subject is not None:
            data["subject"] = self.subject
            if self.subject_reason is not None:
                data["subject_reason"] = self.subject_reason
        return data


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The outcome for one screened party: matches, best first, at or above the threshold."""

    id: str
    matches: tuple[Match, ...]
    matcher: str
    list_versions: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    name: str | None = None
    """The name that was screened, as read (so a result line says whom it is about)."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the CLI and API contract (``name`` beside ``id`` when known;
        ``subjects``: how many designees the matches are listings of)."""
        data: dict[str, Any] = {"id": self.id}
        if self.name is not None:
            data["name"] = self.name
        data |= {
            "matches": [m.to_dict() for m in self.matches],
            "subjects": len({m.subject or m.entity_id for m in self.matches}),
            "matcher": self.matcher,
            "list_versions": dict(self.list_versions),
        }
        if self.error is not None:
            data["error"] = self.error
        return data
