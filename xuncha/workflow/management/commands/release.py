from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from xuncha.inspections.models import Round
from xuncha.workflow import publishing
from xuncha.workflow.services import ServiceError


class Command(BaseCommand):
    help = ("审批发布整改情况通报：冻结 txt、html、docx、pdf 各格式的版本（同网页上的“发布”按钮）；"
            "--unit 发布该单位自己的通报")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round_id", type=int, metavar="ROUND_ID")
        parser.add_argument("--by", required=True, metavar="USERNAME",
                            help="审批发布的巡察办用户（不能是通报中整改情况的起草人）")
        parser.add_argument("--unit", metavar="NAME", help="发布该被巡察单位的通报 (按公布名称)")
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="落款日期 (默认今天)")

    def handle(self, *args: Any, round_id: int, by: str, unit: str | None, date: str | None,
               **options: Any) -> None:
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"没有名为 {by} 的有效用户", returncode=2)
        round_ = Round.objects.select_related("committee").filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"没有编号为 {round_id} 的巡察轮次", returncode=2)
        inspection = None
        if unit is not None:
            inspection = round_.inspections.select_related("unit").filter(unit__name=unit).first()
            if inspection is None:
                raise CommandError(f"本轮没有被巡察单位“{unit}”", returncode=2)
        try:
            issued = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date 不是有效日期：{date}（格式 YYYY-MM-DD）",
                               returncode=2) from None
        try:
            published = publishing.release(user, round_, inspection, issued=issued)
        except PermissionDenied as error:
            raise CommandError(f"{by}：{error}", returncode=2) from None
        except Http404:
            raise CommandError(f"{by} 无权访问编号为 {round_id} 的巡察轮次", returncode=2) from None
        except ServiceError as error:
            raise CommandError(error.message, returncode=2) from None
        self.stdout.write(f"已发布第{published.number}版：{published.title}")
        for item in published.files.order_by("id"):
            self.stdout.write(f"  {item.format}\t{item.size} 字节\tsha256 {item.sha256}")
        self.stdout.write(f"版本 sha256 {published.sha256}")
