"""Entities as FollowTheMoney (FtM) JSON: the form OpenSanctions, yente and Aleph exchange.

:func:`to_ftm` writes one listed entity as ``{"id", "caption", "schema", "properties",
"datasets", "referents", "target"}``; the id is our namespaced ``entity_id`` (``un:QDi.372``) and
``datasets`` holds the list name. The FtM reader (:mod:`interdict.readers.ftm`) reads it back:
names, dates of birth, places of birth, countries, gender, identifiers, addresses, programs,
listing date and remarks come back as written. What FtM has no place for goes in one extra
top-level key, ``"interdict"`` (:func:`details`; FtM tools ignore it), so that our own reader
gives back the very same entity:

- an original-script name is written as an ``alias`` (FtM does not mark scripts), a name's
  language is not written, and given/family names only for the first name having them;
- an approximate date of birth loses its ``~``; a range of years is written as its two ends;
- a country of residence or of an address is written as ``country`` (FtM has no such roles);
- an identifier's country and note are not written; a kind FtM has no property for on the
  schema is written as ``idNumber`` (people, organisations) or ``registrationNumber`` (vessels,
  aircraft); an address's country is not written.

The details are used only where they agree with the properties (:func:`apply_details`: same
names, dates, country codes, identifier values, addresses): a file edited by another tool keeps
what its properties say.

:data:`FTM_SCHEMAS` maps the FtM schemas we read onto ours (Company → Organization, Airplane →
Aircraft); :data:`FTM_PROPERTIES` lists the properties FtM defines for each schema we write, so
that a test can check nothing is written where FtM has no such property.
"""

from __future__ import annotations

from typing import Any

from interdict.model.entity import CountryRole, Entity, NameKind, NameQuality, PartialDate, Schema

__all__ = [
    "DETAILS_KEY",
    "FTM_PROPERTIES",
    "FTM_SCHEMAS",
    "FtmProperties",
    "apply_details",
    "details",
    "ftm_schema",
    "to_ftm",
]

FtmProperties = dict[str, list[str]]

DETAILS_KEY = "interdict"
"""Top-level key of an exported FtM entity holding what FtM properties cannot say."""

FTM_SCHEMAS: dict[str, Schema] = {
    "Person": Schema.PERSON,
    "Organization": Schema.ORGANIZATION,
    "Company": Schema.ORGANIZATION,
    "PublicBody": Schema.ORGANIZATION,
    "LegalEntity": Schema.LEGAL_ENTITY,
    "Vessel": Schema.VESSEL,
    "Airplane": Schema.AIRCRAFT,
}
"""FtM schema name → our schema (the schemas of listed parties; others are helper records)."""

_WRITTEN = {
    Schema.PERSON: "Person",
    Schema.ORGANIZATION: "Organization",
    Schema.LEGAL_ENTITY: "LegalEntity",
    Schema.VESSEL: "Vessel",
    Schema.AIRCRAFT: "Airplane",
}

_THING = frozenset(
    {"name", "alias", "weakAlias", "previousName", "country", "notes", "address", "program"}
    | {"topics", "createdAt"}
)
_LEGAL_ENTITY = _THING | {
    "idNumber",
    "taxNumber",
    "registrationNumber",
    "vatCode",
    "jurisdiction",
    "mainCountry",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
}
_VEHICLE = _THING | {"registrationNumber"}
FTM_PROPERTIES: dict[str, frozenset[str]] = {
    "LegalEntity": _LEGAL_ENTITY,
    "Organization": _LEGAL_ENTITY,
    "Person": _LEGAL_ENTITY
    | {"firstName", "lastName", "birthDate", "birthPlace", "birthCountry"}
    | {"nationality", "citizenship", "gender", "passportNumber", "socialSecurityNumber"},
    "Vessel": _VEHICLE | {"imoNumber", "mmsi", "flag"},
    "Airplane": _VEHICLE | {"icaoCode", "serialNumber"},
}
"""FtM schema → the properties FtM defines for it, of those we write (from FtM's schema files)."""

