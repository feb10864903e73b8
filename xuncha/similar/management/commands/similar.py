"""`xuncha similar rebuild`: recompute every problem's band keys (after a bulk load)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xuncha.similar.index import rebuild


class Command(BaseCommand):
    help = "相似问题索引：rebuild 重建全部问题的 MinHash/LSH 索引（批量导入或生成数据之后）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument("--batch", type=int, default=5000,
                            help="每批读取的问题数（内存占用与之成正比，与数据总量无关）")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        last = [0.0]

        def report(problems: int, rows: int) -> None:
            now = time.perf_counter()
            if not options["quiet"] and now - last[0] >= 10:
                last[0] = now
                self.stdout.write(f"  {problems} 个问题，{rows} 条索引 ({now - started:.0f} s)")

        rows = rebuild(batch=options["batch"], report=report)
        seconds = time.perf_counter() - started
        self.stdout.write(f"相似问题索引已重建：{rows} 条，用时 {seconds:.1f} s")
