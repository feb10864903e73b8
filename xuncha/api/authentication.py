"""`Authorization: Bearer <token>` with tokens from `xuncha token USER` (stored hashed).

A token works while it is neither revoked nor expired and its user is active and not locked
out of logging in. Bad tokens are counted per address: past the limit the address gets 429
until the window passes, so guessing tokens is as slow as guessing passwords.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework import authentication, exceptions

from xuncha.accounts import lockout
from xuncha.accounts.models import ApiToken

_TOUCH_EVERY = datetime.timedelta(minutes=5)
_INVALID = "API 令牌无效、已过期或已撤销，请重新签发（xuncha token 用户名）"


class TooManyBadTokens(exceptions.Throttled):
    default_detail = "该地址提交的无效 API 令牌过多，请稍后再试"


def _failures_key(request: Any) -> str:
    return f"xuncha:bad-token:{request.META.get('REMOTE_ADDR', '')}"


def _check_not_blocked(request: Any) -> None:
    if cache.get(_failures_key(request), 0) >= settings.API_TOKEN_FAILURE_LIMIT:
        minutes = settings.API_TOKEN_FAILURE_MINUTES
        raise TooManyBadTokens(
            wait=minutes * 60,
            detail=f"该地址提交的无效 API 令牌过多，请 {minutes} 分钟后再试",
        )


def _count_failure(request: Any) -> None:
    key = _failures_key(request)
    window = settings.API_TOKEN_FAILURE_MINUTES * 60
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        _check_not_blocked(request)
        if len(header) != 2:
            _count_failure(request)
            raise exceptions.AuthenticationFailed("Authorization 头格式应为：Bearer <令牌>")
        token = (
            ApiToken.usable()
            .select_related("user")
            .filter(key_hash=ApiToken.hash(header[1]))
            .first()
        )
        if token is None:
            _count_failure(request)
            raise exceptions.AuthenticationFailed(_INVALID)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("该用户已停用，API 令牌不再有效")
        if lockout.locked_until([token.user.get_username()]):
            raise exceptions.AuthenticationFailed("该用户因多次登录失败被锁定，API 令牌暂停使用")
        now = timezone.now()
        # Enough to tell a token in use from a stale one, without a write on every read.
        if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
