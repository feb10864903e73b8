"""`Authorization: Bearer <token>` with tokens from `xuncha token USER` (stored hashed)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions

from xuncha.accounts.models import ApiToken

_TOUCH_EVERY = datetime.timedelta(minutes=5)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization 头格式应为：Bearer <令牌>")
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(header[1]))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("API 令牌无效或已停用")
        now = timezone.now()
        # Enough to tell a token in use from a stale one, without a write on every read.
        if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
