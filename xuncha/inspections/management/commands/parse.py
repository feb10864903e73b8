from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xuncha.notices.model import NoticeError
from xuncha.notices.parse import parse_document
from xuncha.notices.reading import read_notice_file


class Command(BaseCommand):
    # Parsing touches neither the database nor the web layer: no checks to run first.
    requires_system_checks: list[str] = []
    help = ("解析整改情况通报 (.txt UTF-8/GB18030、.html、.docx、有文字层的 .pdf)，"
            "每个文件输出一个 JSON 对象")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--json",
            dest="compact",
            action="store_true",
            help="每个文件一行紧凑 JSON (默认: 缩进的 JSON)",
        )

    def handle(self, *args: Any, files: list[str], compact: bool, **options: Any) -> None:
        failed = False
        for name in files:
            try:
                data = read_notice_file(Path(name))
                notice = parse_document(data, name)
            except NoticeError as error:
                sys.stderr.write(error.describe(name) + "\n")
                failed = True
                continue
            if report := notice.completeness.describe():
                # Still a notice: what was read is printed, and what is missing is said.
                sys.stderr.write(f"{name}: 警告：{report}\n")
            indent = None if compact else 2
            self.stdout.write(_dumps(notice.to_json(), indent))
        if failed:
            sys.exit(2)


def _dumps(value: dict[str, Any], indent: int | None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)
