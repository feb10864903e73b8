from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.inspections.models import Round
from xuncha.inspections.publication import render_report
from xuncha.inspections.publishing import round_notice, unit_notice_of
from xuncha.notices import writers
from xuncha.notices.writers import pdf


class Command(BaseCommand):
    help = ("由数据库生成整改情况通报：整轮通报，或用 --unit 生成某单位的通报；"
            "docx/pdf 为公文格式 (GB/T 9704)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round_id", type=int, metavar="ROUND_ID")
        parser.add_argument("--format", choices=list(writers.WRITERS), default="txt",
                            help="输出格式：txt|html|docx|pdf (默认 txt)")
        parser.add_argument("--unit", metavar="NAME",
                            help="生成该被巡察单位自己的通报 (按公布名称，如 木垒县东城镇党委)")
        parser.add_argument("--report", action="store_true",
                            help="与 --unit 同用：生成该单位向巡察主体报送的整改情况报告 "
                                 "(docx/pdf，格式取自 --format 或 -o 的扩展名)")
        parser.add_argument("--date", metavar="YYYY-MM-DD",
                            help="docx/pdf 落款日期 (默认今天)")
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="写入文件 (默认输出到屏幕；docx/pdf 必须指定)")

    def handle(
        self, *args: Any, round_id: int, format: str, unit: str | None, date: str | None,
        output: str | None, report: bool = False, **options: Any
    ) -> None:
        if report:
            format = _report_format(format, output)
        if output is None and format not in writers.TEXT_FORMATS:
            raise CommandError(f"{format} 是二进制文件，请用 -o 指定输出文件", returncode=2)
        issued = _date(date)
        round_ = Round.objects.select_related("committee").filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"没有编号为 {round_id} 的巡察轮次", returncode=2)
        inspection = None
        if unit is not None:
            inspection = round_.inspections.select_related("unit", "round__committee").filter(
                unit__name=unit).first()
            if inspection is None:
                names = "、".join(round_.inspections.values_list("unit__name", flat=True)) or "无"
                raise CommandError(f"本轮没有被巡察单位“{unit}”（本轮单位：{names}）",
                                   returncode=2)
        elif report:
            raise CommandError("--report 须与 --unit 同用：报告由被巡察单位报送", returncode=2)
        if format == "pdf":
            self._warn_about_fonts()
        try:
            if report and inspection is not None:
                data = render_report(inspection, format, issued=issued)
            else:
                notice = (round_notice(round_) if inspection is None
                          else unit_notice_of(inspection))
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


def _report_format(format: str, output: str | None) -> str:
    suffix = Path(output).suffix.lstrip(".").lower() if output else ""
    chosen = suffix if suffix in ("docx", "pdf") else format
    if chosen not in ("docx", "pdf"):
        raise CommandError(
            "整改情况报告只有 docx 和 pdf 两种格式（用 -o 报告.docx 或 --format pdf）",
            returncode=2)
    return chosen


def _date(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date 不是有效日期：{text}（格式 YYYY-MM-DD）",
                           returncode=2) from None
