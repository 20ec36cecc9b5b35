"""The application: OpenAPI written from the docstrings and the access table; settings."""

from __future__ import annotations

import pytest

from interdict.errors import BadInputError
from interdict.service.auth import ACCESS
from interdict.service.config import load_service_settings
from tests.service.conftest import TestClient


def test_openapi_from_docstrings_and_access_table(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert {"/screen", "/screen/payment", "/screen/manifest", "/health", "/metrics"} <= set(paths)
    screen = paths["/screen"]["post"]
    assert "exactly like a line of the" in screen["description"]
    assert screen["security"] == [{"bearer": []}]
    assert "Needs role: `client`" in screen["description"]
    assert paths["/admin/reload"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in paths["/health"]["get"]
    body = screen["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ScreenRequest"}
    request = schema["components"]["schemas"]["ScreenRequest"]
    assert request["additionalProperties"] is False
    assert schema["components"]["schemas"]["PartyIn"]["additionalProperties"] is False
    payment = paths["/screen/payment"]["post"]["requestBody"]["content"]
    assert set(payment) == {"application/xml", "text/plain"}
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_openapi_says_what_the_service_refuses(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    keyed = [
        (path, method)
        for (method, path), role in ACCESS.items()
        if role is not None or path == "/metrics"  # /metrics needs a key by default
    ]
    for path, method in keyed:
        operation = schema["paths"][path][method.lower()]
        assert operation["security"] == [{"bearer": []}], path
        assert {"401", "403"} <= set(operation["responses"]), (method, path)
    definitions = schema["components"]["schemas"]
    assert definitions["PartyIn"]["properties"]["name"]["minLength"] == 1
    assert {"type": "string", "minLength": 1} in definitions["PartyIn"]["properties"]["id"]["anyOf"]
    lists = definitions["ScreenRequest"]["properties"]["lists"]["anyOf"]
    assert any(option.get("minItems") == 1 for option in lists)


def test_settings_from_environment(tmp_path: object) -> None:
    settings = load_service_settings(
        {
            "INTERDICT_HOME": "/srv/interdict",
            "INTERDICT_MAX_BODY_BYTES": "4096",
            "INTERDICT_RELOAD_SECONDS": "0",
            "INTERDICT_PUBLIC_METRICS": "no",
            "INTERDICT_SERVE_LISTS": "un, ofac",
        }
    )
    assert str(settings.keys_file) == "/srv/interdict/service/keys.json"
    assert str(settings.audit_log) == "/srv/interdict/service/audit.jsonl"
    assert (settings.max_body_bytes, settings.reload_seconds, settings.public_metrics) == (
        4096,
        0,
        False,
    )
    assert settings.serve_lists == ("un", "ofac")


@pytest.mark.parametrize("value", ["lots", "0", "-5", "nan"])
def test_bad_settings_name_the_variable(value: str) -> None:
    with pytest.raises(BadInputError, match="INTERDICT_MAX_BODY_BYTES"):
        load_service_settings({"INTERDICT_MAX_BODY_BYTES": value})
