from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xuncha.inspections.demo import load_demo


class Command(BaseCommand):
    help = "载入示范数据 (十二届昌吉州党委第五轮巡察通报) 并创建演示账号"

    def handle(self, *args: Any, **options: Any) -> None:
        for line in load_demo():
            self.stdout.write(line)
