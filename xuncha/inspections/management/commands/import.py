from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xuncha.inspections.importer import import_notice, source_gaps
from xuncha.notices.model import NoticeError
from xuncha.notices.parse import parse_document
from xuncha.notices.reading import read_notice_file

_MARKED = "（已导入读到的部分，来源文件标为不完整）"


class Command(BaseCommand):
    help = "将整改情况通报导入数据库 (每个文件一个事务；重复导入不作更改)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args: Any, files: list[str], **options: Any) -> None:
        failed = False
        for name in files:
            try:
                data = read_notice_file(Path(name))
                notice = parse_document(data, name)
                result = import_notice(notice, filename=name, content=data)
            except NoticeError as error:
                sys.stderr.write(error.describe(name) + "，未导入\n")
                failed = True
                continue
            self.stdout.write(result.summary())
            gaps = source_gaps(notice)
            parts = (["通报不完整：" + "；".join(gaps)] if gaps else [])
            parts += notice.completeness.warnings
            if parts:
                marked = _MARKED if gaps else ""
                sys.stderr.write(f"{name}: 警告：{'；'.join(parts)}{marked}\n")
        if failed:
            sys.exit(2)
