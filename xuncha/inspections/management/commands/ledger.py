from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.inspections.ledger import export_round, guess_round, import_ledger
from xuncha.inspections.models import Inspection, Round
from xuncha.ledgers.model import LedgerError
from xuncha.ledgers.read import read_ledger

#: Refuse to read more than this into memory (a ledger of 100,000 rows is about 10 MB).
MAX_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = "整改台账 (.xlsx) 的导出和导入"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="export|import")
        export = actions.add_parser("export", help="导出轮次 (或其中一个单位) 的整改台账")
        export.add_argument("round_id", type=int, metavar="ROUND_ID")
        export.add_argument("--unit", metavar="NAME", help="只导出这个被巡察单位")
        export.add_argument("-o", "--output", metavar="FILE.xlsx", required=True)
        export.add_argument("--no-lists", action="store_true", help="不附三个清单")
        imp = actions.add_parser("import", help="导入整改台账 (一个事务；重复导入不作更改)")
        imp.add_argument("file", metavar="FILE.xlsx")
        imp.add_argument("--round", dest="round_id", type=int, metavar="ROUND_ID")
        imp.add_argument("--unit", metavar="NAME", help="无法从表中看出单位时，归入这个单位")
        imp.add_argument("--dry-run", action="store_true", help="只列出将要作的更改，不写入")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "export":
            self.export(options["round_id"], options["unit"], options["output"],
                        not options["no_lists"])
        else:
            self.import_(options["file"], options["round_id"], options["unit"] or "",
                         options["dry_run"])

    def export(self, round_id: int, unit_name: str | None, output: str, lists: bool) -> None:
        round_ = _round(round_id)
        unit = None
        if unit_name:
            inspection = (Inspection.objects.filter(round=round_, unit__name=unit_name)
                          .select_related("unit").first())
            if inspection is None:
                raise CommandError(f"“{unit_name}”不是{round_}的巡察对象", returncode=2)
            unit = inspection.unit
        data = export_round(round_, unit, lists=lists)
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(f"{output}: 无法写入（{error.strerror}）", returncode=2) from None
        self.stdout.write(f"已写入 {output}")

    def import_(self, name: str, round_id: int | None, unit: str, dry_run: bool) -> None:
        path = Path(name)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{name}: 文件超过 {MAX_BYTES // 1024 // 1024} MB，未导入",
                                   returncode=2)
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{name}: 无法读取（{error.strerror}）", returncode=2) from None
        try:
            result = read_ledger(data, path.name, default_unit=unit)
        except LedgerError as error:
            sys.stderr.write(f"{error}，未导入\n")
            sys.exit(2)
        round_ = _round(round_id) if round_id is not None else guess_round(result.ledger)
        if round_ is None:
            raise CommandError(f"{name}: 无法确定台账属于哪一轮巡察，请用 --round 指定",
                               returncode=2)
        report = import_ledger(None, round_, result, filename=path.name, dry_run=dry_run)
        if dry_run:
            for title, items in (("新建", report.created), ("更新", report.updated),
                                 ("不变", report.unchanged)):
                for item in items:
                    self.stdout.write(f"{title}：{item}")
        for finding in report.findings:
            self.stdout.write(f"问题：{finding}")
        self.stdout.write(report.summary())


def _round(round_id: int) -> Round:
    round_ = Round.objects.select_related("committee").filter(pk=round_id).first()
    if round_ is None:
        raise CommandError(f"没有编号为 {round_id} 的巡察轮次", returncode=2)
    return round_
