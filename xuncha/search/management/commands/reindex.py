"""``xuncha reindex``: rebuild the full-text search index from the data."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from xuncha.search.bulk import rebuild_all, rebuild_parallel


class Command(BaseCommand):
    help = ("重建全文检索索引（反馈问题、整改情况、整改措施、整改进展），一个事务内完成；"
            "按主键分段读取，内存占用不随数据量增长")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=10000, help="每批写入的条数")
        parser.add_argument(
            "--jobs", type=int, default=1,
            help="并行进程数（仅 PostgreSQL；大于 1 时不在一个事务内完成，重建期间检索结果不全）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["jobs"] > 1:
            if connection.vendor != "postgresql":
                raise CommandError("--jobs 仅用于 PostgreSQL")
            started = time.monotonic()
            total = rebuild_parallel(options["jobs"], report=self.stdout.write,
                                     every=options["batch"])
            self.stdout.write(
                f"检索索引已重建：{total} 条，用时 {time.monotonic() - started:.1f} 秒")
            return
        rebuild_with_progress(self.stdout, options["batch"])


def rebuild_with_progress(stdout: Any, batch: int = 10000) -> int:
    """Rebuild the index, printing the running count and rate (also used by ``generate``)."""
    started = time.monotonic()
    last = [0.0]  # the first batch is reported at once, then every five seconds

    def report(count: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 5:
            last[0] = now
            rate = count / max(now - started, 1e-9)
            stdout.write(f"已索引 {count} 条（{rate:,.0f} 条/秒）")
            stdout.flush()

    total = rebuild_all(report=report, every=batch)
    elapsed = time.monotonic() - started
    stdout.write(f"检索索引已重建：{total} 条，用时 {elapsed:.1f} 秒")
    return total
