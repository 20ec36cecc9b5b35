"""One designated subject on several lists: which listed entities are the same person or body.

The UN, the UK, the EU and OFAC each publish their own record of the same designee, so one
customer who is a designee gets one match per list. An analyst wants to see one subject with
its listings, not three unrelated hits. Entities of *different* lists are taken to be one subject
when the lists say so or when what they record cannot belong to two different subjects:

- the same UN reference number (the UN record's own id, or the ``UN Ref QDi.123`` /
  ``UN reference: QDi.123`` that the UK and EU records carry) on two persons or two non-persons,
  or
- the same schema, a name that is the same once case, accents, punctuation and word order are
  set aside, and — for persons — a date of birth in common (persons without a recorded date
  of birth on either side are never grouped by name alone: namesakes are common).

Grouping only labels matches (``subject``, with the reason); it never removes one. Every entity
keeps its own score, explanation and list version. Two records of the *same* list are never
merged here, not even through a record of another list: a list that lists a subject twice
means two designations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from interdict.model import Entity, NameKind, Schema

__all__ = ["Subject", "subjects"]

_UN_REFERENCE = re.compile(
    r"\bUN\s+Ref(?:erence)?(?:\s+Number)?\s*:?\s*([A-Z]{2,3}[ie]?\.[A-Z0-9.]*[0-9])", re.IGNORECASE
)
"""A UN reference *labelled* as the record's own ("UN Ref QDi.123", "UN reference: QDe.004");
remarks also cite other designees' references ("announced by … (QDi.006)"), which say nothing
about whom this record is."""


_APOSTROPHES = str.maketrans("", "", "'’ʼ`´‘")


@dataclass(frozen=True, slots=True)
class Subject:
    """The subject an entity belongs to: ``label`` is the entity id of its first member."""

    label: str
    reason: str | None = None
    """Why the entity was joined to the subject (``None`` for the first member)."""


def name_key(text: str) -> str:
    """A name with case, accents, punctuation and word order set aside."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_APOSTROPHES)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(sorted(letters.split()))


def un_references(entity: Entity) -> set[str]:
    """UN reference numbers an entity's record carries (its own id on the UN list)."""
    found = {m.group(1).upper() for m in _UN_REFERENCE.finditer(entity.remarks or "")}
    if entity.provenance is not None and entity.provenance.list_name == "un":
        found.add(entity.source_id.upper())
    return found


def _birth_years(entity: Entity) -> set[str]:
    return {str(date)[:4] for date in entity.birth_dates}


class _Groups:
    """Union-find over entities; a group never holds two entities of the same list (joining
    A–X and X–B must not make two records of one list one subject)."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.parent = list(range(len(entities)))
        self.lists = [{_list_of(e)} for e in entities]

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> bool:
        first, second = sorted((self.find(a), self.find(b)))
        if first == second or self.lists[first] & self.lists[second]:
            return False
        self.parent[second] = first
        self.lists[first] |= self.lists[second]
        return True


def _list_of(entity: Entity) -> str:
    return entity.provenance.list_name if entity.provenance else ""


def _same_name_pairs(entities: Sequence[Entity]) -> Iterable[tuple[int, int, int, str]]:
    """(strength, a, b, reason) for entities of different lists sharing a name: 0 when both
    share their primary names, 1 for a primary name and an alias, 2 for two aliases (weak:
    "The Base", "Islamic Army" are aliases of several groups)."""
    by_key: dict[tuple[Schema, str], dict[int, int]] = {}
    for index, entity in enumerate(entities):
        for name in entity.names:
            key = name_key(name.full)
            if key:
                rank = 0 if name.kind == NameKind.PRIMARY else 1
                ranks = by_key.setdefault((entity.schema, key), {})
                ranks[index] = min(rank, ranks.get(index, rank))
    for (schema, key), ranked in by_key.items():
        members = sorted(ranked)
        for position, a in enumerate(members):
            for b in members[position + 1 :]:
                if _list_of(entities[a]) == _list_of(entities[b]):
                    continue
                strength = ranked[a] + ranked[b]
                if schema == Schema.PERSON:
                    shared = _birth_years(entities[a]) & _birth_years(entities[b])
                    if shared:
                        yield strength, a, b, f"same name ({key}) and year of birth {min(shared)}"
                else:
                    yield strength, a, b, f"same name ({key})"


def subjects(entities: Sequence[Entity]) -> dict[str, Subject]:
    """Entity id → its subject, over ``entities`` (of any lists, each with its provenance)."""
    groups = _Groups(entities)
    reasons: dict[int, str] = {}
    by_reference: dict[str, list[int]] = {}
    for index, entity in enumerate(entities):
        for reference in un_references(entity):
            by_reference.setdefault(reference, []).append(index)
    pairs: list[tuple[int, int, int, str]] = [
        (-1, members[0], other, f"same UN reference {reference}")
        for reference, members in sorted(by_reference.items())
        for other in members[1:]
        if _list_of(entities[members[0]]) != _list_of(entities[other])
        # A person never shares a reference with a group (a list's slip: "UN Ref QDe.004" on
        # a member of Al-Qaida rather than on Al-Qaida).
        and (entities[members[0]].schema == Schema.PERSON)
        == (entities[other].schema == Schema.PERSON)
    ]
    pairs += _same_name_pairs(entities)
    pairs.sort(key=lambda pair: pair[:3])
    for _strength, a, b, reason in pairs:
        if groups.join(a, b):
            reasons.setdefault(a, reason)
            reasons.setdefault(b, reason)
    found: dict[str, Subject] = {}
    for index, entity in enumerate(entities):
        root = groups.find(index)
        label = entities[root].entity_id()
        found[entity.entity_id()] = Subject(label, None if root == index else reasons.get(index))
    return found
