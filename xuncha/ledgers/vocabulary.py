"""The words offices use in ledgers, as data: header synonyms and status words.

Add a synonym here when an office's ledger is not recognised; nothing else needs to change.
Headers are compared after :func:`xuncha.ledgers.values.header_key` (no spaces or line breaks,
half-width brackets), first whole, then without a bracketed remark ("责任部门(单位)").
"""

from __future__ import annotations

#: field -> header names that mean it. The first name is ours (see model.COLUMNS).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "问题序号", "问题编号", "序"),
    "group": ("巡察组", "巡察组别", "组别", "巡察组名称"),
    "unit": ("被巡察单位", "被巡察党组织", "被巡察单位名称", "被巡察党组织名称", "单位",
             "单位名称", "整改单位", "整改责任单位名称"),
    "category": ("问题类别", "问题类型", "问题分类", "类别", "类型", "方面", "所属方面",
                 "问题方面"),
    "problem": ("反馈问题", "存在问题", "问题表现", "问题", "问题描述", "具体问题",
                "巡察反馈问题", "主要问题", "反馈问题具体表现", "问题具体表现", "巡察发现问题"),
    "immediate": ("立行立改", "是否立行立改"),
    "measure": ("整改措施", "措施", "整改任务", "具体措施", "整改举措", "整改措施(任务)",
                "具体整改措施", "整改具体措施"),
    "leader": ("责任领导", "责任人", "牵头领导", "分管领导", "责任领导(责任人)", "牵头责任人"),
    "department": ("责任部门", "责任单位", "牵头部门", "牵头单位", "责任科室", "责任股室",
                   "责任部门(单位)"),
    "deadline": ("完成时限", "时限", "完成时间", "整改时限", "整改期限", "完成期限",
                 "时限要求", "整改完成时限"),
    "standard": ("整改标准", "整改目标", "目标要求", "标准", "整改要求"),
    "progress": ("整改进展", "进展情况", "整改进展情况", "整改落实情况", "整改情况", "进展",
                 "推进情况"),
    "status": ("完成情况", "整改状态", "状态", "完成状态", "整改完成情况", "是否完成",
               "整改结果"),
    "signed_off_on": ("销号日期", "销号时间", "销号情况", "销号"),
    "evidence": ("佐证材料", "佐证资料", "支撑材料", "佐证", "印证材料", "佐证材料目录"),
    "notes": ("备注", "说明"),
}

#: When a header is none of HEADER_SYNONYMS, the first rule whose words it contains decides
#: (each rule: field, words of which one must occur, words of which one must also occur or
#: ``()`` for none). Order matters: the narrow rules first ("责任单位" is a department, "被巡察
#: 单位" a unit; "问题类别" a category, not the problem). Only short cells are read this way
#: (KEYWORD_HEADER_MAX characters), so a title row above the table is never taken for a header.
HEADER_KEYWORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("number", ("序号", "编号"), ()),
    ("signed_off_on", ("销号",), ()),
    ("evidence", ("佐证", "印证", "支撑材料", "证明材料", "附件"), ()),
    ("immediate", ("立行立改", "立即整改", "即知即改"), ()),
    ("group", ("巡察组",), ()),
    ("category", ("类别", "类型", "分类", "方面", "领域"), ()),
    ("leader", ("领导", "负责人", "责任人", "包保"), ()),
    ("department", ("部门", "科室", "股室", "处室", "单位", "机构"),
     ("责任", "牵头", "配合", "承办", "主责", "协办", "落实")),
    ("deadline", ("时限", "期限", "时间", "截止", "日期", "节点"), ()),
    ("measure", ("措施", "举措", "任务", "办法"), ()),
    ("standard", ("标准", "目标", "要求"), ()),
    ("status", ("完成情况", "状态", "是否完成", "结果", "完成与否"), ()),
    ("progress", ("进展", "进度", "落实情况", "整改情况", "推进情况", "工作情况"), ()),
    ("problem", ("问题",), ()),
    ("unit", ("单位", "党组织"), ()),
    ("notes", ("备注", "说明"), ()),
)
KEYWORD_HEADER_MAX = 14

#: Status words seen in practice -> status code (see model.STATUS_LABELS), compared whole.
STATUS_WORDS: dict[str, str] = {
    "未启动": "not_started", "未开始": "not_started", "尚未启动": "not_started",
    "未整改": "not_started",
    "推进中": "in_progress", "正在整改": "in_progress", "整改中": "in_progress",
    "正在推进": "in_progress", "进行中": "in_progress", "未完成": "in_progress",
    "部分完成": "in_progress", "逾期": "in_progress", "已逾期": "in_progress",
    "逾期未完成": "in_progress",
    "基本完成": "basically_done", "阶段性成效": "basically_done",
    "取得阶段性成效": "basically_done", "初见成效": "basically_done",
    "已完成待验收": "pending_review", "已完成": "pending_review", "完成": "pending_review",
    "已整改": "pending_review", "整改完成": "pending_review", "已完成整改": "pending_review",
    "待验收": "pending_review", "已整改完成": "pending_review", "是": "pending_review",
    "已销号": "signed_off", "销号": "signed_off", "已验收": "signed_off",
    "已验收销号": "signed_off",
    "长期坚持待确认": "long_term_review",
    "长期坚持": "long_term", "长期推进": "long_term", "持续推进": "long_term",
    "持续整改": "long_term", "长期": "long_term", "常态化推进": "long_term",
    "退回": "returned", "退回整改": "returned", "已退回": "returned",
    "否": "in_progress",
}

#: When a status is not one of STATUS_WORDS, the first of these found in it decides; order
#: matters ("未完成" before "完成", "基本完成" before "完成").
STATUS_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("未启动", "not_started"), ("未开始", "not_started"), ("未整改", "not_started"),
    ("未完成", "in_progress"), ("退回", "returned"), ("销号", "signed_off"),
    ("长期", "long_term"), ("持续", "long_term"), ("基本完成", "basically_done"),
    ("阶段性", "basically_done"), ("完成", "pending_review"), ("已整改", "pending_review"),
    ("推进", "in_progress"), ("正在", "in_progress"), ("整改中", "in_progress"),
    ("逾期", "in_progress"),
)

#: 完成时限 words that are not dates.
LONG_TERM_WORDS = ("长期坚持", "长期", "持续推进", "常态化", "持续整改", "长期推进")
IMMEDIATE_WORDS = ("立行立改", "立即整改", "即知即改", "立即")

#: Values of a 立行立改 column that mean yes.
YES_WORDS = frozenset({"是", "√", "✓", "✔", "Y", "y", "yes", "YES", "立行立改", "1", "已立行立改"})

#: A row whose first text starts with one of these ends the table (a note under it).
FOOTER_PREFIXES = ("注:", "注：", "注 ", "说明", "填表说明", "填报说明", "填报人", "填表人",
                   "审核人", "联系人", "联系电话", "制表", "备注:", "备注：", "单位负责人",
                   "主要负责人", "分管领导:", "分管领导：")

#: A row whose first text is one of these is a total, not a problem.
TOTAL_WORDS = ("合计", "总计", "小计", "共计")

#: Sheet names that say nothing about the unit.
GENERIC_SHEET_NAMES = ("sheet", "工作表", "台账", "整改台账", "汇总", "总表", "明细", "清单",
                       "问题清单", "任务清单", "责任清单", "逐行")
