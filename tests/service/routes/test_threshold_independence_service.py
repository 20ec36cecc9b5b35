"""``POST /screen`` and ``POST /screen/payment`` return at threshold T every match that scores
≥ T at a lower threshold, with the same score, over real list names (UN + OFAC + UK; issue 9)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interdict.service import create_app
from interdict.service.config import ServiceSettings
from interdict.service.state import IndexHolder
from tests.real_lists import (
    HIGH,
    LOW,
    at_least,
    direct_matches,
    missing_from,
    pacs008,
    real_entities,
    sample_names,
    variant_names,
)
from tests.service.conftest import TestClient, bearer, status_of

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

Found = dict[str, list[tuple[str, float]]]


@pytest.fixture
def real_client(settings: ServiceSettings, keys: dict[str, str]) -> Iterator[TestClient]:
    entities = list(real_entities())
    holder = IndexHolder.of_entities(entities, status_of(entities))
    with TestClient(create_app(settings, holder=holder), raise_server_exceptions=False) as c:
        yield c


def _by_party(results: list[dict[str, object]]) -> Found:
    found: Found = {}
    for result in results:
        matches = result["matches"]
        assert isinstance(matches, list)
        found[str(result["id"])] = [(f"{m['list']}:{m['source_id']}", m["score"]) for m in matches]
    return found


def _screen(client: TestClient, key: str, threshold: float) -> Found:
    names = sample_names()
    found: Found = {}
    for start in range(0, len(names), 50):  # within the service's parties-per-request cap
        parties = [{"id": str(i), "name": n} for i, n in enumerate(names[start : start + 50])]
        body = {"parties": parties, "threshold": threshold}
        response = client.post("/screen", json=body, headers=bearer(key))
        assert response.status_code == 200, response.text
        found |= {f"{start}:{k}": v for k, v in _by_party(response.json()["results"]).items()}
    return found


def test_screen_returns_at_the_threshold_every_match_scoring_it(
    real_client: TestClient, keys: dict[str, str]
) -> None:
    low, high = (_screen(real_client, keys["client"], t) for t in (LOW, HIGH))
    assert at_least(low) == at_least(high)
    assert sum(map(len, at_least(high).values())) >= 500


def test_payment_screening_returns_at_the_threshold_what_scores_it(
    real_client: TestClient, keys: dict[str, str]
) -> None:
    headers = {**bearer(keys["client"]), "Content-Type": "application/xml"}
    message = pacs008(sample_names()[:40])

    def screened(threshold: float) -> Found:
        response = real_client.post(
            f"/screen/payment?threshold={threshold}", content=message, headers=headers
        )
        assert response.status_code == 200, response.text
        parties: list[dict[str, object]] = response.json()["parties"]
        return _by_party(parties)

    high = at_least(screened(HIGH))
    assert at_least(screened(LOW)) == high
    assert any(high.values())


def test_routes_return_every_entity_the_scorer_gives_the_threshold(
    real_client: TestClient, keys: dict[str, str]
) -> None:
    """Every listed name the evidence filter passes, scored directly against each variant:
    ``/screen`` and ``/screen/payment`` at T return each entity scoring ≥ T, with that score."""
    names, reference = variant_names(), direct_matches(HIGH).filtered
    found: Found = {}
    for start in range(0, len(names), 50):
        chunk = names[start : start + 50]
        parties = [{"id": str(i), "name": n} for i, n in enumerate(chunk)]
        body = {"parties": parties, "threshold": HIGH, "limit": 100}
        response = real_client.post("/screen", json=body, headers=bearer(keys["client"]))
        assert response.status_code == 200, response.text
        found |= {chunk[int(k)]: v for k, v in _by_party(response.json()["results"]).items()}
    assert missing_from(found, reference) == []
    headers = {**bearer(keys["client"]), "Content-Type": "application/xml"}
    response = real_client.post(
        f"/screen/payment?threshold={HIGH}&limit=50", content=pacs008(names), headers=headers
    )
    assert response.status_code == 200, response.text
    paid: Found = {}
    for party in response.json()["parties"]:
        if party.get("kind") == "party" and party.get("name") in names:
            paid[str(party["name"])] = [
                (f"{m['list']}:{m['source_id']}", m["score"]) for m in party["matches"]
            ]
    assert missing_from(paid, reference) == []
