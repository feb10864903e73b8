"""Publishing pages: the notice's wording per problem, 不宜公开, 发布 (freezing a version), the
difference from the published version, the unit's 整改情况报告, and the public page /gongkai/.

The /gongkai/ views are the only ones without ``login_required``: they fetch published
versions only (``access.published_notices``), whose bytes were frozen when released.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.figures import totals
from xuncha.inspections.models import Inspection, Problem, PublishedNotice, Round
from xuncha.inspections.publication import is_withheld, rectification_of, render_report
from xuncha.notices import writers
from xuncha.web.publishing_forms import DisclosureForm, RectificationForm, ReleaseForm
from xuncha.web.views.scope import require
from xuncha.workflow import publishing
from xuncha.workflow.services import ServiceError, StaleEdit

#: How each frozen format is offered for download.
FORMAT_LABELS = OrderedDict([("html", "网页版"), ("txt", "文本版"), ("docx", "Word 公文"),
                             ("pdf", "PDF 公文")])


def _reads_publications(user: access.User) -> bool:
    return access.role_of(user) in (Role.OFFICE, Role.SUPERVISOR)


def round_context(user: access.User, round_: Round) -> dict[str, Any]:
    """What the round page shows of publishing (office and supervisors)."""
    if not _reads_publications(user):
        return {}
    published = publishing.latest(round_)
    return {
        "publication": published,
        "publication_changed": published is not None and bool(publishing.difference(published)),
        "can_release": access.can_manage_round(user),
        "release_form": ReleaseForm(),
        "round_figures": totals(round_),
    }


def unit_context(user: access.User, inspection: Inspection) -> dict[str, Any]:
    """What the unit page shows: its figures, its report, its own notice's published version."""
    published = publishing.latest(inspection.round, inspection)
    return {
        "unit_figures": totals(inspection),
        "unit_publication": published,
        "unit_publication_changed": published is not None
        and bool(publishing.difference(published)),
        "can_release": access.can_manage_round(user),
        "release_form": ReleaseForm(),
        "report_formats": ("docx", "pdf"),
    }


def problem_context(user: access.User, problem: Problem) -> dict[str, Any]:
    """The problem's 整改情况 as the notice prints it, and the forms that change it."""
    text, source = rectification_of(problem)
    row = getattr(problem, "publication", None)
    editable = access.can_edit_plan(user, problem) or access.can_review(user, problem)
    return {
        "notice_text": text,
        "notice_source": source,
        "withheld": is_withheld(problem),
        "withheld_reason": row.withheld_reason if row is not None else "",
        "rectification_form": RectificationForm(initial={
            "text": row.text if row is not None else "",
            "version": row.version if row is not None else 1,
        }) if editable else None,
        "disclosure_form": DisclosureForm(initial={
            "disclosure": "withheld" if is_withheld(problem) else "public",
            "reason": row.withheld_reason if row is not None else "",
        }) if access.can_manage_round(user) and access.can_review(user, problem) else None,
    }


