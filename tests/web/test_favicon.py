"""A favicon: linked from every page, and /favicon.ico answered."""

from __future__ import annotations

from pathlib import Path

from django.test import Client

import xuncha.web

STATIC = Path(xuncha.web.__file__).parent / "static" / "xuncha"


def test_favicon_ico_leads_to_a_real_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/xuncha/favicon.ico"
    icon = (STATIC / "favicon.ico").read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert b"\x89PNG" in icon


def test_pages_link_to_the_icon(client: Client) -> None:
    html = client.get("/login/").content.decode()
    assert '<link rel="icon" href="/static/xuncha/favicon.svg" type="image/svg+xml">' in html
    assert (STATIC / "favicon.svg").read_text().startswith("<svg")
