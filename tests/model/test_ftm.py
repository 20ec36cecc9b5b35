"""Entities as FollowTheMoney JSON: written with FtM's own schema and property names, and read
back by the FtM reader as the same entities (as far as FtM can say them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interdict.model import (
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
from interdict.model.ftm import DETAILS_KEY, FTM_PROPERTIES, FTM_SCHEMAS, ftm_schema, to_ftm
from interdict.readers import read_list
from interdict.readers.ftm import read_ftm

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
FIXTURES = [
    ("un", LISTS / "un" / "un_sample.xml"),
    ("eu", LISTS / "eu" / "eu_fsf_sample.xml"),
    ("ofac", LISTS / "ofac" / "sdn_list.xml"),
    ("uk", LISTS / "uk" / "ofsi_conlist_2025.csv"),
    ("ftm", LISTS / "ftm" / "ftm_sample.ftm.json"),
    ("kz_afm", LISTS / "kz_afm" / "category_1.xml"),
    ("kg_fiu", LISTS / "kg_fiu" / "sanction_list.xml"),
]


def listed(fmt: str, path: Path) -> list[Entity]:
    provenance = Provenance(list_name=fmt, list_version=1)
    return [e.with_provenance(provenance) for e in read_list(path, fmt).entities]


def round_trip(
    entities: list[Entity], tmp_path: Path, *, with_details: bool = True
) -> dict[str, Entity]:
    path = tmp_path / "export.ftm.json"
    written = [to_ftm(e) for e in entities]
    if not with_details:  # as another FtM tool would write them
        written = [{k: v for k, v in w.items() if k != DETAILS_KEY} for w in written]
    lines = [json.dumps(w, ensure_ascii=False) for w in written]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {e.source_id: e for e in read_ftm(path).entities}


def without_provenance(entity: Entity) -> dict[str, object]:
    return entity.model_dump(exclude={"provenance"})


_SAID_AS = {NameKind.ORIGINAL_SCRIPT: NameKind.ALIAS}
_ROLE_SAID_AS = {CountryRole.RESIDENCE: CountryRole.OTHER, CountryRole.ADDRESS: CountryRole.OTHER}


def carried(entity: Entity) -> dict[str, object]:
    """What FtM can say of an entity (see the interdict.model.ftm docstring for the rest)."""
    dates = set()
    for date in entity.birth_dates:
        ends = (date.year, date.until_year) if date.until_year else (date.year,)
        dates |= {PartialDate.parse(str(e)) for e in ends} if date.until_year else {date}
    return {
        "schema": entity.schema,
        "names": {(n.full.lower(), _SAID_AS.get(n.kind, n.kind), n.quality) for n in entity.names},
        "birth_dates": {str(d).lstrip("~") for d in dates},
        "birth_places": set(entity.birth_places),
        "countries": {(c.code, _ROLE_SAID_AS.get(c.role, c.role)) for c in entity.countries},
        "identifiers": {i.value for i in entity.identifiers},
        "gender": entity.gender,
        "addresses": {a.full for a in entity.addresses},
        "programs": set(entity.programs),
        "listed_on": entity.listed_on,
        "remarks": entity.remarks,
    }


@pytest.mark.parametrize(("fmt", "path"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_every_list_written_with_ftm_names(fmt: str, path: Path) -> None:
    for entity in listed(fmt, path):
        written = to_ftm(entity)
        assert written["schema"] in FTM_PROPERTIES
        assert FTM_SCHEMAS[written["schema"]] is entity.schema
        unknown = set(written["properties"]) - FTM_PROPERTIES[written["schema"]]
        assert not unknown, (entity.entity_id(), unknown)
        assert all(
            v and all(isinstance(s, str) and s for s in v) for v in written["properties"].values()
        )
        assert written["id"] == f"{fmt}:{entity.source_id}"
        assert written["datasets"] == [fmt]


@pytest.mark.parametrize(("fmt", "path"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_every_list_reads_back_as_the_same_entities(fmt: str, path: Path, tmp_path: Path) -> None:
    entities = listed(fmt, path)
    assert entities
    back = round_trip(entities, tmp_path)
    assert sorted(back) == sorted(e.source_id for e in entities)
    for entity in entities:
        assert without_provenance(back[entity.source_id]) == without_provenance(entity)


@pytest.mark.parametrize(("fmt", "path"), FIXTURES, ids=[f for f, _ in FIXTURES])
def test_the_properties_alone_say_what_ftm_can(fmt: str, path: Path, tmp_path: Path) -> None:
    entities = listed(fmt, path)
    back = round_trip(entities, tmp_path, with_details=False)
    for entity in entities:
        assert carried(back[entity.source_id]) == carried(entity), entity.entity_id()


def test_details_that_disagree_with_edited_properties_are_not_used(tmp_path: Path) -> None:
    entity = listed("un", FIXTURES[0][1])[0]
    written = to_ftm(entity)
    written["properties"]["name"] = ["Someone Else"]
    path = tmp_path / "edited.ftm.json"
    path.write_text(json.dumps(written) + "\n", encoding="utf-8")
    read = read_ftm(path)
    assert read.entities[0].names[0].full == "Someone Else"
    assert any("details disagree" in w for w in read.warnings)


def test_one_entity_in_full() -> None:
    entity = Entity(
        source_id="QDi.1",
        schema=Schema.PERSON,
        names=(
            Name(full="Gulmurod Khalimov", given="Gulmurod", family="Khalimov"),
            Name(full="Гулмурод Халимов", kind=NameKind.ORIGINAL_SCRIPT),
            Name(full="Abu Bakr", kind=NameKind.ALIAS, quality=NameQuality.WEAK),
            Name(full="G. Halimov", kind=NameKind.FORMER),
        ),
        birth_dates=(PartialDate.parse("1975-05-14"), PartialDate(year=1970, until_year=1972)),
        countries=(
            EntityCountry(code="TJ", role=CountryRole.NATIONALITY),
            EntityCountry(code="SY", role=CountryRole.RESIDENCE),
        ),
        identifiers=(Identifier(kind="passport", value="400123456"),),
        programs=("ISIL",),
        listed_on="2015-09-29",
        remarks="Commander.",
        provenance=Provenance(list_name="un", list_version=3),
    )
    assert to_ftm(entity) == {
        "id": "un:QDi.1",
        "caption": "Gulmurod Khalimov",
        "schema": "Person",
        "properties": {
            "name": ["Gulmurod Khalimov"],
            "alias": ["Гулмурод Халимов"],
            "weakAlias": ["Abu Bakr"],
            "previousName": ["G. Halimov"],
            "firstName": ["Gulmurod"],
            "lastName": ["Khalimov"],
            "birthDate": ["1975-05-14", "1970", "1972"],
            "nationality": ["tj"],
            "country": ["sy"],
            "passportNumber": ["400123456"],
            "program": ["ISIL"],
            "createdAt": ["2015-09-29"],
            "notes": ["Commander."],
            "topics": ["sanction"],
        },
        "datasets": ["un"],
        "referents": [],
        "target": True,
        DETAILS_KEY: {
            "names": [n.model_dump(mode="json", exclude_none=True) for n in entity.names],
            "birth_dates": [
                {"year": 1975, "month": 5, "day": 14, "approximate": False},
                {"year": 1970, "until_year": 1972, "approximate": False},
            ],
            "countries": [
                {"code": "TJ", "role": "nationality"},
                {"code": "SY", "role": "residence"},
            ],
            "identifiers": [{"kind": "passport", "value": "400123456"}],
            "addresses": [],
        },
    }


def test_schemas_are_written_as_ftm_names_them() -> None:
    assert {s: ftm_schema(s) for s in Schema} == {
        Schema.PERSON: "Person",
        Schema.ORGANIZATION: "Organization",
        Schema.VESSEL: "Vessel",
        Schema.AIRCRAFT: "Airplane",
        Schema.LEGAL_ENTITY: "LegalEntity",
    }
    assert FTM_SCHEMAS["Company"] is Schema.ORGANIZATION


def test_a_vessel_keeps_vessel_properties() -> None:
    vessel = Entity(
        source_id="V1",
        schema=Schema.VESSEL,
        names=(Name(full="Sea Star"),),
        countries=(EntityCountry(code="KP", role=CountryRole.FLAG),),
        identifiers=(Identifier(kind="imo", value="9123456"), Identifier(kind="x", value="77")),
    )
    props = to_ftm(vessel)["properties"]
    assert props["flag"] == ["kp"]
    assert props["imoNumber"] == ["9123456"]
    assert props["registrationNumber"] == ["77"]  # a vessel has no idNumber in FtM
