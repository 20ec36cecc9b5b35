"""The yente-compatible face: /match/{dataset}, /search/{dataset}, /entities/{id} answer
yente's requests in yente's shape, with our scores and explanations."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from interdict.model import Entity, Party
from interdict.model.ftm import to_ftm
from interdict.screening import Screener
from interdict.service.auth import ACCESS, route_of
from interdict.service.routes.yente import FEATURES, features
from tests.runner import interdict
from tests.service.conftest import Server, TestClient, bearer

# Shaped like the example in yente's own /match documentation: a person and a company, keyed
# by names the client chooses, properties as lists of strings.
YENTE_REQUEST = {
    "queries": {
        "entity1": {
            "schema": "Person",
            "properties": {
                "name": ["Usama bin Ladin"],
                "birthDate": ["1957-03-10"],
                "nationality": ["sa"],
            },
        },
        "entity2": {
            "schema": "Company",
            "properties": {
                "name": ["Hidden Harbour Bank Ltd"],
                "jurisdiction": ["tj"],
                "registrationNumber": ["84BA99810"],
            },
        },
    }
}
RESULT_KEYS = {"id", "caption", "schema", "properties", "datasets", "score", "match", "features"}


def test_match_answers_in_yentes_shape_with_our_score(
    client: TestClient, keys: dict[str, str], entities: list[Entity]
) -> None:
    response = client.post("/match/default", json=YENTE_REQUEST, headers=bearer(keys["client"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body["responses"]) == {"entity1", "entity2"}
    person = body["responses"]["entity1"]
    assert person["status"] == 200
    assert person["query"]["schema"] == "Person"
    assert person["total"] == {"value": len(person["results"]), "relation": "eq"}
    best = person["results"][0]
    assert set(best) >= RESULT_KEYS
    assert best["id"] == "test:T4"
    assert best["schema"] == "Person"
    assert best["caption"] == "Usama bin Ladin"
    assert best["datasets"] == ["test"]
    assert "Osama bin Laden" in best["properties"]["alias"]
    party = Party(id="x", name="Usama bin Ladin", birth_date="1957-03-10", countries=[])
    ours = Screener(entities).screen(party).matches[0]
    assert best["score"] == round(ours.score, 6)  # our score (nationality agrees neither way)
    assert best["match"] is (best["score"] >= 0.80)
    assert best["explanation"] == list(ours.explanation)
    assert best["features"]["name_score"] > 0.9
    assert best["features"]["birth_date"] > 0  # the listed year of birth agrees
    company = body["responses"]["entity2"]["results"]
    assert company[0]["id"] == "test:B1"
    assert company[0]["schema"] == "Organization"
    assert set(body["matcher"]) == set(FEATURES)


def test_threshold_decides_match_and_cutoff_drops(client: TestClient, keys: dict[str, str]) -> None:
    query = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Ali Hassan"]}}}}
    headers = bearer(keys["client"])
    loose = client.post("/match/test?cutoff=0&threshold=0", json=query, headers=headers)
    results = loose.json()["responses"]["q"]["results"]
    assert len(results) == 2  # T11 "Ali Hassan" and T7 "Abdelkhalek Hassan"
    assert all(r["match"] for r in results)
    one = client.post("/match/test?cutoff=0&threshold=0&limit=1", json=query, headers=headers)
    assert len(one.json()["responses"]["q"]["results"]) == 1
    assert one.json()["responses"]["q"]["total"]["value"] == 2
    strict = client.post("/match/test?cutoff=0&threshold=1", json=query, headers=headers)
    scored = strict.json()["responses"]["q"]["results"]
    assert [r["match"] for r in scored] == [True, False]  # only the identical name scores 1
    assert scored[0]["score"] == 1.0
    cut = client.post("/match/test?cutoff=0.95&threshold=1", json=query, headers=headers)
    kept = cut.json()["responses"]["q"]["results"]
    assert [r["id"] for r in kept] == ["test:T11"]
    assert all(r["score"] >= 0.95 for r in kept)


def test_schema_and_dataset_choose_what_is_matched(
    client: TestClient, keys: dict[str, str]
) -> None:
    headers = bearer(keys["client"])
    vessel = {"queries": {"v": {"schema": "Vessel", "properties": {"name": "Muhammad Ali"}}}}
    body = client.post("/match/sanctions?cutoff=0.5", json=vessel, headers=headers).json()
    assert {r["schema"] for r in body["responses"]["v"]["results"]} == {"Vessel"}
    person = {"queries": {"p": {"schema": "Person", "properties": {"name": ["Usama bin Ladin"]}}}}
    excluded = client.post(
        "/match/default?exclude_entity_ids=test:T4", json=person, headers=headers
    ).json()
    assert "test:T4" not in {r["id"] for r in excluded["responses"]["p"]["results"]}
    unknown = client.post("/match/ofac", json=person, headers=headers)
    assert unknown.status_code == 404
    assert "default" in unknown.json()["error"]["hint"]


def test_bad_match_requests_are_precise_4xx(client: TestClient, keys: dict[str, str]) -> None:
    headers = bearer(keys["client"])
    cases = [
        ({"queries": {}}, "no queries"),
        ({"queries": {"q": {"schema": "Ownership", "properties": {}}}}, "queries.q.schema"),
        (
            {"queries": {"q": {"schema": "Person", "properties": {"birthDate": ["1970"]}}}},
            "no name",
        ),
        ({"queries": {"q": {"schema": "Person", "properties": {"name": [1]}}}}, "queries.q"),
    ]
    for body, expected in cases:
        response = client.post("/match/default", json=body, headers=headers)
        assert response.status_code == 422, body
        error = response.json()["error"]
        assert expected in f"{error['message']} {error['where']}", error
    typo = client.post("/match/default?treshold=0.5", json=YENTE_REQUEST, headers=headers)
    assert typo.status_code == 422
    assert "treshold" in typo.json()["error"]["message"]


def test_match_needs_a_key_and_accepts_yentes_apikey_scheme(
    client: TestClient, keys: dict[str, str]
) -> None:
    assert client.post("/match/default", json=YENTE_REQUEST).status_code == 401
    assert client.get("/entities/test:T4").status_code == 401
    headers = {"Authorization": f"ApiKey {keys['client']}"}
    assert client.post("/match/default", json=YENTE_REQUEST, headers=headers).status_code == 200
    for route in ("/match/{dataset}", "/search/{dataset}", "/entities/{entity_id}"):
        assert any(path == route for _, path in ACCESS)


def test_entities_and_search_answer_ftm(
    client: TestClient, keys: dict[str, str], entities: list[Entity]
) -> None:
    headers = bearer(keys["client"])
    found = client.get("/entities/test:T2", headers=headers)
    assert found.status_code == 200
    listed = next(e for e in entities if e.source_id == "T2")
    assert found.json() == json.loads(json.dumps(to_ftm(listed)))
    assert found.json()["properties"]["nationality"] == ["tj"]
    assert client.get("/entities/test:NOPE", headers=headers).status_code == 404
    search = client.get("/search/default", params={"q": "Shokhrukh Rahmonov"}, headers=headers)
    assert search.status_code == 200
    assert search.json()["results"][0]["id"] == "test:T2"
    assert search.json()["results"][0]["score"] > 0.6
    assert client.get("/search/ofac?q=x", headers=headers).status_code == 404


def test_features_read_our_explanation_lines() -> None:
    from interdict.screening import Match

    match = Match(
        list_name="un",
        list_version=1,
        source_id="Q1",
        entity_id="un:Q1",
        schema="Person",
        score=0.9,
        matched_name="ALI HASSAN",
        explanation=(
            "name score 0.85 (alias name), final 0.90",
            "ali ~ ali: same (1.00)",
            "weak alias, as the list marks it (x0.88)",
            "date of birth 1975 agrees with listed 1975 (+0.04)",
            "country IQ not among listed SY (-0.05)",
            "passport number A123 agrees (+0.06)",
        ),
    )
    assert features(match) == {
        "name_score": 0.85,
        "weak_alias": 0.88,
        "birth_date": 0.04,
        "country": -0.05,
        "identifier": 0.06,
    }


LISTED_FTM = [
    {
        "id": "p1",
        "schema": "Person",
        "properties": {"name": ["Gulmurod Khalimov"], "birthDate": ["1975-05-14"]},
    },
    {
        "id": "c1",
        "schema": "Company",
        "properties": {"name": ["Brilliant Amazing Limited"], "registrationNumber": ["84BA99810"]},
    },
]


def test_a_yente_client_works_against_a_real_server(tmp_path: Path) -> None:
    source = tmp_path / "list.ftm.json"
    source.write_text("\n".join(json.dumps(e) for e in LISTED_FTM) + "\n", encoding="utf-8")
    home = tmp_path / "ws"
    done = interdict(home, "lists", "import", str(source), "--format", "ftm", "--name", "mine")
    assert done.returncode == 0, done.stderr
    made = interdict(home, "keys", "create", "--role", "client")
    key = next(w for w in made.stdout.split() if w.startswith("idk_"))
    server = Server(home)
    try:
        server.wait_ready()
        request = {
            "queries": {
                "entity1": {
                    "schema": "Person",
                    "properties": {"name": ["Gulmurod Halimov"], "birthDate": ["1975-05-14"]},
                },
                "entity2": {
                    "schema": "Company",
                    "properties": {
                        "name": ["Brilliant Amazing Ltd"],
                        "registrationNumber": ["84BA99810"],
                    },
                },
            }
        }
        response = httpx.post(
            f"{server.url}/match/mine", json=request, headers=bearer(key), timeout=30
        )
    finally:
        server.stop()
    assert response.status_code == 200, response.text
    responses = response.json()["responses"]
    person = responses["entity1"]["results"][0]
    assert (person["id"], person["match"]) == ("mine:p1", True)
    assert person["features"]["birth_date"] > 0
    company = responses["entity2"]["results"][0]
    assert company["id"] == "mine:c1"
    assert company["features"]["identifier"] > 0
    assert company["explanation"][0].startswith("name score")


def test_openapi_shows_the_yente_routes_with_examples(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    match = paths["/match/{dataset}"]["post"]
    assert match["security"] == [{"bearer": []}]
    assert "Needs role: `client`" in match["description"]
    body = match["requestBody"]["content"]["application/json"]
    assert body["example"]["queries"]["q1"]["schema"] == "Person"
    answer = match["responses"]["200"]["content"]["application/json"]["example"]
    assert set(answer["responses"]["q1"]["results"][0]) >= RESULT_KEYS
    assert {p["name"] for p in match["parameters"]} >= {"dataset", "threshold", "cutoff", "limit"}
    for path in ("/search/{dataset}", "/entities/{entity_id}"):
        assert paths[path]["get"]["responses"]["200"]["content"]["application/json"]["example"]


def test_access_entries_match_one_path_segment() -> None:
    assert route_of("POST", "/match/default") == ("/match/{dataset}", True)
    assert route_of("GET", "/entities/un:QDi.372") == ("/entities/{entity_id}", True)
    assert route_of("GET", "/entities/") is None
    assert route_of("GET", "/entities/a/b") is None
    assert route_of("GET", "/match/default") == ("/match/{dataset}", False)
    assert route_of("POST", "/screen") == ("/screen", True)
