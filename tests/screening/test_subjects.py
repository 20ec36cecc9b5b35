"""One designee on several lists: which listed entities are labelled one subject, and why."""

from __future__ import annotations

from interdict.model import Entity, Name, NameKind, Provenance, Schema
from interdict.screening.subjects import name_key, subjects, un_references
from tests.conftest import person


def organisation(source_id: str, *names: str, list_name: str, remarks: str | None = None) -> Entity:
    return Entity(
        source_id=source_id,
        schema=Schema.ORGANIZATION,
        names=(Name(full=names[0]), *(Name(full=n, kind=NameKind.ALIAS) for n in names[1:])),
        remarks=remarks,
        provenance=Provenance(list_name=list_name, list_version=1),
    )


def test_name_keys_set_aside_case_accents_punctuation_and_order() -> None:
    assert name_key("AL QA'IDA") == name_key("al-Qaida") == "al qaida"
    assert name_key("BIN LADIN, Usama") == name_key("Usama bin Ladin")
    assert name_key("Şükrü Çelik") == name_key("Sukru Celik")


def test_un_references_are_the_labelled_ones_only() -> None:
    uk = organisation("1", "X", list_name="uk", remarks="UN Ref QDe.004. Led by QDi.006.")
    eu = organisation("2", "X", list_name="eu", remarks="UN reference: QDe.004")
    un = organisation("QDe.004", "X", list_name="un", remarks="Announced by (QDi.006).")
    assert un_references(uk) == un_references(eu) == un_references(un) == {"QDE.004"}


def test_the_same_person_on_three_lists_is_one_subject() -> None:
    entities = [
        person("QDi.1", "USAMA BIN LADIN", list_name="un", born="1957"),
        person("6365", "Usama BIN LADIN", "Osama bin Laden", list_name="ofac", born="1957-07-30"),
        person("77", "Osama BIN LADEN", list_name="uk", born="1957"),
    ]
    found = subjects(entities)
    assert {s.label for s in found.values()} == {"un:QDi.1"}
    assert found["un:QDi.1"].reason is None
    assert found["ofac:6365"].reason == "same name (bin ladin usama) and year of birth 1957"
    assert found["uk:77"].reason is not None and "1957" in found["uk:77"].reason


def test_namesakes_without_a_shared_birth_year_stay_apart() -> None:
    entities = [
        person("1", "Ali Hassan", list_name="un", born="1975"),
        person("2", "Ali Hassan", list_name="ofac", born="1982"),
        person("3", "Ali Hassan", list_name="uk"),
    ]
    assert len({s.label for s in subjects(entities).values()}) == 3


def test_two_records_of_one_list_are_never_one_subject_even_through_another_list() -> None:
    entities = [
        organisation("4706", "NATIONAL LIBERATION ARMY", list_name="ofac"),
        organisation("7755", "NATIONAL LIBERATION ARMY", list_name="ofac"),
        organisation("7364", "ELN", "National Liberation Army", list_name="uk"),
    ]
    found = subjects(entities)
    assert found["ofac:4706"].label != found["ofac:7755"].label
    assert found["uk:7364"].label == "ofac:4706"


def test_primary_names_bind_before_shared_aliases() -> None:
    # "The Base" is an alias of both groups; the primary names say which is which.
    entities = [
        organisation("QDe.003", "EGYPTIAN ISLAMIC JIHAD", "The Base", list_name="un"),
        organisation("QDe.004", "AL-QAIDA", list_name="un"),
        organisation("6366", "AL QA'IDA", "The Base", list_name="ofac"),
    ]
    assert subjects(entities)["ofac:6366"].label == "un:QDe.004"


def test_a_reference_on_a_person_does_not_join_them_to_a_group() -> None:
    entities = [
        organisation("QDe.004", "AL-QAIDA", list_name="un"),
        Entity(
            source_id="13349",
            schema=Schema.PERSON,
            names=(Name(full="Nayef AL-HABABI"),),
            remarks="UN Ref QDe.004. Emir for the eastern zone.",
            provenance=Provenance(list_name="uk", list_version=1),
        ),
    ]
    assert subjects(entities)["uk:13349"].label == "uk:13349"


def test_one_designee_on_un_ofac_and_uk_is_one_subject_in_a_result() -> None:
    from interdict.model import Party
    from tests.real_lists import real_screener

    result = real_screener().screen(Party(id="c1", name="Ri Hong Sop"))
    lists = {m.list_name: m for m in result.matches if m.subject == "un:KPi.004"}
    assert set(lists) == {"un", "ofac", "uk"}
    assert lists["un"].subject_reason is None
    assert "year of birth" in (lists["ofac"].subject_reason or "")
    data = result.to_dict()
    assert data["subjects"] == len({m.subject for m in result.matches})
    assert data["matches"][0]["subject"] == "un:KPi.004"
