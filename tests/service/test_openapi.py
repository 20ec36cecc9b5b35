"""One API: the three screening routes take their options alike and answer with the same
top-level fields; every JSON answer has a schema in the OpenAPI description that real answers
conform to; every error status has its own example."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from interdict.service import create_app
from interdict.service.config import load_service_settings
from interdict.service.errors import HTTP_STATUS
from interdict.service.schemas import schema_of
from interdict.service.state import IndexHolder
from tests.service.conftest import TestClient, bearer
from tests.service.routes.test_screen import MT103, PAXLST

SHARED = {"hits", "matcher", "list_versions", "warnings"}


def conforms(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Where ``value`` breaks ``schema`` (the subset of JSON schema :func:`schema_of` writes)."""
    kinds = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    wanted = schema.get("type")
    if wanted is not None:
        allowed = wanted if isinstance(wanted, list) else [wanted]
        if not any(isinstance(value, kinds[k]) for k in allowed) or (
            isinstance(value, bool) and "boolean" not in allowed
        ):
            return [f"{where}: {type(value).__name__} is not {wanted}"]
    problems: list[str] = []
    if isinstance(value, dict):
        problems += [f"{where}.{k}: missing" for k in schema.get("required", []) if k not in value]
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key, schema.get("additionalProperties", {}))
            problems += conforms(item, sub if isinstance(sub, dict) else {}, f"{where}.{key}")
    if isinstance(value, list):
        for index, item in enumerate(value):
            problems += conforms(item, schema.get("items", {}), f"{where}[{index}]")
    return problems


def test_schema_of_an_example_accepts_it_and_refuses_another_shape() -> None:
    example = {"results": [{"id": "c1", "score": 0.9}], "list_versions": {"un": 2}, "x": None}
    schema = schema_of(example)
    assert conforms(example, schema) == []
    assert conforms({**example, "list_versions": {"ofac": 7}}, schema) == []
    assert conforms({"results": [{"id": 1, "score": 0.9}], "list_versions": {}}, schema) == [
        "$.results[0].id: int is not string"
    ]
    assert conforms({"list_versions": {}}, schema) == ["$.results: missing"]


def test_three_screening_routes_one_shape(client: TestClient, keys: dict[str, str]) -> None:
    headers = bearer(keys["client"])
    text = {**headers, "Content-Type": "text/plain"}
    query = "?threshold=0.9&limit=1&lists=test"
    answers = [
        client.post(
            f"/screen{query}",
            json={"parties": [{"id": "1", "name": "Usama bin Ladin"}]},
            headers=headers,
        ),
        client.post(f"/screen/payment{query}", content=MT103, headers=text),
        client.post(f"/screen/manifest{query}", content=PAXLST, headers=text),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert set(body) >= SHARED, answer.request.url
        assert body["matcher"] == "name_v1" and body["list_versions"] == {"test": 1}
    assert answers[0].json()["hits"] == 1
    wrong = [
        client.post(
            "/screen?lists=ofac", json={"parties": [{"id": "1", "name": "A"}]}, headers=headers
        ),
        client.post("/screen/payment?lists=ofac", content=MT103, headers=text),
        client.post("/screen/manifest?lists=ofac", content=PAXLST, headers=text),
    ]
    assert {(w.status_code, w.json()["error"]["message"]) for w in wrong} == {
        (422, "list 'ofac' is not loaded")
    }


def test_every_json_answer_is_described_and_conforms(
    client: TestClient, keys: dict[str, str]
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            success = next(r for s, r in operation["responses"].items() if s.startswith("2"))
            content = success.get("content", {})
            if "application/json" in content:
                schema = content["application/json"]["schema"]
                assert schema.get("properties") or schema.get("$ref"), (method, path)
    text = {**bearer(keys["client"]), "Content-Type": "text/plain"}
    calls = [
        (
            "/screen",
            "post",
            client.post(
                "/screen",
                json={"parties": [{"id": "1", "name": "Usama bin Ladin"}]},
                headers=bearer(keys["client"]),
            ),
        ),
        ("/screen/payment", "post", client.post("/screen/payment", content=MT103, headers=text)),
        ("/screen/manifest", "post", client.post("/screen/manifest", content=PAXLST, headers=text)),
        ("/lists", "get", client.get("/lists", headers=bearer(keys["client"]))),
        ("/admin/reload", "post", client.post("/admin/reload", headers=bearer(keys["admin"]))),
        ("/audit/verify", "get", client.get("/audit/verify", headers=bearer(keys["analyst"]))),
        ("/health", "get", client.get("/health")),
        ("/ready", "get", client.get("/ready")),
        (
            "/entities/{entity_id}",
            "get",
            client.get("/entities/test:T4", headers=bearer(keys["client"])),
        ),
        (
            "/search/{dataset}",
            "get",
            client.get("/search/test?q=Usama", headers=bearer(keys["client"])),
        ),
        (
            "/match/{dataset}",
            "post",
            client.post(
                "/match/test",
                json={
                    "queries": {
                        "q1": {"schema": "Person", "properties": {"name": ["Usama bin Ladin"]}}
                    }
                },
                headers=bearer(keys["client"]),
            ),
        ),
    ]
    for path, method, answer in calls:
        assert answer.status_code == 200, (path, answer.text)
        schema = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        if "$ref" in schema:
            continue
        problems = conforms(answer.json(), schema)
        assert problems == [], (path, problems)


def test_every_error_status_has_its_own_example(client: TestClient) -> None:
    codes = {status: code for status, code in HTTP_STATUS.values()}
    paths = client.get("/openapi.json").json()["paths"]
    seen: dict[int, str] = {}
    for operations in paths.values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if (status.startswith(("4", "5")) and status != "422") or status == "422":
                    if "content" not in response or int(status) not in codes:
                        continue
                    example = response["content"]["application/json"]["example"]["error"]
                    assert example["code"] == codes[int(status)], status
                    seen[int(status)] = example["message"]
    assert {401, 403, 404, 413, 415, 422, 503} <= set(seen)
    assert len(set(seen.values())) == len(seen)  # no two statuses share one example


def test_ready_is_503_until_lists_are_loaded(client: TestClient, tmp_path: Path) -> None:
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.json()["list_versions"] == {"test": 1}
    empty = load_service_settings({}, home=tmp_path / "empty", reload_seconds=0)
    with TestClient(create_app(empty, holder=IndexHolder(empty.home))) as fresh:
        assert fresh.get("/health").status_code == 200
        not_ready = fresh.get("/ready")
        assert not_ready.status_code == 503
        assert not_ready.json()["error"]["code"] == "unavailable"


def test_docs_pages_load_their_assets_from_the_service(client: TestClient) -> None:
    for page, assets in (
        ("/docs", ("swagger-ui-bundle.js", "swagger-ui.css")),
        ("/redoc", ("redoc.standalone.js",)),
    ):
        html = client.get(page)
        assert html.status_code == 200
        urls = re.findall(r'(?:src|href)="([^"]+)"', html.text)
        assert urls and all(u.startswith("/") for u in urls), urls  # nothing from elsewhere
        assert "https://" not in html.text
        for asset in assets:
            assert f"/docs/assets/{asset}" in urls
            loaded = client.get(f"/docs/assets/{asset}")
            assert loaded.status_code == 200 and len(loaded.content) > 10_000
    assert "validatorUrl" in client.get("/docs").text