@login_required
@require_POST
def problem_rectification(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = access.access_problem(request.user, problem_id)
    require(access.can_edit_plan(request.user, problem) or access.can_review(request.user, problem),
            "只有被巡察单位（或巡察办、巡察组）可以编辑通报中的整改情况")
    form = RectificationForm(request.POST)
    back = reverse("problem-detail", args=[problem.pk]) + "#notice-text"
    if not form.is_valid():
        return _invalid(form)
    try:
        publishing.edit_rectification(request.user, problem, text=form.cleaned_data["text"],
                                      version=form.cleaned_data["version"])
    except StaleEdit as error:
        messages.error(request, f"{error.message}。当前内容：{error.current.text or '（未编辑）'}")
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已保存通报中的整改情况")
    return redirect(back)


@login_required
@require_POST
def problem_disclosure(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = access.access_problem(request.user, problem_id)
    require(access.can_manage_round(request.user), "只有巡察办可以决定问题是否公开")
    require(access.can_review(request.user, problem), "只有巡察办可以决定问题是否公开")
    form = DisclosureForm(request.POST)
    if not form.is_valid():
        return _invalid(form)
    withheld = form.cleaned_data["disclosure"] == "withheld"
    try:
        publishing.set_disclosure(request.user, problem, withheld=withheld,
                                  reason=form.cleaned_data["reason"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已标记为不宜公开" if withheld else "已取消不宜公开")
    return redirect(reverse("problem-detail", args=[problem.pk]) + "#notice-text")


@login_required
@require_POST
def round_release(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    require(access.can_manage_round(request.user), "只有巡察办可以审批发布通报")
    return _release(request, round_, None, reverse("round-detail", args=[round_.pk]))


@login_required
@require_POST
def unit_release(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    inspection = access.access_inspection(request.user, round_id, unit_id)
    require(access.can_manage_round(request.user), "只有巡察办可以审批发布通报")
    return _release(request, inspection.round, inspection,
                    reverse("unit-detail", args=[round_id, unit_id]))


def _invalid(form: Any) -> HttpResponse:
    # These forms are a few buttons on the problem and round pages; a bad POST did not come
    # from them, so a plain answer saying what is wrong will do.
    errors = "；".join(str(e) for errors in form.errors.values() for e in errors)
    return HttpResponse(f"表单内容有误：{errors}", status=400,
                        content_type="text/plain; charset=utf-8")


def _release(
    request: HttpRequest, round_: Round, inspection: Inspection | None, back: str
) -> HttpResponse:
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return _invalid(form)
    try:
        published = publishing.release(request.user, round_, inspection)
    except ServiceError as error:
        messages.error(request, f"未能发布：{error.message}")
    else:
        messages.success(request, f"已发布第{published.number}版：{published.title}")
    return redirect(back + "#publication")


@login_required
@require_GET
def round_release_diff(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    if not _reads_publications(request.user):
        raise Http404
    return _diff_page(request, publishing.latest(round_), round_.display_name)


@login_required
@require_GET
def unit_release_diff(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    inspection = access.access_inspection(request.user, round_id, unit_id)
    return _diff_page(request, publishing.latest(inspection.round, inspection),
                      inspection.unit.name)


def _diff_page(request: HttpRequest, published: PublishedNotice | None, name: str) -> HttpResponse:
    if published is None:
        raise Http404("尚未发布")
    rows = publishing.difference(published)
    return render(request, "web/release_diff.html",
                  {"publication": published, "rows": rows, "name": name})


@login_required
@require_GET
def unit_report(request: HttpRequest, round_id: int, unit_id: int, fmt: str) -> HttpResponse:
    """The unit's 整改情况报告 (docx/pdf): for the unit and those who review it."""
    inspection = access.access_inspection(request.user, round_id, unit_id)
    if fmt not in ("docx", "pdf"):
        raise Http404
    try:
        body = render_report(inspection, fmt)
    except writers.MissingFontError as error:
        return HttpResponse(error.message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type=writers.CONTENT_TYPES[fmt])
    disposition = "attachment" if fmt == "docx" else "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="round-{round_id}-unit-{unit_id}-report.{fmt}"')
    return response


# --- the public page (no login) ---


@require_GET
def gongkai_index(request: HttpRequest) -> HttpResponse:
    """Published notices by committee and round, newest version first."""
    committees: OrderedDict[str, OrderedDict[Round, list[PublishedNotice]]] = OrderedDict()
    ordered = access.published_notices().order_by(
        "round__committee__name", "-round__inspection_start", "round_id", "inspection__order",
        "inspection_id", "-number")
    for item in ordered:
        rounds = committees.setdefault(item.round.committee.name, OrderedDict())
        rounds.setdefault(item.round, []).append(item)
    return render(request, "web/gongkai/index.html", {"committees": committees})


_BODY = re.compile(r"<article>(?P<body>.*)</article>", re.DOTALL)


@require_GET
def gongkai_notice(request: HttpRequest, publication_id: int) -> HttpResponse:
    """A published version read as a page: the frozen html's article, under the site's CSS
    (the frozen file's own inline style would break the CSP; the file itself downloads)."""
    published = access.access_published_notice(publication_id)
    html = bytes(access.access_published_file(published.pk, "html").content).decode("utf-8")
    match = _BODY.search(html)
    return render(request, "web/gongkai/notice.html", {
        "publication": published,
        # The writer escaped every text it put in: the frozen article is safe as it stands.
        "article": mark_safe(match.group("body") if match else ""),  # noqa: S308
        "formats": [(fmt, label) for fmt, label in FORMAT_LABELS.items()],
        "later": access.published_notices().filter(
            round=published.round, inspection=published.inspection,
            number__gt=published.number).order_by("-number").first(),
    })


@require_GET
def gongkai_file(request: HttpRequest, publication_id: int, fmt: str) -> HttpResponse:
    """A published version's frozen bytes in one format, exactly as released."""
    item = access.access_published_file(publication_id, fmt)
    response = HttpResponse(bytes(item.content), content_type=writers.CONTENT_TYPES[fmt])
    # Downloads, the html too: it carries its own inline style, which the site's pages never do.
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="notice-{publication_id}-v{item.publication.number}.{fmt}"')
    response["X-Content-SHA256"] = item.sha256
    return response
