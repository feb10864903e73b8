"""The office manages its users: who has which role over which unit or group."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.accounts.services import AccountError, create_user
from xuncha.inspections.models import InspectionGroup, PartyOrganisation
from xuncha.web.forms import UserForm


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    return _page(request, _form(request))


@login_required
@require_POST
def user_create(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    form = _form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        unit, group = data["unit"], data["group"]
        role = Role(data["role"])
        profile = access.profile_of(request.user)
        committee = profile.committee if profile is not None else None
        try:
            new = create_user(
                data["username"], role,
                unit=unit.name if role == Role.UNIT else None,
                group=group.name if role == Role.GROUP else None,
                round_id=group.round_id if role == Role.GROUP else None,
                committee=committee.name if committee is not None else None,
                full_name=data["full_name"],
                body=data["body"] if role == Role.SUPERVISOR else "",
            )
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            # The password is shown in this response only: not redirected through a message
            # (which may sit in a cookie) and not cached.
            response = _page(request, _form(request), created=new)
            add_never_cache_headers(response)
            return response
    return _page(request, form, status=400)


def _form(request: HttpRequest, data: object = None) -> UserForm:
    units = PartyOrganisation.objects.filter(
        pk__in=access.inspections_for(request.user).values("unit")
    ).order_by("name")
    groups = InspectionGroup.objects.filter(
        round__in=access.rounds_for(request.user)
    ).select_related("round__committee").order_by("-round_id", "number", "id")
    return UserForm(data, units=units, groups=groups)


def _users(request: HttpRequest) -> QuerySet:
    """The users the office answers for: its committee's, and those of its rounds' units."""
    users = get_user_model().objects.filter(profile__isnull=False)
    profile = access.profile_of(request.user)
    if profile is not None and profile.committee_id is not None:
        units = access.inspections_for(request.user).values("unit")
        users = users.filter(
            Q(profile__committee_id=profile.committee_id) | Q(profile__unit__in=units)
        )
    return users.select_related(
        "profile__unit", "profile__group__round__committee", "profile__committee"
    ).order_by("profile__role", "username")


def _page(
    request: HttpRequest, form: UserForm, *, status: int = 200, created: object = None
) -> HttpResponse:
    context = {"users": _users(request), "form": form, "created": created}
    return render(request, "web/users.html", context, status=status)
