"""The OpenAPI schema (generated without warnings, valid) and Swagger UI served offline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.workflow.conftest import people

__all__ = ["people"]

pytestmark = pytest.mark.django_db

DOCUMENTATION = {"schema", "docs"}


def _api_paths() -> set[str]:
    """Every API URL pattern as OpenAPI writes it: /api/problems/{problem_id}."""
    [api] = [p for p in get_resolver().url_patterns
             if isinstance(p, URLResolver) and str(p.pattern) == "api/"]
    return {
        "/api/" + re.sub(r"<int:(\w+)>", r"{\1}", str(p.pattern))
        for p in api.url_patterns if getattr(p, "name", None) not in DOCUMENTATION
    }


def test_the_schema_generates_without_warnings_and_validates(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 "--file", str(target))
    schema = json.loads(target.read_text())
    assert set(schema["paths"]) == _api_paths()
    progress = schema["paths"]["/api/measures/{measure_id}/progress"]["post"]
    assert "multipart/form-data" in progress["requestBody"]["content"]
    assert set(progress["responses"]) == {"201", "400", "401", "403", "404"}
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    statuses = schema["components"]["schemas"]["StatusEnum"]["enum"]
    assert statuses == ["not_started", "in_progress", "basically_done", "pending_review",
                        "signed_off", "long_term", "returned", "long_term_review"]


@pytest.fixture
def signed_in(people: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(people["unit_a"])
    return client


def test_the_schema_and_docs_need_a_login(client: Client) -> None:
    for url in ("/api/openapi.json", "/api/docs"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["error"].startswith("请先登录")


def test_the_schema_is_served_as_json(signed_in: Client) -> None:
    client = signed_in
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "xuncha 巡察整改 API"
    assert "/api/problems" in schema["paths"]


def test_swagger_ui_uses_local_files_only(signed_in: Client) -> None:
    client = signed_in
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/static/") for a in assets), assets
    assert '"/api/openapi.json"' in html
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
