"""The round-setup parts of the round and unit pages, as inclusion tags, so those pages' views
need not know about them: groups with their members, 添加被巡察单位, a unit's own dates and the
paste-a-block form."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Prefetch

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import GroupMember, Inspection, PartyOrganisation, Region, Round
from xuncha.web.setup_forms import InspectionDatesForm, InspectionForm, PasteForm

register = template.Library()

#: How many names the pickers offer; typing finds the rest (the service matches by name).
_PICKER_LIMIT = 3000


@register.inclusion_tag("web/setup/_round_setup.html", takes_context=True)
def round_setup(context: template.Context, round_: Round) -> dict[str, Any]:
    user = context["request"].user
    office = access.can_manage_round(user)
    members = GroupMember.objects.select_related("user").order_by("-is_leader", "id")
    groups = (
        list(round_.groups.prefetch_related(Prefetch("members", queryset=members))
             .order_by("number", "id"))
        if access.role_of(user) in (Role.OFFICE, Role.GROUP, Role.SUPERVISOR) else []
    )
    return {
        "csrf_token": context.get("csrf_token"),
        "round": round_,
        "groups": groups,
        "office": office,
        "inspection_form": InspectionForm(groups=round_.groups.all()) if office else None,
        "unit_names": PartyOrganisation.objects.order_by("name")
        .values_list("name", flat=True)[:_PICKER_LIMIT] if office else [],
        "region_names": Region.objects.order_by("name").values_list("name", flat=True)
        .distinct()[:_PICKER_LIMIT] if office else [],
    }


@register.inclusion_tag("web/setup/_unit_setup.html", takes_context=True)
def unit_setup(context: template.Context, inspection: Inspection) -> dict[str, Any]:
    user = context["request"].user
    office = access.can_manage_round(user)
    dates = None
    if office:
        dates = InspectionDatesForm(groups=inspection.round.groups.all(), initial={
            "group": inspection.group_id, "feedback_date": inspection.feedback_date,
            "order": inspection.order,
            "plan_due_date": inspection.plan_due_date,
            "rectification_due_date": inspection.rectification_due_date,
        })
    records = office or access.is_group_of(user, inspection)
    return {
        "csrf_token": context.get("csrf_token"),
        "inspection": inspection,
        "dates_form": dates,
        "paste_form": PasteForm() if records else None,
    }
