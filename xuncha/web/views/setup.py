"""Setting up a round in the web UI: 新建轮次, editing it, its groups and units, a unit's own
dates, and problems pasted as a block (previewed before saving).

The round and unit pages show these forms through the ``round_setup`` template tags; a refused
submission comes back here, on a page of its own with the errors next to the fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import Committee, Inspection, InspectionGroup, Round
from xuncha.web import history
from xuncha.web.setup_forms import (
    GroupForm,
    InspectionDatesForm,
    InspectionForm,
    PastedProblems,
    PasteForm,
    RoundForm,
    group_people,
)
from xuncha.web.views.scope import require
from xuncha.workflow import rounds
from xuncha.workflow.services import ServiceError

OFFICE_ONLY = "只有巡察办可以{}"


def _committee_id(request: HttpRequest) -> int | None:
    profile = access.profile_of(request.user)
    return profile.committee_id if profile is not None else None


def _round_page(request: HttpRequest, form: RoundForm, round_: Round | None,
                status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form, "round": round_,
        "committees": Committee.objects.order_by("name").values_list("name", flat=True),
    }
    if round_ is not None:
        context["events"] = [
            (event, history.describe(event.changes)) for event in rounds.round_history(round_)
        ]
    return render(request, "web/setup/round_form.html", context, status=status)


def _round_data(form: RoundForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    if request.method == "GET":
        profile = access.profile_of(request.user)
        committee = profile.committee if profile is not None else None
        initial = {"committee": committee.name if committee else "", "kinds": ["regular"]}
        return _round_page(request, RoundForm(initial=initial), None)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            round_ = rounds.create_round(request.user, _round_data(form))
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, f"已新建{round_.display_name}，请组建巡察组、添加被巡察单位")
            return redirect("round-detail", round_.pk)
    return _round_page(request, form, None, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    require(access.can_manage_round(request.user), OFFICE_ONLY.format("修改巡察轮次"))
    if request.method == "GET":
        kinds = list(round_.kinds.all())
        subject = next((k.subject for k in kinds if k.subject), "")
        form = RoundForm(initial={
            "committee": round_.committee.name, "term": round_.term, "number": round_.number,
            "kinds": [k.kind for k in kinds], "special_subject": subject,
            "inspection_start": round_.inspection_start, "inspection_end": round_.inspection_end,
            "feedback_date": round_.feedback_date, "scope_label": round_.scope_label,
            "title": round_.title,
        })
        return _round_page(request, form, round_)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            rounds.edit_round(request.user, round_, _round_data(form))
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, "轮次信息已保存")
            return redirect("round-detail", round_.pk)
    return _round_page(request, form, round_, status=400)


# --- groups -----------------------------------------------------------------------------------


def _group_page(request: HttpRequest, round_: Round, form: GroupForm,
                group: InspectionGroup | None, status: int = 200) -> HttpResponse:
    context = {"round": round_, "form": form, "group": group}
    return render(request, "web/setup/group_form.html", context, status=status)


def _group_args(form: GroupForm) -> tuple[dict[str, Any], dict[str, Any]]:
    data = dict(form.cleaned_data)
    people = {"leader": data.pop("leader"), "members": list(data.pop("members"))}
    return data, people


@login_required
@require_POST
def group_add(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    require(access.can_manage_round(request.user), OFFICE_ONLY.format("组建巡察组"))
    form = GroupForm(request.POST, people=group_people(_committee_id(request)))
    if form.is_valid() and (form.cleaned_data["name"] or form.cleaned_data["number"]):
        data, people = _group_args(form)
        try:
            group = rounds.add_group(request.user, round_, data, **people)
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, f"已组建{group.name}")
            return redirect("round-detail", round_.pk)
    elif form.is_valid():
        form.add_error("name", "请填写巡察组名称或组号")
    return _group_page(request, round_, form, None, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access.access_group(request.user, group_id)
    round_ = group.round
    require(access.can_manage_round(request.user), OFFICE_ONLY.format("调整巡察组"))
    people = group_people(_committee_id(request))
    if request.method == "GET":
        current = list(group.members.all())
        form = GroupForm(people=people, initial={
            "name": group.name, "number": group.number, "leader_name": group.leader,
            "leader": next((m.user_id for m in current if m.is_leader), None),
            "members": [m.user_id for m in current if not m.is_leader],
        })
        return _group_page(request, round_, form, group)
    form = GroupForm(request.POST, people=people)
    if form.is_valid():
        data, chosen = _group_args(form)
        try:
            rounds.edit_group(request.user, group, data, **chosen)
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, f"{data['name'] or group.name}已保存")
            return redirect("round-detail", round_.pk)
    return _group_page(request, round_, form, group, status=400)


# --- units of the round -----------------------------------------------------------------------


@login_required
@require_POST
def inspection_add(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    require(access.can_manage_round(request.user), OFFICE_ONLY.format("添加被巡察单位"))
    form = InspectionForm(request.POST, groups=round_.groups.all())
    if form.is_valid():
        try:
            inspection = rounds.add_inspection(request.user, round_, **form.cleaned_data)
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, f"已添加被巡察单位“{inspection.unit.name}”")
            return redirect("round-detail", round_.pk)
    context = {"round": round_, "form": form}
    return render(request, "web/setup/inspection_form.html", context, status=400)


@login_required
@require_POST
def inspection_dates(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    inspection = access.access_inspection(request.user, round_id, unit_id)
    require(access.can_manage_round(request.user), OFFICE_ONLY.format("调整本单位的时限"))
    form = InspectionDatesForm(request.POST, groups=inspection.round.groups.all())
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "sent_from"}
        if data["order"] is None:
            del data["order"]
        try:
            rounds.edit_inspection(request.user, inspection, data)
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, "本单位的巡察组、反馈日期和时限已保存")
            return redirect("unit-detail", round_id, unit_id)
    context = {"inspection": inspection, "form": form}
    return render(request, "web/setup/inspection_dates.html", context, status=400)


# --- problems pasted as a block ---------------------------------------------------------------


@login_required
@require_POST
def problems_paste(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    """First POST: split the block and show the preview. POST with ``confirm``: save all."""
    inspection = access.access_inspection(request.user, round_id, unit_id)
    rounds.check_may_record(request.user, inspection)
    if "confirm" in request.POST:
        return _confirm(request, inspection)
    form = PasteForm(request.POST)
    if form.is_valid():
        try:
            preview = rounds.preview_block(form.cleaned_data["block"])
        except ServiceError as error:
            form.show_service_error(error)
        else:
            rows = PastedProblems(initial=[
                {"keep": True, "text": p.text, "heading": p.heading, "immediate": False,
                 "category": p.category} for p in preview
            ])
            return _preview_page(request, inspection, rows)
    context = {"inspection": inspection, "form": form}
    return render(request, "web/setup/paste_form.html", context, status=400)


def _preview_page(request: HttpRequest, inspection: Inspection, rows: Any,
                  status: int = 200) -> HttpResponse:
    context = {"inspection": inspection, "rows": rows}
    return render(request, "web/setup/paste_preview.html", context, status=status)


def _confirm(request: HttpRequest, inspection: Inspection) -> HttpResponse:
    rows = PastedProblems(request.POST)
    if not rows.is_valid():
        return _preview_page(request, inspection, rows, status=400)
    chosen = [
        rounds.NewProblem(row["text"], immediate=row["immediate"], category=row["category"],
                          heading=row["heading"])
        for row in rows.cleaned_data if row.get("keep")
    ]
    try:
        created = rounds.add_problems(request.user, inspection, chosen)
    except ServiceError as error:
        messages.error(request, error.message)
        return _preview_page(request, inspection, rows, status=400)
    first, last = created[0].order, created[-1].order
    messages.success(request, f"已录入反馈问题 {len(created)} 个（序号 {first}–{last}）")
    return redirect("unit-detail", inspection.round_id, inspection.unit_id)
