"""The `xuncha` console script: Django's management commands under one name.

`xuncha --help` lists what an office uses day to day first; every Django command (migrate,
createsuperuser, changepassword, dbshell …) works too.
"""

from __future__ import annotations

import os
import sys

USAGE = """\
用法: xuncha <命令> [选项]   (xuncha <命令> --help 查看命令的选项)

常用命令:
  serve      启动网页服务 (waitress; --host 127.0.0.1 --port 8000)
  demo       载入示范数据 (十二届昌吉州党委第五轮巡察) 并创建演示账号
  parse      解析整改情况通报 (.txt/.html/.docx)，每个文件输出一个 JSON 对象
  import     将通报导入数据库 (每个文件一个事务，重复导入不作更改)
  publish    由数据库生成轮次整改情况通报 (--format txt|html [-o 文件])
  ledger     整改台账: ledger export 轮次号 [--unit 单位] -o 文件.xlsx；
             ledger import 文件.xlsx [--round 轮次号] [--dry-run]
  migrate    创建或升级数据库结构

Django 自带命令 (createsuperuser, changepassword, dbshell, check …) 同样可用:
  xuncha help --commands 列出全部命令。

环境变量: XUNCHA_DATABASE_URL, XUNCHA_SECRET_KEY, XUNCHA_DEBUG, XUNCHA_DATA_DIR (见 .env.example)
"""


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help") or args == ["help"]:
        sys.stdout.write(USAGE)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xuncha", *args])


if __name__ == "__main__":
    main()
