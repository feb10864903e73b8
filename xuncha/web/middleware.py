"""A form sent after the session expired: back to the page it came from, never a blank 405.

``login_required`` answers an anonymous POST with a redirect to the login page whose ``next``
is the POST-only action URL; logging in would then GET that URL and get 405. This middleware
rewrites such a redirect so ``next`` is the page the form was on (the Referer, when it is this
site), and says on both sides of the login what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

#: Session key: the page to greet with "登录已过期，请重新提交" once the user is back on it.
RESUBMIT_KEY = "xuncha.resubmit"
EXPIRED_LOGIN = "登录已过期，请重新登录；登录后将回到原页面，请重新提交刚才填写的内容"
EXPIRED_PAGE = "登录已过期，刚才提交的内容未保存，请重新提交"


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and request.user.is_authenticated:
            _greet_on_return(request)
        response = self.get_response(request)
        if request.method == "POST" and _is_login_redirect(response):
            return _back_to_the_form_page(request)
        if response.status_code == 405 and request.method == "GET" and _is_page(request):
            return _not_a_page(request)
        return response


def _greet_on_return(request: HttpRequest) -> None:
    page = request.session.get(RESUBMIT_KEY)
    if page is not None and urlsplit(page).path == request.path:
        del request.session[RESUBMIT_KEY]
        messages.warning(request, EXPIRED_PAGE)


def _is_login_redirect(response: HttpResponse) -> bool:
    # login_required's redirect carries ?next=; a logout's redirect to the login page does not.
    if response.status_code != 302:
        return False
    location = urlsplit(response.get("Location", ""))
    return location.path == resolve_url(settings.LOGIN_URL) and "next" in parse_qs(
        location.query
    )


def _back_to_the_form_page(request: HttpRequest) -> HttpResponse:
    page = _referring_page(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
    request.session[RESUBMIT_KEY] = page
    messages.warning(request, EXPIRED_LOGIN)
    return redirect_to_login(page)


def _referring_page(request: HttpRequest) -> str | None:
    """The page of this site the request came from (path and query), if the browser said."""
    referer = request.headers.get("Referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    if parts.path == request.path:
        return None  # a POST-only URL is no page to come back to
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _is_page(request: HttpRequest) -> bool:
    return not request.path.startswith(("/api/", "/admin/", "/static/"))


def _not_a_page(request: HttpRequest) -> HttpResponse:
    back = _referring_page(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
    return render(request, "web/not_a_page.html", {"back": back}, status=405)
