from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.edges import date_out_of_range
from xuncha.workflow.deadlines import send_reminders
from xuncha.workflow.models import today


class Command(BaseCommand):
    help = "向每位用户发送当日到期与逾期事项提醒（每人每天一份；适合每日定时运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期计算（默认今天，格式 2024-03-31）")

    def handle(self, *args: Any, date: str | None, **options: Any) -> None:
        try:
            day = datetime.date.fromisoformat(date) if date else today()
        except ValueError:
            raise CommandError(f"日期“{date}”无效，格式应为 2024-03-31", returncode=2) from None
        if (refusal := date_out_of_range(day, f"日期“{date}”")) is not None:
            raise CommandError(refusal, returncode=2)
        sent, skipped = send_reminders(day)
        self.stdout.write(f"{day}: 发送提醒 {sent} 份；今日已发送过、未重复发送 {skipped} 份")
