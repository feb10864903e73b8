from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.accounts.models import ApiToken


class Command(BaseCommand):
    help = "为用户签发新的 API 令牌（最后一行即令牌，只显示这一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有名为“{username}”的有效用户", returncode=2)
        key = ApiToken.issue(user)
        self.stdout.write(f"已为 {username} 签发 API 令牌，请求时使用 Authorization: Bearer <令牌>")
        self.stdout.write(key)
