from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.inspections.models import Round
from xuncha.inspections.publishing import round_notice
from xuncha.notices import writers


class Command(BaseCommand):
    help = "由数据库生成轮次整改情况通报"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round_id", type=int, metavar="ROUND_ID")
        parser.add_argument("--format", choices=sorted(writers.WRITERS), default="txt")
        parser.add_argument("-o", "--output", metavar="FILE", help="写入文件 (默认输出到屏幕)")

    def handle(
        self, *args: Any, round_id: int, format: str, output: str | None, **options: Any
    ) -> None:
        round_ = Round.objects.select_related("committee").filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"没有编号为 {round_id} 的巡察轮次", returncode=2)
        text = writers.render(round_notice(round_), format)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output}: 无法写入（{error.strerror}）", returncode=2) from None
        self.stdout.write(f"已写入 {output}")
