from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xuncha.accounts.models import ApiToken


class Command(BaseCommand):
    help = (
        "为用户签发新的 API 令牌（最后一行即令牌，只显示这一次）；"
        "--list 列出该用户的令牌，--revoke 撤销其全部令牌"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--list", action="store_true", dest="show_list",
                            help="列出该用户的令牌及状态")
        action.add_argument("--revoke", action="store_true", help="撤销该用户的全部令牌")

    def handle(
        self, *args: Any, username: str, show_list: bool, revoke: bool, **options: Any
    ) -> None:
        users = get_user_model().objects.filter(username=username)
        user = users.first() if (show_list or revoke) else users.filter(is_active=True).first()
        if user is None:
            raise CommandError(f"没有名为“{username}”的有效用户", returncode=2)
        if show_list:
            self._list(user)
        elif revoke:
            count = ApiToken.revoke_all(user)
            self.stdout.write(f"已撤销 {username} 的 {count} 个令牌")
        else:
            key = ApiToken.issue(user)
            self.stdout.write(
                f"已为 {username} 签发 API 令牌，请求时使用 Authorization: Bearer <令牌>"
            )
            self.stdout.write(key)

    def _list(self, user: Any) -> None:
        now = timezone.now()
        tokens = ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
        if not tokens:
            self.stdout.write("（没有令牌）")
        for token in tokens:
            expires = _local(token.expires_at) if token.expires_at else "长期"
            used = _local(token.last_used_at) if token.last_used_at else "从未使用"
            self.stdout.write(
                f"{token.prefix}  签发 {_local(token.created_at)}  有效期至 {expires}  "
                f"最近使用 {used}  {token.state(now)}"
            )


def _local(moment: Any) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
