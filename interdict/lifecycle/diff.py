"""Entity-level differences between two versions of a list: added, removed, changed (which fields).

A change *matters to matching* when it touches what the scorer reads — names and aliases (and
their weak/strong quality), dates of birth, countries, gender, identity documents, or the
schema. Remarks, programmes, addresses, places of birth as text and listing dates do not:
a remark edited by the publisher must not re-raise alerts an analyst already cleared.
:func:`entity_fingerprint` digests exactly the fields that matter.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from interdict.model import Entity
from interdict.store import Workspace

__all__ = [
    "MATTER_FIELDS",
    "EntityChange",
    "FieldChange",
    "ListDiff",
    "diff_entities",
    "diff_versions",
    "entity_fingerprint",
]

MATTER_FIELDS = ("schema", "names", "birth_dates", "countries", "gender", "identifiers")
"""Fields whose change re-opens a cleared customer–entity pair."""
_OTHER_FIELDS = ("birth_places", "addresses", "programs", "listed_on", "remarks")


def _field_values(entity: Entity, name: str) -> list[str]:
    """A field rendered as comparable strings, one per item."""
    if name == "schema":
        return [entity.schema.value]
    if name == "names":
        return [
            n.full
            + ("" if n.kind.value == "primary" else f" ({n.kind.value})")
            + (" [weak]" if n.quality.value == "weak" else "")
            for n in entity.names
        ]
    if name == "birth_dates":
        return [str(d) for d in entity.birth_dates]
    if name == "countries":
        return [f"{c.code} ({c.role.value})" for c in entity.countries]
    if name == "identifiers":
        return [
            f"{i.kind} {i.value}" + (f" ({i.country})" if i.country else "")
            for i in entity.identifiers
        ]
    if name == "addresses":
        return [a.full for a in entity.addresses]
    value: Any = getattr(entity, name)
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return [] if value is None else [str(value)]


def entity_fingerprint(entity: Entity) -> str:
    """Digest of the fields that matter to matching (names by text and quality, not order)."""
    data = {
        "schema": entity.schema.value,
        "names": sorted({(n.full, n.quality.value) for n in entity.names}),
        "birth_dates": sorted(str(d) for d in entity.birth_dates),
        "countries": sorted({c.code for c in entity.countries}),
        "gender": entity.gender,
        "identifiers": sorted({(i.kind, i.value) for i in entity.identifiers}),
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class FieldChange:
    """One field of an entity that differs between versions."""

    field: str
    added: tuple[str, ...]
    removed: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"field": self.field, "added": list(self.added), "removed": list(self.removed)}

    def describe(self) -> str:
        """``names: +Abu Lulu (alias); -Abu Loulou (alias)``."""
        parts = [f"+{v}" for v in self.added] + [f"-{v}" for v in self.removed]
        return f"{self.field}: " + "; ".join(parts)


@dataclass(frozen=True)
class EntityChange:
    """An entity present in both versions whose listing differs."""

    source_id: str
    name: str
    fields: tuple[FieldChange, ...]
    matters: bool
    """Whether the change can change a match (the :func:`entity_fingerprint` differs)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "source_id": self.source_id,
            "name": self.name,
            "matters": self.matters,
            "fields": [f.to_dict() for f in self.fields],
        }


@dataclass(frozen=True)
class ListDiff:
    """What changed from one version of a list to another."""

    list_name: str
    from_version: int | None
    to_version: int
    added: tuple[Entity, ...]
    removed: tuple[Entity, ...]
    changed: tuple[EntityChange, ...]
    new_entities: dict[str, Entity]
    """Entities of the ``to`` version, by source id (the changed ones as they are now)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form of ``interdict lists diff --json``."""

        def brief(entity: Entity) -> dict[str, str]:
            return {
                "source_id": entity.source_id,
                "name": entity.names[0].full,
                "schema": entity.schema.value,
            }

        return {
            "list": self.list_name,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "summary": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
            },
            "added": [brief(e) for e in self.added],
            "removed": [brief(e) for e in self.removed],
            "changed": [c.to_dict() for c in self.changed],
        }


def _changes(old: Entity, new: Entity) -> tuple[FieldChange, ...]:
    found: list[FieldChange] = []
    for name in MATTER_FIELDS + _OTHER_FIELDS:
        before, after = _field_values(old, name), _field_values(new, name)
        if before == after:
            continue
        added = tuple(v for v in after if v not in before)
        removed = tuple(v for v in before if v not in after)
        if not added and not removed:  # same items, another order
            continue
        found.append(FieldChange(name, added, removed))
    return tuple(found)


def diff_entities(
    list_name: str,
    old: Iterable[Entity],
    new: Iterable[Entity],
    *,
    from_version: int | None = None,
    to_version: int = 0,
) -> ListDiff:
    """Compare two versions' entities by source id."""
    before = {e.source_id: e for e in old}
    after = {e.source_id: e for e in new}
    added = tuple(after[k] for k in sorted(after.keys() - before.keys()))
    removed = tuple(before[k] for k in sorted(before.keys() - after.keys()))
    changed: list[EntityChange] = []
    for key in sorted(after.keys() & before.keys()):
        fields = _changes(before[key], after[key])
        if fields:
            matters = entity_fingerprint(before[key]) != entity_fingerprint(after[key])
            changed.append(EntityChange(key, after[key].names[0].full, fields, matters))
    return ListDiff(list_name, from_version, to_version, added, removed, tuple(changed), after)


def diff_versions(
    workspace: Workspace, name: str, from_version: int | None = None, to_version: int | None = None
) -> ListDiff:
    """Diff two stored versions of ``name``; by default the one before the active and the active.

    With only one version stored, everything in it is "added" (``from_version`` is None).
    """
    target = workspace.version(name, to_version)
    if from_version is None:
        older = [v.version for v in workspace.versions(name) if v.version < target.version]
        from_version = older[0] if older else None
    elif from_version:
        workspace.version(name, from_version)  # raises a clear error when unknown
    old = list(workspace.version_entities(name, from_version)) if from_version else []
    new = workspace.version_entities(name, target.version)
    return diff_entities(name, old, new, from_version=from_version, to_version=target.version)
