"""Store parsed notices: one transaction per notice, idempotent by content.

Importing the same notice twice, or the same facts in another shape (the round-level notice and
a unit's own notice), changes nothing the second time: rows are matched by their natural keys
(committee + term + round, unit name, problem text) rather than by file. A round whose notice
does not state its 届 (or 轮) is matched by committee and an identity built from what the notice
does state (see ``round_identity``).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from xuncha.analysis.categorize import CategoryRule, suggest_category
from xuncha.inspections.models import (
    Committee,
    Inspection,
    InspectionGroup,
    PartyOrganisation,
    Problem,
    ProblemCategory,
    Region,
    Round,
    RoundKind,
    SourceDocument,
)
from xuncha.inspections.regions import committee_for, region_for
from xuncha.notices.model import Notice, PartialDate, UnitSection
from xuncha.notices.names import int_to_cn, split_org_form
from xuncha.notices.normalize import compare_form

#: Chinese names of what an import counts, for the report.
_NOUNS = {
    "committee": "巡察主体",
    "round": "巡察轮次",
    "group": "巡察组",
    "region": "行政区划",
    "unit": "被巡察单位",
    "inspection": "巡察对象",
    "problem": "反馈问题",
    "rectification": "整改情况",
    "round_fact": "轮次信息",
    "source_fact": "通报数据",
}
_FORMS = {label: code for code, label in PartyOrganisation.Form.choices}
_KINDS = {label: code for code, label in RoundKind.Kind.choices}
_TITLE_YEAR = re.compile(r"(\d{4})年度?")


@dataclass
class ImportResult:
    filename: str
    round: Round
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated)

    def summary(self) -> str:
        """One line in Chinese, as `xuncha import` prints it."""
        if not self.changed:
            return f"{self.filename}: 已导入过，未作任何更改（{self.round}）"
        parts = [f"新建{_NOUNS[k]}{n}个" for k, n in self.created.items() if n]
        parts += [f"更新{_NOUNS[k]}{n}处" for k, n in self.updated.items() if n]
        return f"{self.filename}: {self.round}，" + "，".join(parts)


def import_notice(notice: Notice, *, filename: str, content: bytes) -> ImportResult:
    """Store ``notice`` (parsed from ``content``) in one transaction and say what changed.

    A notice that lacks parts (a page saved part-way, no 届 or 轮, figures but no items) is
    stored for what it states and its ``SourceDocument`` marked incomplete with the reasons.
    """
    with transaction.atomic():
        return _Importer(notice, filename).run(content)


class _Importer:
    def __init__(self, notice: Notice, filename: str) -> None:
        self.notice = notice
        self.filename = filename
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.rules = [
            CategoryRule.from_text(c.code, c.keywords) for c in ProblemCategory.objects.all()
        ]
        self.categories = {c.code: c for c in ProblemCategory.objects.all()}

    def run(self, content: bytes) -> ImportResult:
        committee = self._committee()
        round_ = self._round(committee)
        self._groups(round_)
        source = self._source(content, round_)
        single_unit = len(self.notice.units) == 1 and self.notice.shape != "A"
        for order, section in enumerate(self.notice.units, start=1):
            unit = self._unit(section, committee.region)
            inspection = self._inspection(round_, unit, order, single_unit)
            if single_unit and inspection.feedback_date is None:
                inspection.feedback_date = _as_date(self.notice.feedback_date)
                if inspection.feedback_date is not None:
                    inspection.save(update_fields=["feedback_date"])
                    self.updated["round_fact"] += 1
            self._problems(round_, unit, section, source)
        result = ImportResult(self.filename, round_, self.created, self.updated)
        if not result.changed:
            # Roll back the one row a pure re-import may have added: the file's own record.
            transaction.set_rollback(True)
        return result

    def _committee(self) -> Committee:
        found = committee_for(self.notice.issuer or "党委")
        assert found.committee is not None  # noqa: S101 - committee_for creates when asked to
        self.created["committee"] += int(found.created)
        self.created["region"] += found.regions_created
        return found.committee

    def _round(self, committee: Committee) -> Round:
        notice = self.notice
        if notice.term and notice.round:
            round_, created = Round.objects.get_or_create(
                committee=committee, term=notice.term, number=notice.round
            )
        else:
            round_, created = Round.objects.get_or_create(
                committee=committee, identity=round_identity(notice),
                defaults={"term": notice.term or "", "number": notice.round},
            )
        if created:
            self.created["round"] += 1
        # The round's own notice (shape A, or figures for the whole round) titles the round.
        round_level = notice.shape == "A" or not notice.units
        facts = {
            "title": notice.title.replace("\n", "") if round_level else "",
            "scope_label": self.notice.scope_label or "",
            "inspection_start": _as_date(self.notice.inspection_start),
            "inspection_end": _as_date(self.notice.inspection_end),
        }
        if round_level:
            facts["feedback_date"] = _as_date(self.notice.feedback_date)
        changed = [name for name, value in facts.items() if value and not getattr(round_, name)]
        for name in changed:
            setattr(round_, name, facts[name])
        if "feedback_date" in changed and self.notice.feedback_date is not None:
            # A notice often gives only the month of feedback ("2023年12月").
            round_.feedback_date_precision = (
                Round.DatePrecision.MONTH
                if self.notice.feedback_date.day is None
                else Round.DatePrecision.DAY
            )
        if changed:
            round_.save()
            if not created:
                self.updated["round_fact"] += len(changed)
        if not round_.kinds.exists():
            for order, label in enumerate(self.notice.kinds):
                RoundKind.objects.create(round=round_, order=order, **_kind(label))
        return round_

    def _groups(self, round_: Round) -> None:
        count = self.notice.group_count or 0
        if count and not round_.groups.exists():
            InspectionGroup.objects.bulk_create(
                InspectionGroup(round=round_, number=n, name=f"第{int_to_cn(n)}巡察组")
                for n in range(1, count + 1)
            )
            self.created["group"] += count

    def _source(self, content: bytes, round_: Round) -> SourceDocument:
        digest = hashlib.sha256(content).hexdigest()
        gaps = source_gaps(self.notice)
        published = self.notice.published
        figures = {k: v for k, v in self.notice.figures.to_json().items() if v is not None}
        source, created = SourceDocument.objects.get_or_create(
            sha256=digest,
            defaults={
                "filename": self.filename, "shape": self.notice.shape, "round": round_,
                # A page capture that stops part-way is stored for what it states, marked.
                "incomplete": bool(gaps), "gaps": "；".join(gaps),
                "published": _as_date(published),
                "published_precision": _precision(published),
                "figures": figures,
            },
        )
        if not created and figures and not source.figures:
            # A file imported before figures were kept: add them now.
            source.figures = figures
            source.published = source.published or _as_date(published)
            source.save(update_fields=["figures", "published"])
            self.updated["source_fact"] += 1
        return source

    def _unit(self, section: UnitSection, root: Region | None) -> PartyOrganisation:
        unit = PartyOrganisation.objects.filter(name=section.name).first()
        if unit is not None:
            return unit
        place, form = split_org_form(section.name)
        region = self._region_path(place, root)
        unit = PartyOrganisation.objects.create(
            name=section.name, form=_FORMS.get(form, PartyOrganisation.Form.OTHER), region=region
        )
        self.created["unit"] += 1
        return unit

    def _region_path(self, place: str, root: Region | None) -> Region | None:
        region, created = region_for(place, root)
        self.created["region"] += created
        return region

    def _inspection(
        self, round_: Round, unit: PartyOrganisation, order: int, single_unit: bool
    ) -> Inspection:
        inspection = Inspection.objects.filter(round=round_, unit=unit).first()
        if inspection is not None:
            return inspection
        if single_unit:
            order = round_.inspections.count() + 1
        self.created["inspection"] += 1
        return Inspection.objects.create(round=round_, unit=unit, order=order)

    def _problems(
        self, round_: Round, unit: PartyOrganisation, section: UnitSection, source: SourceDocument
    ) -> None:
        existing = {
            compare_form(p.text): p for p in Problem.objects.filter(round=round_, unit=unit)
        }
        next_order = max((p.order for p in existing.values()), default=0) + 1
        for pair in section.problems:
            problem = existing.get(compare_form(pair.problem))
            if problem is None:
                code = suggest_category(pair.problem, self.rules)
                Problem.objects.create(
                    round=round_, unit=unit, order=next_order, text=pair.problem,
                    heading=pair.heading or "", published_rectification=pair.rectification,
                    category=self.categories.get(code) if code else None, source=source,
                )
                next_order += 1
                self.created["problem"] += 1
            elif compare_form(problem.published_rectification) != compare_form(
                pair.rectification
            ):
                problem.published_rectification = pair.rectification
                problem.save(update_fields=["published_rectification", "updated_at"])
                self.updated["rectification"] += 1


def round_identity(notice: Notice) -> str:
    """How a round without 届 (or 轮) is recognised again: what its notice states of it.

    The term and round number where given, then the inspection dates ("进驻2024-03-11至
    2024-05-10"), else the feedback date, else the year its title names; with none of these
    the notice's title. Two notices of one round that state the same dates meet in one round;
    re-importing a notice always finds its round.
    """
    parts = [notice.term or "", f"第{notice.round}轮" if notice.round else ""]
    if notice.inspection_start or notice.inspection_end:
        parts.append(f"进驻{_iso(notice.inspection_start)}至{_iso(notice.inspection_end)}")
    elif notice.feedback_date:
        parts.append(f"反馈{notice.feedback_date.iso()}")
    elif year := _TITLE_YEAR.search(notice.title):
        parts.append(f"{year.group(1)}年")
    else:
        parts.append("标题" + compare_form(notice.title.replace("\n", "")))
    return "|".join(part for part in parts if part)[:200]


def source_gaps(notice: Notice) -> list[str]:
    """Why a stored notice is incomplete: the parser's report, and a round without 届/轮."""
    gaps = list(notice.completeness.missing)
    unstated = [name for value, name in ((notice.term, "届次"), (notice.round, "轮次"))
                if not value]
    if unstated:
        gaps.append(f"通报未写明巡察{'和'.join(unstated)}，轮次按巡察主体和通报所写的时间识别")
    return gaps


def _iso(value: PartialDate | None) -> str:
    return value.iso() if value is not None else "?"


def _precision(value: PartialDate | None) -> str:
    if value is not None and value.day is None:
        return Round.DatePrecision.MONTH
    return Round.DatePrecision.DAY


def _kind(label: str) -> dict[str, str]:
    """"基层组织建设专项巡察" -> kind "special" with subject "基层组织建设"."""
    for name, code in sorted(_KINDS.items(), key=lambda item: -len(item[0])):
        if label == name:
            return {"kind": code, "subject": ""}
        if label.endswith(name):
            return {"kind": code, "subject": label.removesuffix(name)}
    return {"kind": RoundKind.Kind.SPECIAL, "subject": label.removesuffix("巡察")}


def _as_date(value: PartialDate | None) -> datetime.date | None:
    if value is None:
        return None
    return datetime.date(value.year, value.month, value.day or 1)
