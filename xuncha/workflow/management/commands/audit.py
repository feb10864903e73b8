from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xuncha.workflow.history import verify_chain
from xuncha.workflow.models import Event


class Command(BaseCommand):
    help = "检查操作记录链：xuncha audit verify"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        breaks = list(verify_chain())
        for item in breaks:
            self.stdout.write(f"记录 #{item.event_id}: {item.reason}")
        total = Event.objects.count()
        if breaks:
            self.stdout.write(f"操作记录链有 {len(breaks)} 处断裂（共 {total} 条记录）")
            sys.exit(1)
        self.stdout.write(f"操作记录链完整：共 {total} 条记录，无断裂")
