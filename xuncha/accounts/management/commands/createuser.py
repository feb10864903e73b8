from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.accounts.models import Role
from xuncha.accounts.services import AccountError, create_user


class Command(BaseCommand):
    help = "创建用户并指定角色与范围"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--unit", help="被巡察单位（按公布的名称，如 木垒县东城镇党委）")
        parser.add_argument("--group", help="巡察组名称（如 第一巡察组）")
        parser.add_argument("--round", dest="round_id", type=int, help="巡察组所属轮次编号")
        parser.add_argument("--committee", help="巡察主体（巡察办、纪委监委/组织部用户）")
        parser.add_argument("--password", help="密码（不填则随机生成并显示一次）")
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--body", default="", help="所属机关（如 纪委监委、组织部）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            new = create_user(
                options["username"], Role(options["role"]), unit=options["unit"],
                group=options["group"], round_id=options["round_id"],
                committee=options["committee"], password=options["password"],
                full_name=options["name"], body=options["body"],
            )
        except AccountError as error:
            raise CommandError(str(error), returncode=2) from None
        profile = new.user.profile  # type: ignore[attr-defined]
        self.stdout.write(f"已创建用户 {new.user.username}：{profile}")
        if new.generated_password:
            self.stdout.write(f"密码（只显示这一次）：{new.generated_password}")
