"""Publishing notices: the unit words each problem's 整改情况, the office marks what may not
be made public, and releasing (发布) freezes a version of the notice in every format.

A released version is never rebuilt: its bytes, their hashes, who approved it and when are
rows of their own (``PublishedNotice``, ``PublishedFile``). Whoever wrote the wording a notice
prints cannot approve it.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha import access
from xuncha.inspections.models import (
    Inspection,
    Problem,
    ProblemPublication,
    PublishedFile,
    PublishedNotice,
    Round,
)
from xuncha.inspections.publication import (
    drafters,
    public_problems,
    public_round_notice,
    public_unit_notice,
    rectification_of,
    with_measures,
)
from xuncha.notices import writers
from xuncha.notices.model import Notice
from xuncha.workflow.history import record
from xuncha.workflow.models import Action
from xuncha.workflow.services import ServiceError, StaleEdit

User = AbstractBaseUser | AnonymousUser

#: Every format a version is frozen in, in the order their hashes make the version's hash.
FORMATS = ("txt", "html", "docx", "pdf")
RECTIFICATION_LIMIT = 8000
REASON_LIMIT = 200


def edit_rectification(actor: User, problem: Problem, *, text: str, version: int) -> Problem:
    """The unit words the problem's 整改情况 for the notice; blank goes back to the draft.

    ``version`` is the ``ProblemPublication.version`` the user edited (1 before any edit).
    """
    if not (access.can_edit_plan(actor, problem) or access.can_review(actor, problem)):
        raise PermissionDenied("只有被巡察单位（或巡察办、巡察组）可以编辑通报中的整改情况")
    wording = (text or "").replace("\r\n", "\n").strip()
    if len(wording) > RECTIFICATION_LIMIT:
        raise ServiceError(f"整改情况不能超过 {RECTIFICATION_LIMIT} 字", "text")
    with transaction.atomic(durable=True):
        current = Problem.objects.select_for_update().get(pk=problem.pk)
        row, _ = ProblemPublication.objects.get_or_create(problem=current)
        row = ProblemPublication.objects.select_for_update().get(pk=row.pk)
        if row.version != version:
            raise StaleEdit(row)
        if row.text == wording:
            return current
        record(actor, Action.RECTIFICATION_EDITED, problem=current,
               changes={"rectification": (row.text or None, wording or None)})
        row.text = wording
        row.edited_by = actor if wording and actor.is_authenticated else None  # type: ignore[assignment]
        row.version += 1
        row.save()
    return current


def set_disclosure(actor: User, problem: Problem, *, withheld: bool, reason: str = "") -> None:
    """The office marks a problem 不宜公开 (with a reason) or public again."""
    if not (access.can_manage_round(actor) and access.can_review(actor, problem)):
        raise PermissionDenied("只有巡察办可以决定问题是否公开")
    why = (reason or "").strip()
    if withheld and not why:
        raise ServiceError("标记不宜公开须写明理由", "reason")
    if len(why) > REASON_LIMIT:
        raise ServiceError(f"理由不能超过 {REASON_LIMIT} 字", "reason")
    with transaction.atomic(durable=True):
        current = Problem.objects.select_for_update().get(pk=problem.pk)
        row, _ = ProblemPublication.objects.get_or_create(problem=current)
        row = ProblemPublication.objects.select_for_update().get(pk=row.pk)
        new_reason = why if withheld else ""
        if row.withheld == withheld and row.withheld_reason == new_reason:
            return
        record(actor, Action.DISCLOSURE_CHANGED, problem=current,
               changes={"withheld": (row.withheld, withheld),
                        "withheld_reason": (row.withheld_reason or None, new_reason or None)},
               comment=why)
        row.withheld, row.withheld_reason = withheld, new_reason
        row.version += 1
        row.save()


def current_notice(round_: Round, inspection: Inspection | None = None) -> Notice:
    """The notice a release would publish now (不宜公开 left out)."""
    return public_round_notice(round_) if inspection is None else public_unit_notice(inspection)


def latest(round_: Round, inspection: Inspection | None = None) -> PublishedNotice | None:
    """The newest published version of the round's (or the unit's) notice."""
    return (PublishedNotice.objects.filter(round=round_, inspection=inspection)
            .order_by("-number").first())


def release(
    actor: User, round_: Round, inspection: Inspection | None = None, *,
    issued: datetime.date | None = None,
) -> PublishedNotice:
    """发布: approve the notice as it stands and freeze it as a new version.

    Only the office; never by a user whose wording of 整改情况 the notice prints. Raises
    ServiceError when the machine cannot write a format (no Chinese font for the PDF).
    """
    if not access.can_manage_round(actor):
        raise PermissionDenied("只有巡察办可以审批发布通报")
    access.access_round(actor, round_.pk)  # out of the office's committee: 404
    day = issued or timezone.localdate()
    problems = public_problems(Problem.objects.filter(round=round_))
    if inspection is not None:
        problems = problems.filter(unit_id=inspection.unit_id)
    if actor.pk in drafters(with_measures(problems)):
        raise PermissionDenied("起草人不能审批发布自己起草的通报：请由巡察办其他人员审批")
    with transaction.atomic(durable=True):
        Round.objects.select_for_update().get(pk=round_.pk)
        notice = current_notice(round_, inspection)
        if not any(unit.problems for unit in notice.units):
            raise ServiceError("通报中没有可公开的问题，不能发布", "problems")
        files = _render_all(notice, day)
        number = (PublishedNotice.objects.filter(round=round_, inspection=inspection)
                  .aggregate(top=Max("number"))["top"] or 0) + 1
        digest = hashlib.sha256("".join(f.sha256 for f in files).encode()).hexdigest()
        name = actor.get_full_name() or actor.get_username()  # type: ignore[union-attr]
        published = PublishedNotice.objects.create(
            round=round_, inspection=inspection, number=number, title=notice.title or
            round_.display_name, issued=day, sha256=digest,
            approved_by=actor,  # type: ignore[misc]
            approved_by_name=name, approved_at=timezone.now(),
        )
        for item in files:
            item.publication = published
        PublishedFile.objects.bulk_create(files)
        record(actor, Action.NOTICE_PUBLISHED, round=round_,
               unit=inspection.unit if inspection is not None else None,
               changes={"version": (number - 1 or None, number), "sha256": (None, digest)},
               comment=published.title)
    return published


def _render_all(notice: Notice, day: datetime.date) -> list[PublishedFile]:
    files = []
    for fmt in FORMATS:
        try:
            data = writers.render_bytes(notice, fmt, issued=day)
        except writers.MissingFontError as error:
            raise ServiceError(error.message, "pdf") from None
        files.append(PublishedFile(format=fmt, content=data, size=len(data),
                                   sha256=hashlib.sha256(data).hexdigest()))
    return files


def frozen_text(published: PublishedNotice, fmt: str = "txt") -> str:
    """A text format of a published version, exactly as frozen."""
    return bytes(published.files.get(format=fmt).content).decode("utf-8")


@dataclass(frozen=True)
class DiffRow:
    """One line pair of a side-by-side difference; ``kind`` is equal/replace/delete/insert."""

    kind: str
    published: str
    current: str


def difference(published: PublishedNotice) -> list[DiffRow]:
    """The frozen text next to the text a release would publish now; empty when the same."""
    old = frozen_text(published).splitlines()
    new = writers.render(current_notice(published.round, published.inspection), "txt").splitlines()
    if old == new:
        return []
    rows: list[DiffRow] = []
    for kind, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        left, right = old[a1:a2], new[b1:b2]
        for index in range(max(len(left), len(right))):
            rows.append(DiffRow(
                kind, left[index] if index < len(left) else "",
                right[index] if index < len(right) else "",
            ))
    return rows


def rectification_rows(problems: Any) -> list[tuple[Problem, str, str]]:
    """(problem, 整改情况 as the notice prints it, where it comes from) for a page."""
    return [(problem, *rectification_of(problem)) for problem in problems]
