"""API tokens: each user lists and revokes their own; the office does so on a user's row."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from xuncha import access
from xuncha.accounts.services import list_tokens, revoke_tokens
from xuncha.workflow.services import ServiceError


@login_required
@require_http_methods(["GET", "POST"])
def own_tokens(request: HttpRequest) -> HttpResponse:
    return _tokens_page(request, request.user, reverse("own-tokens"))  # type: ignore[arg-type]


@login_required
@require_http_methods(["GET", "POST"])
def user_tokens(request: HttpRequest, user_id: int) -> HttpResponse:
    account = access.access_user(request.user, user_id)
    return _tokens_page(request, account, reverse("user-tokens", args=[account.pk]))


def _tokens_page(request: HttpRequest, account: AbstractBaseUser, here: str) -> HttpResponse:
    status = 200
    if request.method == "POST":
        choice = request.POST.get("token", "")
        try:
            token_id = None if choice == "all" else int(choice)
        except ValueError:
            token_id, status = -1, 400
        if status == 200:
            try:
                count = revoke_tokens(request.user, account, token_id)
            except ServiceError as error:
                messages.error(request, error.message)
                status = 400
            else:
                messages.success(
                    request, f"已撤销 {count} 个令牌。" if count else "没有需要撤销的令牌。"
                )
                return redirect(here)
        else:
            messages.error(request, "请选择要撤销的令牌")
    tokens = list_tokens(request.user, account)
    context = {"account": account, "tokens": tokens, "own": account.pk == request.user.pk,
               "here": here}
    response = render(request, "web/tokens.html", context, status=status)
    add_never_cache_headers(response)
    return response
