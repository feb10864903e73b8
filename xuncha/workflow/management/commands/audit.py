"""`xuncha audit verify | anchor | new-key`: check the signed history, archive its head, rotate
the key."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.workflow import auditkeys
from xuncha.workflow.history import (
    AnchorError,
    Break,
    anchor,
    verify_anchor,
    verify_chain,
    verify_states,
)
from xuncha.workflow.models import Event


class Command(BaseCommand):
    help = (
        "操作记录：verify 检查签名链、链头与当前状态（--anchor 锚点文件：并核对存档的锚点）；"
        "anchor 输出当前链头供存档（-o 文件）；new-key 轮换审计密钥"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor", "new-key"])
        parser.add_argument(
            "--anchor", dest="anchor_files", action="append", default=[], metavar="FILE",
            help="verify：须仍被当前记录链延续的存档锚点（可多次给出）",
        )
        parser.add_argument("-o", "--output", help="anchor：写入此文件（默认输出到屏幕）")
        parser.add_argument(
            "--since-anchor", metavar="FILE",
            help="verify：只检查该锚点之后追加的记录与链头；无误时把新的锚点写回该文件"
            "（不重放全部状态；定期仍应运行完整检查）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            self._anchor(options["output"])
        elif options["action"] == "new-key":
            self._new_key()
        elif options["since_anchor"]:
            self._verify_since(Path(options["since_anchor"]))
        else:
            self._verify([Path(name) for name in options["anchor_files"]])

    def _verify_since(self, path: Path) -> None:
        from xuncha.workflow.history import _Walk
        from xuncha.workflow.incremental import anchor_from, verify_since

        archived = _read_anchor(path)
        walk = _Walk()
        before = archived.get("count") if isinstance(archived, dict) else None
        try:
            problems = list(verify_since(archived, walk))
        except AnchorError as error:
            raise CommandError(f"{path}: {error}") from None
        for item in problems:
            self.stdout.write(str(item))
        if problems:
            self.stdout.write(f"操作记录有 {len(problems)} 处问题（锚点 {path} 之后）")
            sys.exit(1)
        text = json.dumps(anchor_from(walk), ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
        self.stdout.write(
            f"锚点之后的记录完整：锚点记载 {before} 条，现共 {walk.count} 条，新追加的 "
            f"{walk.count - int(before or 0)} 条签名、链接与链头均无误；新的锚点已写入 {path}"
        )

    def _verify(self, anchor_files: list[Path]) -> None:
        archived = [(path, _read_anchor(path)) for path in anchor_files]
        problems: list[Break | object] = list(verify_chain())
        for path, body in archived:
            try:
                problems.extend(
                    f"锚点 {path}：{item if item.event_id is not None else item.reason}"
                    for item in verify_anchor(body)
                )
            except AnchorError as error:
                raise CommandError(f"{path}: {error}") from None
        problems.extend(verify_states())
        for item in problems:
            self.stdout.write(str(item))
        total = Event.objects.count()
        if problems:
            self.stdout.write(f"操作记录有 {len(problems)} 处问题（共 {total} 条记录）")
            sys.exit(1)
        checked = f"，与 {len(archived)} 个存档锚点一致" if archived else ""
        self.stdout.write(
            f"操作记录链完整：共 {total} 条记录，签名、链头均无误{checked}；"
            "问题与整改措施的当前状态均有记录可查"
        )

    def _anchor(self, output: str | None) -> None:
        try:
            head = anchor()
        except AnchorError as error:
            raise CommandError(str(error)) from None
        text = json.dumps(head, ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入锚点 {output}：共 {head['count']} 条记录，请存档或报送上级")
        else:
            self.stdout.write(text, ending="")

    def _new_key(self) -> None:
        if os.environ.get("XUNCHA_AUDIT_KEY", "").strip():
            raise CommandError(
                "审计密钥由环境变量 XUNCHA_AUDIT_KEY 配置：轮换时把旧密钥加入 "
                "XUNCHA_AUDIT_OLD_KEYS，再设置新的 XUNCHA_AUDIT_KEY"
            )
        new_id = auditkeys.add_to_file(settings.AUDIT_KEY_FILE)
        self.stdout.write(
            f"已在 {settings.AUDIT_KEY_FILE} 加入新密钥 {new_id}；重启服务后新记录用它签名，"
            "旧记录仍用原密钥核验"
        )


def _read_anchor(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"{path}: 不能读取锚点文件（{error}）") from None
