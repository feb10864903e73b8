"""The `xuncha` console script: Django's management commands under one name.

`xuncha --help` lists every xuncha command (tests/cli/test_help.py checks that none is missing);
every Django command (migrate, createsuperuser, changepassword, dbshell …) works too.
"""

from __future__ import annotations

import os
import sys

USAGE = """\
用法: xuncha <命令> [选项]   (xuncha <命令> --help 查看命令的选项)

xuncha 命令:
  serve      启动网页服务 (waitress; --host 127.0.0.1 --port 8000 --workers 进程数)，
             并启动后台任务进程 (--task-workers 进程数，默认 1)
  db_worker  运行后台任务 (台账导入导出)；serve 已自动启动，另行部署时才需单独运行
  demo       载入示范数据 (十二届昌吉州党委第五轮巡察) 并创建演示账号
  parse      解析整改情况通报 (.txt/.html/.docx/.pdf)，每个文件输出一个 JSON 对象
  import     将通报导入数据库 (每个文件一个事务，重复导入不作更改)
  publish    由数据库生成整改情况通报 (--format txt|html|docx|pdf [--unit 单位] [-o 文件])；
             --unit 单位 --report -o 报告.docx|pdf 生成该单位的整改情况报告
  release    审批发布通报并冻结各格式版本 (ROUND_ID --by 用户名 [--unit 单位])，同网页“发布”
  rounds     列出巡察轮次及其编号 (publish 用的 ROUND_ID)、被巡察单位数和问题数
  ledger     整改台账: ledger export 轮次号 [--unit 单位] -o 文件.xlsx；
             ledger import 文件.xlsx [--round 轮次号] [--dry-run]
  migrate    创建或升级数据库结构
  createuser 创建用户并指定角色和范围 (--role office|group|unit|supervisor；生成的密码只显示一次)
  token      为用户签发 API 令牌 (最后一行为令牌；只保存其哈希)
  remind     发送每日到期、逾期提醒 (站内通知和邮件；同一天重复运行不再发送)
  audit      audit verify：检查操作记录的哈希链，断开时退出码为 1 (--since-anchor 文件：只查新增)
  reindex    重建全文检索索引 (一个事务内完成，显示进度；批量写入数据后使用；--jobs N 仅 PostgreSQL)
  similar    similar rebuild：重建共性问题、屡查屡犯所用的相似度索引 (分批进行；批量写入数据后使用)
  generate   生成大规模演示数据用于性能测试 (--problems 1000000 [--seed 1]；请用空数据库)

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
