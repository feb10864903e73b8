"""Every URL pattern (pages and API), as the office: an id beyond 64 bits is 404 and a NUL
in the query or a form is a 400 in Chinese; never a 500 or a traceback, on either database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from xuncha.guard import NUL_MESSAGE
from xuncha.inspections.models import Round

pytestmark = pytest.mark.django_db

HUGE = 2**64


def _patterns() -> Iterator[tuple[str, URLPattern]]:
    """(namespace prefix, pattern) for every named pattern outside /admin/."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern) == "admin/":
                continue
            prefix = f"{entry.namespace}:" if entry.namespace else ""
            for inner in entry.url_patterns:
                assert isinstance(inner, URLPattern)
                yield prefix, inner
        else:
            yield "", entry


def _url(prefix: str, pattern: URLPattern, number: int) -> str:
    converters = pattern.pattern.converters  # type: ignore[attr-defined]
    kwargs = {name: number if type(c).__name__ == "IntConverter" else "txt"
              for name, c in converters.items()}
    return reverse(prefix + str(pattern.name), kwargs=kwargs)


def _every_url(number: int) -> list[tuple[str, bool]]:
    """(URL, whether it carries an id) for every pattern."""
    urls = []
    for prefix, pattern in _patterns():
        converters = pattern.pattern.converters  # type: ignore[attr-defined]
        has_id = any(type(c).__name__ == "IntConverter" for c in converters.values())
        urls.append((_url(prefix, pattern, number), has_id))
    return urls


@pytest.fixture
def office(seed_round: Round) -> Client:
    from xuncha.accounts.models import Role
    from xuncha.accounts.services import create_user

    client = Client()
    client.force_login(create_user("office", Role.OFFICE).user)  # type: ignore[arg-type]
    return client


def _is_json(response: Any) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


def test_the_walk_covers_pages_and_api() -> None:
    urls = [url for url, _ in _every_url(1)]
    assert any(url.startswith("/api/") for url in urls)
    assert "/problems/1/" in urls and "/api/problems/1" in urls
    assert len(urls) > 60


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_id_beyond_64_bits_is_not_found_everywhere(office: Client, method: str) -> None:
    for url, has_id in _every_url(HUGE):
        if not has_id:
            continue
        response = getattr(office, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
        if url.startswith("/api/"):
            assert _is_json(response) and response.json()["error"], url


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_in_the_query_is_refused_in_chinese_everywhere(office: Client, method: str) -> None:
    for url, _ in _every_url(1):
        response = getattr(office, method)(url + "?status=%00&q=a%00b")
        assert response.status_code == 400, (method, url, response.status_code)
        if url.startswith("/api/"):
            assert response.json() == {"error": NUL_MESSAGE, "field": "status"}
        else:
            assert NUL_MESSAGE in response.content.decode()


def test_a_nul_in_a_form_field_is_refused(office: Client, seed_round: Round) -> None:
    response = office.post(reverse("round-create"), {"title": "第\x00六轮"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_the_user_search_with_a_nul_is_refused_not_a_server_error(office: Client) -> None:
    # PostgreSQL answered 500 here: it cannot compare text containing NUL.
    response = office.get(reverse("user-list") + "?q=%00")
    assert response.status_code == 400


def test_an_empty_filter_is_no_filter(office: Client) -> None:
    for url in ["/api/problems?status=", "/api/clues?status=", "/board/?status=&by=",
                "/clues/?status=", "/users/?q=&role=", "/api/notifications?unread="]:
        response = office.get(url)
        assert response.status_code < 500, url
        assert response.status_code != 404 or _is_json(response), url


@pytest.mark.parametrize("url", ["/api/nothing-here", "/api/problems/abc", "/api/rounds/1/x"])
def test_an_unknown_api_path_or_malformed_id_is_json_404(office: Client, url: str) -> None:
    response = office.get(url)
    assert response.status_code == 404
    assert _is_json(response) and response.json()["error"].startswith("未找到")


def test_a_method_the_api_does_not_take_is_json_405(office: Client) -> None:
    response = office.delete("/api/rounds")
    assert response.status_code == 405
    assert _is_json(response) and "DELETE" in response.json()["error"]


def test_a_multipart_body_without_a_boundary_is_a_400(office: Client) -> None:
    page = office.generic("POST", "/rounds/new/", b"x", content_type="multipart/form-data")
    assert page.status_code == 400
    assert "无法解析" in page.content.decode()
    api = office.generic("POST", "/api/rounds/1/units/1/problems", b"x",
                         content_type="multipart/form-data")
    assert 400 <= api.status_code < 500 and _is_json(api)
