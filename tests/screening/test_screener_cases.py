"""Case tables for the screener: (query, expected listed id) across scripts, spellings and tricks.

Every listed person here is invented for the tests. Cases that must NOT match are listed too:
a matcher that alerts on everything would fail them.
"""

from __future__ import annotations

import pytest

from interdict.model import Entity, PartialDate, Party, Schema
from interdict.screening import DEFAULT_THRESHOLD, Screener


@pytest.fixture
def screener(small_list: list[Entity]) -> Screener:
    return Screener(small_list)


def _top(screener: Screener, name: str, **fields: object) -> tuple[str | None, float]:
    party = Party.model_validate({"id": "q", "name": name, **fields})
    result = screener.screen(party, threshold=0.0, limit=3)
    if not result.matches:
        return None, 0.0
    return result.matches[0].source_id, result.matches[0].score


MATCHES = [
    # same script, spelling variants
    ("Abdurrahman Yusuf Tikriti", "T1"),
    ("Abdul Rahman Yousef al Tikriti", "T1"),
    ("Tikriti Abd al-Rahman Yusuf", "T1"),  # reversed order
    ("Osama bin Laden", "T4"),
    ("Usama Bin Ladin", "T4"),
    ("OsamaBinLaden", "T4"),  # joined
    ("Osa ma bin Laden", "T4"),  # split
    ("Оsama bin Lаden", "T4"),  # Cyrillic homoglyphs
    ("Os\u200bama bin La\u200cden", "T4"),  # zero-width characters
    ("Mohammed Abdul Khaliq Husain", "T3"),
    ("Magomed Ismailovich Gadzhiyev", "T6"),
    ("Muhammad Gadzhiev", "T6"),
    # cross-script
    ("Shokhrukh Rahmonov", "T2"),
    ("Раҳмонов Шоҳрух", "T2"),
    ("Рахмонов Шохрух", "T2"),
    ("Магомед Гаджиев", "T6"),
    ("Абдурахман Юсуф Тикрити", "T1"),
    ("عبد الرحمن يوسف التكريتي", "T1"),
    ("Abdulkhaliq Hasan", "T7"),
    ("Abd al-Khaliq Hassan", "T7"),
    ("Айгуль Жаксыбекова", "T5"),
    ("Aigul Zhaksybekova", "T5"),
    ("Jamshid Rahmonov", "T10"),  # -zoda / -ov family forms
    ("Фарход Юсупов", "T12"),
    ("Farhad Yusupov", "T12"),
]


@pytest.mark.parametrize(("query", "expected"), MATCHES)
def test_listed_person_is_found(screener: Screener, query: str, expected: str) -> None:
    found, score = _top(screener, query)
    assert found == expected, f"{query!r} → {found} ({score:.2f})"
    assert score >= DEFAULT_THRESHOLD, f"{query!r} → {found} scored only {score:.2f}"


NON_MATCHES = [
    "Maria Fernandez Lopez",
    "Thomas Müller",
    "Abdul Rahman",  # a very common name alone is not this person
    "Osama Hassan Karimov",
    "John Smithson",
    "Laden",
]


@pytest.mark.parametrize("query", NON_MATCHES)
def test_unrelated_names_do_not_alert(screener: Screener, query: str) -> None:
    result = screener.screen(Party(id="q", name=query))
    assert not result.matches, [(m.source_id, m.score) for m in result.matches]


def test_persons_are_not_matched_to_vessels(screener: Screener) -> None:
    as_person = screener.screen(
        Party(id="q", name="Muhammad Ali", schema=Schema.PERSON), threshold=0.0
    )
    assert "V1" not in {m.source_id for m in as_person.matches}
    as_vessel = screener.screen(
        Party(id="q", name="Muhammad Ali", schema=Schema.VESSEL), threshold=0.0
    )
    assert [m.source_id for m in as_vessel.matches] == ["V1"]


def test_birth_date_raises_and_lowers(screener: Screener) -> None:
    _, plain = _top(screener, "Ali Hasen")
    _, agree = _top(screener, "Ali Hasen", birth_date=PartialDate.parse("1975"))
    _, clash = _top(screener, "Ali Hasen", birth_date=PartialDate.parse("1990-01-01"))
    assert clash < plain < agree


def test_passport_number_agreement_is_explained(screener: Screener) -> None:
    party = Party(id="q", name="Usama bin Ladin", id_number="a-1234567")
    match = screener.screen(party).matches[0]
    assert any("passport number A1234567 agrees" in reason for reason in match.explanation)


def test_weak_alias_scores_below_strong_name(screener: Screener) -> None:
    result = screener.screen(Party(id="q", name="Abu Hafs al-Masri"), threshold=0.0)
    weak = next(m for m in result.matches if m.source_id == "T3")
    assert any("weak alias" in reason for reason in weak.explanation)
    assert weak.score < 1.0


def test_result_records_matcher_and_list_versions(screener: Screener) -> None:
    result = screener.screen(Party(id="q", name="Osama bin Laden")).to_dict()
    assert result["matcher"] == "name_v1"
    assert result["list_versions"] == {"test": 1}
    assert result["matches"][0]["list"] == "test"
    assert result["matches"][0]["explanation"]


def test_limit_and_threshold(screener: Screener) -> None:
    everything = screener.screen(Party(id="q", name="Muhammad Hassan"), threshold=0.0, limit=2)
    assert len(everything.matches) <= 2
    assert [m.score for m in everything.matches] == sorted(
        (m.score for m in everything.matches), reverse=True
    )


def test_batch_equals_single(screener: Screener) -> None:
    parties = [Party(id=str(i), name=q) for i, (q, _) in enumerate(MATCHES)]
    single = [screener.screen(p).to_dict() for p in parties]
    batch = [r.to_dict() for r in screener.screen_many(parties, workers=2)]
    assert batch == single
