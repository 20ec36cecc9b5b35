"""Matcher name_v2's specification: labelled pairs per failure family, and ranking pairs.

(query, listed name, expected): a match is a score ≥ the default threshold, scored as
``interdict screen`` scores (one listed entity, no attributes). Every name is invented or a
public figure's. Family numbers follow issue 9: 1 Korean romanisations, 2 partial names,
3 organisations, 4 false alerts to avoid.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.model import PartialDate, Party
from interdict.names.tokens import analyse_name
from interdict.screening import DEFAULT_THRESHOLD, Screener, name_v2
from interdict.screening.index import ScreeningIndex
from interdict.screening.scorer import Query
from tests.conftest import person

CASES = [
    # 1 Korean romanisations: McCune–Reischauer, Revised Romanization, everyday spellings
    ("korean", "Kim Chong-un", "Kim Jong Un", True),
    ("korean", "Kim Jong-eun", "Kim Jong Un", True),
    ("korean", "Ri Kwang Ho", "Ri Gwang Ho", True),
    ("korean", "Cho Il U", "Jo Il U", True),
    ("korean", "Kim Jongun", "Kim Jong Un", True),
    ("korean", "Chang Chung Song", "Jang Jung Song", True),
    ("korean", "Hyon Gwang Il", "HYON KWANG IL", True),
    ("korean", "Ri Kwang Ho", "Lee Gwang Ho", True),
    ("korean", "Pak Chun Il", "Park Jun Il", True),
    ("korean", "Kim Kwangil", "Kim Gwang Il", True),
    ("korean", "Choe Ryong Hae", "Choi Ryong Hae", True),
    ("korean", "Tom Miller", "Dom Miller", False),  # Korean syllables, not a Korean name
    # 2 partial names: fewer parts, more parts, notes, order
    ("partial", "Vladimir Putin", "Vladimir Vladimirovich Putin", True),
    ("partial", "PUTIN, Vladimir", "Vladimir Vladimirovich Putin", True),
    ("partial", "V. Putin", "Vladimir Putin", True),
    ("partial", "Abu Bakr al-Baghdadi born in 1971", "Abu Bakr al-Baghdadi", True),
    ("partial", "Sheikh Abu Bakr al-Baghdadi", "Abu Bakr al-Baghdadi", True),
    ("partial", "Ali al-Tikriti", "Ali Hassan al-Majid al-Tikriti", True),
    ("partial", "Gedeon Kanonga", "Gedeon Kyungu Mutanga Kanonga", True),
    # 3 organisations: legal forms, numbers, generic words
    ("organisation", "OAO Gazprom", "Gazprom JSC", True),
    ("organisation", "Open Joint Stock Company Gazprom", "OJSC Gazprom", True),
    ("organisation", "ООО Ромашка", "Romashka LLC", True),
    ("organisation", "Foo SRL", "Societatea cu Răspundere Limitată Foo", True),
    ("organisation", "Acme Corp", "Acme Corporation", True),
    ("organisation", "Acme Ltd", "Acme Limited", True),
    ("organisation", "Acme GmbH", "Acme Gesellschaft mit beschränkter Haftung", True),
    ("organisation", "Forty-Four Shipping Ltd", "44 Shipping Limited", True),
    ("organisation", "1st Karavan Bank", "First Karavan Bank", True),
    ("organisation", "Khalid Trading", "Khalid General Trading and Contracting Company", True),
    # 4 false alerts to avoid
    ("false alert", "Ahmed Ali Hassan", "Ahmed Mohamed Hassan", False),
    ("false alert", "Ivan Petrovich Sidorov", "Ivan Sergeyevich Sidorov", False),
    ("false alert", "Rustam Kasimov", "Rustam Kasymbekov", False),
    ("false alert", "Seabird Fund 8", "Seabird Fund 9", False),
    ("false alert", "Ocean Star 3", "Ocean Star 5", False),
    ("false alert", "张伟", "章伟", False),
    ("false alert", "Al Noor Trading", "Al Baraka Trading", False),
]


def _score(query: str, listed: str, matcher: str = "name_v2") -> float:
    result = Screener([person("L1", listed)], matcher=matcher).screen(
        Party(id="q", name=query), threshold=0.0
    )
    return result.matches[0].score if result.matches else 0.0


@pytest.mark.parametrize(("family", "query", "listed", "expected"), CASES)
def test_labelled_pair(family: str, query: str, listed: str, expected: bool) -> None:
    score = _score(query, listed)
    assert (score >= DEFAULT_THRESHOLD) is expected, f"{family}: {query!r} ~ {listed!r} = {score}"


RANKING = [
    # (query, better listed name, worse listed name)
    ("Kim Chong Un", "Kim Jong Un", "Kim Jong Nam"),
    ("Vladimir Putin", "Vladimir Vladimirovich Putin", "Vladimir Ivanovich Putilin"),
    ("Gazprom OAO", "Gazprom JSC", "Gazprom Neft JSC"),
    ("Seabird Fund 8", "Seabird Fund 8", "Seabird Fund 9"),
    ("Ahmed Ali Hassan", "Ahmed Hassan", "Ahmed Mohamed Hassan"),
]


@pytest.mark.parametrize(("query", "better", "worse"), RANKING)
def test_ranking(query: str, better: str, worse: str) -> None:
    assert _score(query, better) > _score(query, worse)


def test_reasons_read_as_an_analysts() -> None:
    result = Screener([person("L1", "Vladimir Vladimirovich Putin")], matcher="name_v2").screen(
        Party(id="q", name="Vladimir Putin")
    )
    reasons = result.matches[0].explanation
    assert any(
        r.startswith("patronymic vladimirovich absent from the screened name (-0.") for r in reasons
    )
    org = Screener([person("L2", "Gazprom JSC")], matcher="name_v2").screen(
        Party(id="q", name="OAO Gazprom")
    )
    assert "legal form OAO = JSC" in org.matches[0].explanation


def test_middle_names_left_out_are_an_omission_and_say_so() -> None:
    result = Screener([person("L1", "Ali Hassan al-Majid al-Tikriti")], matcher="name_v2").screen(
        Party(id="q", name="Ali al-Tikriti")
    )
    reasons = result.matches[0].explanation
    assert "given and family names agree: the middle names absent are left out" in reasons
    # One middle name on each side that differs is still a contradiction, not an omission.
    other = _score("Ali Ibrahim al-Tikriti", "Ali Hassan al-Majid al-Tikriti")
    assert other < result.matches[0].score and other < DEFAULT_THRESHOLD


def test_korean_romanisations_are_candidates_and_say_why() -> None:
    """Gwang and Kwang share no consonant skeleton: only the Korean syllable key proposes
    HYON KWANG IL among listed names sharing Hyon and Il."""
    listed = [person("KP", "HYON KWANG IL")] + [
        person(f"X{n}", f"Hyon {given} Il") for n, given in enumerate(["Chol", "Song", "Nam"])
    ]
    result = Screener(listed, matcher="name_v2").screen(Party(id="q", name="Hyon Gwang Il"))
    found = {m.source_id: m for m in result.matches}
    assert "KP" in found and found["KP"].score >= DEFAULT_THRESHOLD
    assert "gwang ~ kwang: Korean romanisation Gwang = Kwang (0.93)" in found["KP"].explanation


def test_name_v1_keeps_its_scores() -> None:
    """name_v1 is not touched by name_v2: its known scores replay."""
    assert _score("Fund 8", "Fund 9", matcher="name_v1") == pytest.approx(0.4250, abs=1e-3)
    assert _score("Ahmed Ali Hassan", "Ahmed Mohamed Hassan", matcher="name_v1") == pytest.approx(
        0.80
    )
    ri_lee = _score("Ri Kwang Ho", "Lee Gwang Ho", matcher="name_v1")
    assert ri_lee == pytest.approx(0.608, abs=1e-3)


WORDS = st.sampled_from(
    [
        "kim", "chong", "jong", "un", "pak", "park", "ooo", "llc", "jsc", "oao", "limited",
        "44", "forty", "four", "first", "1st", "fund", "8", "9", "trading", "company", "born",
        "in", "1970", "vladimir", "vladimirovich", "putin", "v", "张伟", "章伟", "ali", "hassan",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, print_blob=True)
@given(
    query=st.lists(WORDS, min_size=1, max_size=5).map(" ".join),
    listed=st.lists(WORDS, min_size=1, max_size=5).map(" ".join),
    floor=st.sampled_from([0.3, 0.5, 0.7, 0.8, 0.9]),
)
def test_bound_never_rejects_a_score_at_the_floor(query: str, listed: str, floor: float) -> None:
    index = ScreeningIndex([person("P", listed, born="1970")])
    q = Query(name=analyse_name(query), birth_date=PartialDate(year=1970))
    for name in index.names:
        full = name_v2.score_name_above(q, name, index.token_weight, 0.0)
        above = name_v2.score_name_above(q, name, index.token_weight, floor)
        assert full is not None and 0.0 <= full.score <= 1.0
        assert above == (full if full.score >= floor else None)
