"""Error pages a person can act on, in Chinese."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a form sent with a stale or missing security token.

    Most often the page was open for long, or cookies were cleared; reloading it gives a fresh
    token. ``reason`` (Django's English words) is kept out of the page.
    """
    referer = request.headers.get("Referer", "")
    back = referer if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) else ""
    return render(request, "web/csrf_failure.html", {"back": back}, status=403)
