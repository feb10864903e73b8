"""The inspection domain: committees, rounds, groups, inspected units, problems, rectification.

Sized for a province (about a million problems): every list filters through an index, and
``Problem`` carries its round and unit directly so the common filters need no join.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q


class Region(models.Model):
    """A place in the administrative tree: 州/市 → 县/市/区 → 乡镇/街道 → 村/社区."""

    class Level(models.TextChoices):
        PREFECTURE = "prefecture", "州/市"
        COUNTY = "county", "县/市/区"
        TOWNSHIP = "township", "乡镇/街道"
        VILLAGE = "village", "村/社区"

    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="region_unique_root"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    """The Party committee that runs inspection rounds (巡察主体), e.g. 昌吉州党委."""

    name = models.CharField("名称", max_length=64, unique=True)
    #: How its own notices refer to it ("州党委").
    short_name = models.CharField("简称", max_length=32, blank=True)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = verbose_name_plural = "巡察主体"

    def __str__(self) -> str:
        return self.name


class PartyOrganisation(models.Model):
    """An inspected unit: a party organisation placed in the region tree."""

    class Form(models.TextChoices):
        COMMITTEE = "committee", "党委"
        WORKING_COMMITTEE = "working_committee", "党工委"
        GENERAL_BRANCH = "general_branch", "党总支"
        BRANCH = "branch", "党支部"
        LEADING_GROUP = "leading_group", "党组"
        OTHER = "other", "其他"

    #: The name as published, e.g. "木垒县东城镇党委"; how users and notices name the unit.
    name = models.CharField("名称", max_length=128, unique=True)
    form = models.CharField("组织形式", max_length=24, choices=Form.choices, default=Form.OTHER)
    region = models.ForeignKey(
        Region,
        verbose_name="所在区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )

    class Meta:
        verbose_name = verbose_name_plural = "被巡察党组织"

    def __str__(self) -> str:
        return self.name

    @property
    def county(self) -> Region | None:
        """The county-level region above the unit (what the round page lists as 县市)."""
        region = self.region
        while region is not None and region.level not in (
            Region.Level.COUNTY,
            Region.Level.PREFECTURE,
        ):
            region = region.parent
        return region


class Round(models.Model):
    """One inspection round of a committee's term, e.g. 十二届昌吉州党委第五轮巡察."""

    class DatePrecision(models.TextChoices):
        DAY = "day", "日"
        MONTH = "month", "月"

    committee = models.ForeignKey(
        Committee, verbose_name="巡察主体", on_delete=models.PROTECT, related_name="rounds"
    )
    #: Blank, and ``number`` null, for a round imported from a notice that does not state them
    #: ("县委2024年第一轮巡察", "区委第三轮巡察", "巡察"); ``identity`` then tells it apart.
    term = models.CharField("届次", max_length=16, blank=True)
    number = models.PositiveSmallIntegerField("轮次", null=True, blank=True)
    #: How an imported round without 届 (or 轮) is recognised when a notice of it is imported
    #: again: built by the importer from the notice's round number and inspection dates (else
    #: its title); "" for rounds with 届 and 轮, which their committee, term and number identify.
    identity = models.CharField("识别依据", max_length=200, blank=True, default="")
    title = models.CharField("标题", max_length=200, blank=True)
    #: What the round's units are collectively called in its notices ("乡镇(街道)").
    scope_label = models.CharField("被巡察单位类别", max_length=32, blank=True)
    inspection_start = models.DateField("进驻开始", null=True, blank=True)
    inspection_end = models.DateField("进驻结束", null=True, blank=True)
    feedback_date = models.DateField("反馈日期", null=True, blank=True)
    feedback_date_precision = models.CharField(
        "反馈日期精度", max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    #: Deadlines are the office's decision for each round, never constants in code.
    plan_due_date = models.DateField("整改方案报送时限", null=True, blank=True)
    rectification_due_date = models.DateField("集中整改期截止", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "巡察轮次"
        ordering = ["-inspection_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "term", "number"], condition=~Q(term=""),
                name="round_unique_per_term",
            ),
            models.UniqueConstraint(
                fields=["committee", "identity"], condition=~Q(identity=""),
                name="round_unique_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from xuncha.notices.names import int_to_cn

        if self.term and self.number:
            return f"{self.term}{self.committee.name}第{int_to_cn(self.number)}轮巡察"
        # Without 届 the year of the inspection tells rounds apart, as such notices write it
        # ("县委2024年第一轮巡察").
        year = (
            f"{self.inspection_start.year}年" if self.inspection_start and not self.term else ""
        )
        number = f"第{int_to_cn(self.number)}轮" if self.number else ""
        return f"{self.term}{self.committee.name}{year}{number}巡察"

    def default_plan_due_date(self) -> datetime.date | None:
        """What the office is offered for the plan deadline: feedback + XUNCHA_PLAN_DUE_DAYS."""
        from django.conf import settings

        if self.feedback_date is None:
            return None
        return self.feedback_date + datetime.timedelta(days=settings.PLAN_DUE_DAYS)

    @property
    def feedback_display(self) -> str:
        if self.feedback_date is None:
            return ""
        if self.feedback_date_precision == self.DatePrecision.MONTH:
            return f"{self.feedback_date.year}年{self.feedback_date.month}月"
        return f"{self.feedback_date.year}年{self.feedback_date.month}月{self.feedback_date.day}日"


class RoundKind(models.Model):
    """A kind of inspection a round carried out; a round may combine several."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "常规巡察"
        SPECIAL = "special", "专项巡察"
        MOBILE = "mobile", "机动巡察"
        ELEVATED = "elevated", "提级巡察"
        CROSS = "cross", "交叉巡察"
        LINKED = "linked", "联动巡察"
        FOLLOW_UP = "follow_up", "巡察“回头看”"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="kinds")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    #: The subject of a 专项巡察, e.g. "基层组织建设".
    subject = models.CharField("专项内容", max_length=64, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "巡察类型"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """As notices write it: "常规巡察", "基层组织建设专项巡察"."""
        return (
            f"{self.subject}{self.get_kind_display()}" if self.subject else self.get_kind_display()
        )


class InspectionGroup(models.Model):
    """A group (巡察组) dispatched in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="groups")
    #: 第N巡察组; None where a notice does not say which group went where.
    number = models.PositiveSmallIntegerField("组号", null=True, blank=True)
    name = models.CharField("名称", max_length=64)
    leader = models.CharField("组长", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "巡察组"
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="group_unique_in_round"),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A user who works in a group: its 组长 (``is_leader``) or a member.

    ``InspectionGroup.leader`` stays the name as published; this is who signs in as the group.
    """

    group = models.ForeignKey(
        InspectionGroup, verbose_name="巡察组", on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    is_leader = models.BooleanField("组长", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "巡察组成员"
        ordering = ["-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_member_once"),
            models.UniqueConstraint(
                fields=["group"], condition=Q(is_leader=True), name="group_one_leader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.user}"


class Inspection(models.Model):
    """That a unit was inspected in a round, and by which group."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="inspections")
    unit = models.ForeignKey(
        PartyOrganisation,
        verbose_name="被巡察单位",
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    group = models.ForeignKey(
        InspectionGroup,
        verbose_name="巡察组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    feedback_date = models.DateField("反馈日期", null=True, blank=True)
    #: A unit fed back later than the rest gets its own deadlines; None means the round's.
    plan_due_date = models.DateField("整改方案报送时限(本单位)", null=True, blank=True)
    rectification_due_date = models.DateField("集中整改期截止(本单位)", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "被巡察单位"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="inspection_unique_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"

    @property
    def effective_plan_due_date(self) -> datetime.date | None:
        """The unit's plan deadline: its own override, else the round's."""
        return self.plan_due_date or self.round.plan_due_date

    @property
    def effective_rectification_due_date(self) -> datetime.date | None:
        """The end of the unit's 集中整改期: its own override, else the round's."""
        return self.rectification_due_date or self.round.rectification_due_date


class ProblemCategory(models.Model):
    """The office's taxonomy of problems; data it can edit, seeded from ``domain.md``."""

    code = models.CharField("编号", max_length=16, unique=True)
    name = models.CharField("名称", max_length=64)
    #: Words that suggest the category, one per line or separated by 、; used for suggestions.
    keywords = models.TextField("关键词", blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "问题类别"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


#: Headline figures as notices name them: (key in ``SourceDocument.figures``, label, unit).
FIGURE_LABELS = (
    ("problems", "反馈问题", "个"),
    ("completed", "已完成整改", "个"),
    ("completion_rate", "整改完成率", "%"),
    ("measures", "制定整改措施", "条"),
    ("rules", "建立完善制度", "项"),
    ("accountable", "问责", "人"),
    ("recovered", "挽回经济损失", "万元"),
)


class SourceDocument(models.Model):
    """A notice file that was imported, kept by content hash so re-imports are recognised."""

    filename = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    shape = models.CharField("格式", max_length=8)
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    #: The notice lacked expected parts (a web page saved part-way …); what it stated was kept.
    incomplete = models.BooleanField("内容不完整", default=False)
    gaps = models.TextField("缺少的部分", blank=True, default="")
    #: When the page (or the notice's signature) says it was published; month precision when
    #: only the month is given.
    published = models.DateField("发布日期", null=True, blank=True)
    published_precision = models.CharField(
        "发布日期精度", max_length=8, choices=Round.DatePrecision.choices,
        default=Round.DatePrecision.DAY,
    )
    #: The headline figures the notice states (``HeadlineFigures.to_json()`` without the ones
    #: it does not state): problems, completed, completion_rate, measures, rules, accountable,
    #: recovered (万元).
    figures = models.JSONField("通报所列数据", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "来源文件"

    def __str__(self) -> str:
        return self.filename

    @property
    def published_display(self) -> str:
        if self.published is None:
            return ""
        if self.published_precision == Round.DatePrecision.MONTH:
            return f"{self.published.year}年{self.published.month}月"
        return f"{self.published.year}年{self.published.month}月{self.published.day}日"

    @property
    def figure_rows(self) -> list[tuple[str, str]]:
        """The stated figures as (label, value) in the order notices give them."""
        rows = []
        for key, label, unit in FIGURE_LABELS:
            value = self.figures.get(key)
            if value is not None:
                shown = f"{value:g}" if isinstance(value, float) else str(value)
                rows.append((label, f"{shown}{unit}"))
        return rows


class RectificationStatus(models.TextChoices):
    """Where a problem or one of its measures stands; the codes are the API's."""

    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    BASICALLY_DONE = "basically_done", "基本完成"
    PENDING_REVIEW = "pending_review", "已完成待验收"
    SIGNED_OFF = "signed_off", "已销号"
    LONG_TERM = "long_term", "长期坚持"
    RETURNED = "returned", "退回整改"
    #: A unit asked for 长期坚持; a reviewer confirms it (→ long_term) or returns it.
    LONG_TERM_REVIEW = "long_term_review", "长期坚持待确认"


class PlanState(models.TextChoices):
    """Where a problem's rectification plan (its measures) stands; the codes are the API's."""

    DRAFT = "draft", "草拟中"
    SUBMITTED = "submitted", "已报送待审核"
    APPROVED = "approved", "已批准"
    RETURNED = "returned", "已退回修改"


class Problem(models.Model):
    """A problem fed back to a unit in a round, with the rectification as published."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="problems")
    unit = models.ForeignKey(
        PartyOrganisation,
        verbose_name="被巡察单位",
        on_delete=models.PROTECT,
        related_name="problems",
    )
    order = models.PositiveIntegerField("序号")
    heading = models.CharField("标题", max_length=255, blank=True)
    text = models.TextField("反馈问题")
    category = models.ForeignKey(
        ProblemCategory,
        verbose_name="问题类别",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    immediate = models.BooleanField("立行立改", default=False)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=RectificationStatus.choices,
        default=RectificationStatus.NOT_STARTED,
    )
    plan_state = models.CharField(
        "整改方案状态", max_length=16, choices=PlanState.choices, default=PlanState.DRAFT
    )
    #: Bumped on every change through the services, so a stale form cannot overwrite a newer one.
    version = models.PositiveIntegerField(default=1)
    #: The rectification text as the unit's or round's notice published it.
    published_rectification = models.TextField("整改情况(公布)", blank=True)
    source = models.ForeignKey(
        SourceDocument,
        verbose_name="来源文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "反馈问题"
        ordering = ["round", "unit", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "order"], name="problem_unique_order"),
        ]
        indexes = [
            models.Index(fields=["round", "status"], name="problem_round_status"),
            models.Index(fields=["unit", "status"], name="problem_unit_status"),
            models.Index(fields=["category", "status"], name="problem_category_status"),
            # Plans not yet approved (a few per cent of a province's problems): the late-plan
            # list and counts read these instead of every problem.
            models.Index(fields=["round", "unit"], condition=~models.Q(plan_state="approved"),
                         name="problem_plan_open"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class DuePrecision(models.TextChoices):
    """How much of a 完成时限 was written: "2024年3月底" is 2024-03-31 to the month."""

    DAY = "day", "具体日期"
    MONTH = "month", "月底"
    QUARTER = "quarter", "季度末"
    YEAR = "year", "年底"


class Measure(models.Model):
    """A rectification task (整改任务/措施) for a problem, with who answers for it and by when."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveSmallIntegerField("序号", default=0)
    content = models.TextField("整改措施")
    leader = models.CharField("责任领导", max_length=64, blank=True)
    department = models.CharField("责任部门", max_length=128, blank=True)
    due_date = models.DateField("完成时限", null=True, blank=True)
    #: How much of the 完成时限 was written (a ledger's "2024年底" is not 12月31日 to the day).
    due_precision = models.CharField(
        "完成时限精度", max_length=8, choices=DuePrecision.choices, default=DuePrecision.DAY
    )
    #: 长期坚持: with a date, "…前完成，长期坚持"; without, no end at all.
    due_long_term = models.BooleanField("长期坚持", default=False)
    standard = models.TextField("整改标准", blank=True)
    notes = models.TextField("备注", blank=True)
    #: Set by the sign-off (the day of its SIGNED_OFF history entry), cleared if it is undone.
    signed_off_on = models.DateField("销号日期", null=True, blank=True)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=RectificationStatus.choices,
        default=RectificationStatus.NOT_STARTED,
    )
    #: Bumped on every save through the services, so a stale form cannot overwrite a newer one.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改措施"
        ordering = ["problem", "order", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="measure_status_due"),
            # The measures behind a board count, by due date a page at a time (keyset pages
            # walk this index from the cursor instead of sorting every open measure).
            models.Index(fields=["due_date", "id"], name="measure_due_id"),
        ]

    def __str__(self) -> str:
        return self.content[:40]

    def days_left(self, today: datetime.date) -> int | None:
        return None if self.due_date is None else (self.due_date - today).days

    def deadline_display(self) -> str:
        """The 完成时限 as written: "2024年3月底", "2024年底", "长期坚持", "2024年3月31日"."""
        if self.due_date is None and not self.due_long_term:
            return ""
        return str(deadline_of(self.due_date, self.due_precision, self.due_long_term).display())


class ProgressReport(models.Model):
    """What a unit reported on a measure at a date."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    text = models.TextField("整改进展")
    reported_on = models.DateField("报告日期")
    status = models.CharField(
        "状态",
        max_length=16,
        choices=RectificationStatus.choices,
        default=RectificationStatus.IN_PROGRESS,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改进展"
        ordering = ["measure", "reported_on", "id"]

    def __str__(self) -> str:
        return self.text[:40]


# --- 整改成效 and publishing (xuncha.inspections.figures, xuncha.inspections.publication) ---


class ClearanceKind(models.TextChoices):
    """What a 清退 cleared, each counted in its own unit; add a kind here (and a migration)."""

    FUNDS = "funds", "清退违规资金(万元)"
    SUBSIDIES = "subsidies", "清退不符合条件的补贴对象(户)"
    POSTS = "posts", "清退违规占用岗位、编制(人)"
    ASSETS = "assets", "清退违规占用资产(处)"


class ProgressFigures(models.Model):
    """What a progress report says rectification achieved (整改成效), in typed numbers.

    One row per report at most; a measure's figures are the sum over its reports, a unit's and
    a round's the sum over theirs (``xuncha.inspections.figures.totals``).
    """

    report = models.OneToOneField(
        ProgressReport, on_delete=models.CASCADE, related_name="figures", verbose_name="整改进展"
    )
    disciplined = models.PositiveIntegerField("党纪政务处分(人)", default=0)
    organisational = models.PositiveIntegerField("组织处理(人)", default=0)
    recovered = models.DecimalField(
        "追缴/挽回资金(万元)", max_digits=14, decimal_places=2, default=0
    )
    clearance_kind = models.CharField(
        "清退类别", max_length=16, choices=ClearanceKind.choices, blank=True
    )
    cleared = models.DecimalField("清退数量", max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = verbose_name_plural = "整改成效"

    def __str__(self) -> str:
        return f"{self.report}"


class RuleMade(models.Model):
    """A rule (制度) a unit made or revised as rectification: its name and date."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="rules", verbose_name="整改进展"
    )
    name = models.CharField("制度名称", max_length=200)
    adopted_on = models.DateField("印发日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "建立完善制度"
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name


class ProblemPublication(models.Model):
    """How a problem's 整改情况 reads in the notice, and whether it is published at all.

    Kept apart from ``Problem`` so the notice's wording has its own version: the unit edits
    it while others edit the problem. Absent means "drafted from the measures, public".
    """

    problem = models.OneToOneField(
        Problem, on_delete=models.CASCADE, related_name="publication", verbose_name="反馈问题"
    )
    #: The unit's wording of 整改情况; blank: the published text, else the draft from measures.
    text = models.TextField("整改情况(编辑稿)", blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="编辑人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    #: 不宜公开: left out of every public text, with the office's reason.
    withheld = models.BooleanField("不宜公开", default=False)
    withheld_reason = models.CharField("不宜公开理由", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "通报整改情况"

    def __str__(self) -> str:
        return f"{self.problem}"


class PublishedNotice(models.Model):
    """A notice as published: frozen, never changed by later data (see ``PublishedFile``).

    ``inspection`` is None for the round's notice, else that unit's own notice.
    """

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="publications", verbose_name="巡察轮次"
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT,
        related_name="publications", verbose_name="被巡察单位",
    )
    number = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=300)
    issued = models.DateField("落款日期")
    #: SHA-256 over the formats' own hashes in order: one value that names the whole version.
    sha256 = models.CharField(max_length=64)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批发布人", on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by_name = models.CharField("审批发布人姓名", max_length=150)
    approved_at = models.DateTimeField("发布时间")

    class Meta:
        verbose_name = verbose_name_plural = "已发布通报"
        ordering = ["round", "inspection", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "number"], condition=Q(inspection__isnull=True),
                name="publication_round_number",
            ),
            models.UniqueConstraint(
                fields=["inspection", "number"], condition=Q(inspection__isnull=False),
                name="publication_unit_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"


class PublishedFile(models.Model):
    """The exact bytes of one format of a published notice, with their hash."""

    publication = models.ForeignKey(
        PublishedNotice, on_delete=models.PROTECT, related_name="files"
    )
    format = models.CharField("格式", max_length=8)
    content = models.BinaryField("内容")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField("字节数")

    class Meta:
        verbose_name = verbose_name_plural = "已发布通报文件"
        constraints = [
            models.UniqueConstraint(fields=["publication", "format"], name="published_format_once"),
        ]

    def __str__(self) -> str:
        return f"{self.publication} · {self.format}"


def deadline_of(due_date: datetime.date | None, precision: str, long_term: bool) -> Any:
    """A measure's deadline fields as a ledger :class:`~xuncha.ledgers.model.Deadline`."""
    from xuncha.ledgers.model import Deadline

    return Deadline("long_term" if long_term else "date", due_date, precision or "day",
                    "" if due_date is None else due_date.isoformat())
