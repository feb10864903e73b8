from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.inspections.models import Round
from xuncha.inspections.publishing import round_notice
from xuncha.notices import writers
from xuncha.notices.writers import pdf
from xuncha.notices.writers.compose import unit_notice


class Command(BaseCommand):
    help = ("由数据库生成整改情况通报：整轮通报，或用 --unit 生成某单位的通报；"
            "docx/pdf 为公文格式 (GB/T 9704)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round_id", type=int, metavar="ROUND_ID")
        parser.add_argument("--format", choices=list(writers.WRITERS), default="txt",
                            help="输出格式：txt|html|docx|pdf (默认 txt)")
        parser.add_argument("--unit", metavar="NAME",
                            help="生成该被巡察单位自己的通报 (按公布名称，如 木垒县东城镇党委)")
        parser.add_argument("--date", metavar="YYYY-MM-DD",
                            help="docx/pdf 落款日期 (默认今天)")
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="写入文件 (默认输出到屏幕；docx/pdf 必须指定)")

    def handle(
        self, *args: Any, round_id: int, format: str, unit: str | None, date: str | None,
        output: str | None, **options: Any
    ) -> None:
        if output is None and format not in writers.TEXT_FORMATS:
            raise CommandError(f"{format} 是二进制文件，请用 -o 指定输出文件", returncode=2)
        issued = _date(date)
        round_ = Round.objects.select_related("committee").filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"没有编号为 {round_id} 的巡察轮次", returncode=2)
        notice = round_notice(round_)
        if unit is not None:
            section = next((s for s in notice.units if s.name == unit), None)
            if section is None:
                names = "、".join(s.name for s in notice.units) or "无"
                raise CommandError(f"本轮没有被巡察单位“{unit}”（本轮单位：{names}）",
                                   returncode=2)
            notice = unit_notice(notice, section)
        if format == "pdf":
            self._warn_about_fonts()
        try:
            data = writers.render_bytes(notice, format, issued=issued)
        except writers.MissingFontError as error:
            raise CommandError(error.message, returncode=2) from None
        if output is None:
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(f"{output}: 无法写入（{error.strerror}）", returncode=2) from None
        self.stdout.write(f"已写入 {output}")

    def _warn_about_fonts(self) -> None:
        try:
            fonts = pdf.resolve_fonts()
        except pdf.MissingFontError:
            return  # rendering says so, with the packages to install
        for warning in pdf.font_warnings(fonts):
            self.stderr.write(f"提示：{warning}")


def _date(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date 不是有效日期：{text}（格式 YYYY-MM-DD）",
                           returncode=2) from None