_NAME_PROPERTY = {
    (NameKind.PRIMARY, NameQuality.STRONG): "name",
    (NameKind.ALIAS, NameQuality.STRONG): "alias",
    (NameKind.ORIGINAL_SCRIPT, NameQuality.STRONG): "alias",
    (NameKind.FORMER, NameQuality.STRONG): "previousName",
}
_COUNTRY_PROPERTY = {
    CountryRole.NATIONALITY: "nationality",
    CountryRole.CITIZENSHIP: "citizenship",
    CountryRole.BIRTH: "birthCountry",
    CountryRole.INCORPORATION: "jurisdiction",
    CountryRole.FLAG: "flag",
}
_IDENTIFIER_PROPERTY = {
    "passport": "passportNumber",
    "national_id": "idNumber",
    "tax_id": "taxNumber",
    "registration": "registrationNumber",
    "imo": "imoNumber",
    "mmsi": "mmsi",
    "bic": "swiftBic",
    "lei": "leiCode",
    "vat": "vatCode",
    "ssn": "socialSecurityNumber",
    "icao": "icaoCode",
}


def ftm_schema(schema: Schema) -> str:
    """The FtM schema name an entity of ``schema`` is written with."""
    return _WRITTEN[schema]


def to_ftm(entity: Entity) -> dict[str, Any]:
    """One listed entity as an FtM entity object (JSON-ready)."""
    schema = ftm_schema(entity.schema)
    allowed = FTM_PROPERTIES[schema]
    props: FtmProperties = {}

    def add(prop: str, value: str) -> None:
        values = props.setdefault(prop, [])
        if value not in values:
            values.append(value)

    for name in entity.names:
        prop = _NAME_PROPERTY.get((name.kind, name.quality), "alias")
        add("weakAlias" if name.quality is NameQuality.WEAK else prop, name.full)
    parted = next((n for n in entity.names if n.given and n.family), None)
    if parted is not None and schema == "Person":
        add("firstName", str(parted.given))
        add("lastName", str(parted.family))
    for date in entity.birth_dates:
        for text in _dates(date):
            add("birthDate", text)
    for place in entity.birth_places:
        add("birthPlace", place)
    for country in entity.countries:
        prop = _COUNTRY_PROPERTY.get(country.role, "country")
        add(prop if prop in allowed else "country", country.code.lower())
    if entity.gender:
        add("gender", entity.gender)
    fallback = "idNumber" if "idNumber" in allowed else "registrationNumber"
    for identifier in entity.identifiers:
        prop = _IDENTIFIER_PROPERTY.get(identifier.kind, fallback)
        add(prop if prop in allowed else fallback, identifier.value)
    for address in entity.addresses:
        add("address", address.full)
    for program in entity.programs:
        add("program", program)
    if entity.listed_on:
        add("createdAt", entity.listed_on)
    if entity.remarks:
        add("notes", entity.remarks)
    add("topics", "sanction")
    return {
        "id": entity.entity_id(),
        "caption": entity.names[0].full,
        "schema": schema,
        "properties": props,
        "datasets": [entity.provenance.list_name] if entity.provenance else [],
        "referents": [],
        "target": True,
        DETAILS_KEY: details(entity),
    }


_DETAILED = ("names", "birth_dates", "countries", "identifiers", "addresses")


def details(entity: Entity) -> dict[str, Any]:
    """The fields FtM properties say only in part, exactly as our model holds them."""
    return entity.model_dump(mode="json", include=set(_DETAILED), exclude_none=True)


def _agreeing(entity: Entity) -> dict[str, object]:
    """What the FtM properties and the details must agree on for the details to be used."""
    return {
        "names": {n.full.casefold() for n in entity.names},
        "birth_dates": {t for d in entity.birth_dates for t in _dates(d)},
        "countries": {c.code for c in entity.countries},
        "identifiers": {i.value for i in entity.identifiers},
        "addresses": {a.full for a in entity.addresses},
    }


def apply_details(entity: Entity, extra: object) -> Entity | None:
    """``entity`` (read from FtM properties) with the exported details in place of what the
    properties said in part; ``None`` when the details are unreadable or disagree."""
    if not isinstance(extra, dict) or set(extra) - set(_DETAILED):
        return None
    try:
        detailed = Entity.model_validate({**entity.model_dump(by_alias=True), **extra})
    except ValueError:  # pydantic's ValidationError is a ValueError
        return None
    return detailed if _agreeing(detailed) == _agreeing(entity) else None


def _dates(date: PartialDate) -> list[str]:
    """FtM date values of one of our dates (FtM dates are exact prefixes: no ranges, no ``~``)."""
    if date.until_year is not None:
        return [f"{date.year:04d}", f"{date.until_year:04d}"]
    return [str(date).lstrip("~")]
