"""What an Event's recorded changes look like to a person: field names and codes in Chinese.

Pure: takes the ``changes`` JSON an Event stores ({"field": [old, new]}), returns display rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from xuncha.inspections.models import PartyOrganisation, PlanState, RectificationStatus
from xuncha.workflow.models import ClueHandover

#: Entries about clues handed to 纪委监委/组织部, which the inspected unit does not see.

FIELD_LABELS = {
    "content": "整改措施",
    "leader": "责任领导",
    "department": "责任部门",
    "due_date": "完成时限",
    "due_precision": "完成时限精度",
    "due_long_term": "长期坚持",
    "notes": "备注",
    "signed_off_on": "销号日期",
    "standard": "整改标准",
    "status": "状态",
    "plan_state": "整改方案",
    "text": "内容",
    "immediate": "立行立改",
    "category": "问题类别",
    "evidence": "佐证材料",
    "receiver": "接收单位",
    "follow_up_due": "反馈办理结果时限",
    "outcome": "办理结果",
    "plan_due_date": "整改方案报送时限",
    "rectification_due_date": "集中整改期截止",
    # Setting up a round (xuncha.workflow.rounds).
    "committee": "巡察主体",
    "term": "届次",
    "number": "轮次",
    "kinds": "巡察类型",
    "inspection_start": "进驻开始",
    "inspection_end": "进驻结束",
    "feedback_date": "反馈日期",
    "scope_label": "被巡察单位类别",
    "title": "标题",
    "group": "巡察组",
    "group_leader": "组长",
    "members": "成员",
    "unit": "被巡察单位",
    "order": "顺序",
    "region": "行政区划",
    "parent": "上级区划",
    "form": "组织形式",
    # Publishing (xuncha.workflow.publishing) and 整改成效.
    "rectification": "通报中的整改情况",
    "withheld": "不宜公开",
    "withheld_reason": "不宜公开理由",
    "version": "版本",
    "sha256": "SHA-256",
    "disciplined": "党纪政务处分(人)",
    "organisational": "组织处理(人)",
    "recovered": "追缴/挽回资金(万元)",
    "cleared": "清退",
    "rules": "建立完善制度",
    # 整改评估 (xuncha.assessment).
    "quality_flag": "整改质量提示",
    "weight_completion": "权重：整改完成度",
    "weight_timeliness": "权重：整改时效",
    "weight_quality": "权重：整改质量",
    "weight_recurrence": "权重：屡查屡犯",
    "weight_effect": "权重：整改成效",
}

_VALUE_LABELS: dict[str, dict[str, str]] = {
    "status": dict(RectificationStatus.choices),
    "plan_state": dict(PlanState.choices),
    "receiver": dict(ClueHandover.Receiver.choices),
    "form": dict(PartyOrganisation.Form.choices),
}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def describe(changes: dict[str, Any]) -> list[Change]:
    """One row per changed field, in the order recorded; unknown fields keep their name."""
    rows = []
    for field, pair in changes.items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        rows.append(Change(FIELD_LABELS.get(field, field), _show(field, old), _show(field, new)))
    return rows


def _show(field: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    labels = _VALUE_LABELS.get(field)
    if labels is not None:
        return labels.get(str(value), str(value))
    if field in _DATE_FIELDS:
        return _chinese_date(str(value))
    return str(value)


#: Fields whose recorded values are ISO dates, shown as 2026年12月5日 like every date on the pages.
_DATE_FIELDS = frozenset(
    {"due_date", "signed_off_on", "follow_up_due", "plan_due_date", "rectification_due_date",
     "reported_on", "outcome_on", "handed_over_on", "feedback_date"}
)


def _chinese_date(iso: str) -> str:
    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.year}年{day.month}月{day.day}日"
