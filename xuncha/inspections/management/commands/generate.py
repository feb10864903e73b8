"""`xuncha generate --problems N [--seed S]`: a large realistic database for benchmarks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.inspections.generate import GENERATED_PASSWORD, generate
from xuncha.search.management.commands.reindex import rebuild_with_progress


class Command(BaseCommand):
    help = (
        "生成大规模演示数据（问题、整改措施、进展、操作记录、区划与用户），用于性能测试；"
        "同一 --seed 生成相同内容"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--problems", type=int, required=True, help="问题数，如 1000000")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
        parser.add_argument("--no-search-index", action="store_true",
                            help="不建全文检索索引（之后可运行 xuncha reindex）")

    def handle(self, *args: Any, problems: int, seed: int, no_search_index: bool = False,
               **options: Any) -> None:
        if problems < 1:
            raise CommandError("--problems 须为正整数", returncode=2)
        result = generate(problems, seed)
        self.stdout.write(result.summary())
        names = "、".join(f"{role} {name}" for role, name in result.usernames.items())
        self.stdout.write(f"示例账号：{names}；生成账号的密码均为 {GENERATED_PASSWORD}")
        # Generated rows bypass the model signals that keep the search index in step: the
        # index is rebuilt in bulk instead.
        if no_search_index:
            self.stdout.write("全文检索索引未包含生成的数据：需要检索时请运行 xuncha reindex")
        else:
            rebuild_with_progress(self.stdout)
