"""The core nouns every stage shares: list entities, their names and attributes, screening parties.

The model is FollowTheMoney-compatible in spirit (schemas Person, Organization, Vessel, Aircraft)
and validated on construction, so nothing downstream of a reader needs to re-check it.
"""

from interdict.model.entity import (
    Address,
    CountryRole,
    Entity,
    EntityCountry,
    Identifier,
    Name,
    NameKind,
    NameQuality,
    PartialDate,
    Provenance,
    Schema,
)
from interdict.model.party import Party

__all__ = [
    "Address",
    "CountryRole",
    "Entity",
    "EntityCountry",
    "Identifier",
    "Name",
    "NameKind",
    "NameQuality",
    "PartialDate",
    "Party",
    "Provenance",
    "Schema",
]
