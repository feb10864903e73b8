"""Security headers on every response (xuncha.headers) and `check --deploy` with HTTPS on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.workflow.conftest import open_measure, people, problem_a  # noqa: F401
from xuncha.inspections.models import Measure

XUNCHA = Path(__file__).resolve().parents[1] / "xuncha"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def inline_parts(html: str) -> list[str]:
    return [
        f"{name}: {m.group(0)[:60]}" for pattern, name in INLINE for m in pattern.finditer(html)
    ]


def test_no_template_of_ours_has_inline_script_or_style() -> None:
    found = {
        str(path.relative_to(XUNCHA)): inline_parts(path.read_text(encoding="utf-8"))
        for path in XUNCHA.glob("*/templates/**/*.html")
    }
    assert {name: parts for name, parts in found.items() if parts} == {}


@pytest.mark.django_db
def test_every_page_carries_the_policy_and_none_needs_inline_code(
    people: dict[str, Any], open_measure: Measure  # noqa: F811
) -> None:
    client = Client()
    client.force_login(people["office"])
    problem = open_measure.problem
    pages = [
        "/rounds/", f"/rounds/{problem.round_id}/",
        f"/rounds/{problem.round_id}/units/{problem.unit_id}/", f"/problems/{problem.id}/",
        f"/measures/{open_measure.id}/progress/", "/board/", "/notifications/", "/users/",
        "/api/docs", "/api/openapi.json", "/no-such-page/", "/static/xuncha/site.css",
    ]
    for url in pages:
        response = client.get(url)
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY, url
        if response["Content-Type"].startswith("text/html"):
            body = b"".join(response).decode() if response.streaming else response.content.decode()
            assert inline_parts(body) == [], url
    anonymous = Client().get("/login/")
    assert anonymous["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in settings.CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in settings.CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_private_pages_are_not_stored(people: dict[str, Any], problem_a: Any) -> None:  # noqa: F811
    from xuncha.accounts.models import ApiToken

    client = Client()
    client.force_login(people["unit_a"])
    for url in ["/rounds/", f"/problems/{problem_a.id}/"]:
        assert "no-store" in client.get(url)["Cache-Control"], url
    token = ApiToken.issue(people["unit_a"])
    api = Client().get("/api/rounds", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]
    # Static files are the same for everyone and may be cached.
    assert "no-store" not in client.get("/static/xuncha/site.css").get("Cache-Control", "")


def clean_environment(*keep: str) -> dict[str, str]:
    """This process's environment without xuncha's settings (but ``keep``), and without what
    the browser tests set (DJANGO_ALLOW_ASYNC_UNSAFE, which `check --deploy` rightly refuses)."""
    return {
        key: value for key, value in os.environ.items()
        if (not key.startswith("XUNCHA_") or key in keep) and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }


def run_xuncha(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = clean_environment("XUNCHA_DATABASE_URL")
    environment.update(XUNCHA_DATA_DIR=str(tmp_path), XUNCHA_DEBUG="false", **env)
    return subprocess.run(
        [sys.executable, "-m", "xuncha.cli", *args], capture_output=True, text=True,
        timeout=120, check=False, env=environment,
    )


def test_check_deploy_is_clean_when_served_over_https(tmp_path: Path) -> None:
    result = run_xuncha(tmp_path, "check", "--deploy", "--fail-level", "WARNING",
                        XUNCHA_HTTPS="true")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_what_is_missing_without_https(tmp_path: Path) -> None:
    result = run_xuncha(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 1
    for warning in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert warning in result.stderr


PROXY_PROBE = """
import django
django.setup()
from django.test import Client
plain = Client().get("/login/")
proxied = Client().get("/login/", HTTP_X_FORWARDED_PROTO="https")
print(plain.status_code, plain.get("Location"))
print(proxied.status_code, proxied.get("Strict-Transport-Security"))
print(proxied.cookies["csrftoken"]["secure"])
"""


def test_behind_a_tls_proxy_plain_http_is_redirected_and_https_gets_hsts(
    tmp_path: Path,
) -> None:
    environment = clean_environment()
    environment.update(
        XUNCHA_DATA_DIR=str(tmp_path), XUNCHA_HTTPS="true", XUNCHA_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="xuncha.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROXY_PROBE], capture_output=True, text=True, timeout=120,
        check=False, env=environment,
    )
    assert result.returncode == 0, result.stderr
    plain, proxied, secure_cookie = result.stdout.splitlines()
    assert plain == "301 https://testserver/login/"
    assert proxied == "200 max-age=31536000; includeSubDomains; preload"
    assert secure_cookie == "True"


def test_serve_believes_forwarded_headers_only_from_the_proxy_under_https(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    import waitress
    from django.core.management import call_command

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **options: calls.append(options))
    call_command("serve", "--port", "8123", "--workers", "1")
    settings.HTTPS = True
    call_command("serve", "--port", "8123", "--workers", "1")
    assert "trusted_proxy" not in calls[0]
    assert calls[1]["trusted_proxy"] == "127.0.0.1"
    assert calls[1]["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}
    assert calls[1]["clear_untrusted_proxy_headers"] is True
