from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xuncha.inspections.models import Inspection, Problem, Round
from xuncha.inspections.queries import rounds_with_counts


class Command(BaseCommand):
    help = "列出巡察轮次及其编号 (ROUND_ID，供 publish 等命令使用)"

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = rounds_with_counts(
            Round.objects.all(), Inspection.objects.all(), Problem.objects.all()
        ).order_by("committee__name", "term", "number", "id")
        if not rounds:
            self.stdout.write("还没有巡察轮次（可用 xuncha import 导入通报，或在网页上新建轮次）")
            return
        self.stdout.write("编号\t巡察主体\t届/轮\t标题\t被巡察单位\t反馈问题")
        for round_ in rounds:
            title = round_.title or round_.display_name
            self.stdout.write(
                f"{round_.pk}\t{round_.committee.name}\t{_term_and_number(round_)}\t"
                f"{title}\t{round_.unit_count}\t{round_.problem_count}"  # type: ignore[attr-defined]
            )


def _term_and_number(round_: Round) -> str:
    """"十二届第5轮"; a round imported without 届 or 轮 shows what it has, or "—"."""
    number = f"第{round_.number}轮" if round_.number else ""
    return f"{round_.term}{number}" or "—"
