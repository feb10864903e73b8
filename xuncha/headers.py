"""Response headers for every page: a Content-Security-Policy, and no caching of private pages.

One small middleware rather than a package: the policy is one fixed string (settings.
CONTENT_SECURITY_POLICY) because nothing here needs inline script or style, or anything from
another origin — JS and CSS are static files, served by xuncha itself.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    """Put first in MIDDLEWARE, so static files, redirects and error pages get the policy too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        # A signed-in user's page holds what only they may see: neither the browser's cache
        # (a shared office computer, the back button after logout) nor a proxy may keep it.
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
