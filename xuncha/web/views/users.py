"""The office manages its users: who has which role over which unit or group, and accounts'
state (active, locked out, password). Every fetch goes through ``access.users_for``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User as AuthUser
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha import access
from xuncha.accounts import lockout
from xuncha.accounts.models import Role
from xuncha.accounts.services import (
    add_user,
    change_role,
    rename_user,
    reset_password,
    set_user_active,
    unlock_user,
)
from xuncha.inspections.models import InspectionGroup, PartyOrganisation
from xuncha.web.forms import UserEditForm, UserForm
from xuncha.workflow.services import ServiceError

#: Where the import's one-time password sheet waits in the session (see user_import).
IMPORT_STASH = "user_import_passwords"


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    # Leaving the import's result page for this one drops its unread password sheet.
    request.session.pop(IMPORT_STASH, None)
    return _page(request, _form(request))


@login_required
@require_POST
def user_create(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    form = _form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            new = add_user(
                request.user, username=data["username"], role=data["role"],
                unit=data["unit"], group=data["group"], body=data["body"],
                full_name=data["full_name"],
            )
        except ServiceError as error:
            form.show_service_error(error)
        else:
            # The password is shown in this response only: not redirected through a message
            # (which may sit in a cookie) and not cached.
            response = _page(request, _form(request), created=new)
            add_never_cache_headers(response)
            return response
    return _page(request, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    """修改角色与范围 (and the name) of one account."""
    account = access.access_user(request.user, user_id)
    profile = account.profile
    initial = {"full_name": account.first_name, "role": profile.role, "unit": profile.unit,
               "group": profile.group, "body": profile.body}
    data = request.POST if request.method == "POST" else None
    form = UserEditForm(data, initial=initial, **_choices(request))
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            change_role(request.user, account, values["role"], unit=values["unit"],
                        group=values["group"], body=values["body"])
            rename_user(request.user, account, values["full_name"])
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, f"已保存用户“{account.username}”的角色与范围。")
            return redirect("user-list")
    context = {"account": account, "form": form, "self_edit": account.pk == request.user.pk}
    return render(request, "web/user_edit.html", context,
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    account = access.access_user(request.user, user_id)
    wanted = request.POST.get("active")
    if wanted not in ("0", "1"):
        return _refused(request, "请求缺少要设置的状态（启用或停用）")
    try:
        set_user_active(request.user, account, wanted == "1")
    except ServiceError as error:
        return _refused(request, error.message)
    word = "启用" if wanted == "1" else "停用"
    messages.success(request, f"已{word}用户“{account.username}”。")
    return redirect(_back(request))


@login_required
@require_POST
def user_password_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    account = access.access_user(request.user, user_id)
    if request.POST.get("confirm") != "1":
        return _refused(request, "请在用户列表中点击“重置密码”按钮确认")
    try:
        password = reset_password(request.user, account)
    except ServiceError as error:
        return _refused(request, error.message)
    response = render(request, "web/user_password.html", {"account": account,
                                                          "password": password})
    add_never_cache_headers(response)  # the new password is in this response only
    return response


@login_required
@require_POST
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    account = access.access_user(request.user, user_id)
    if request.POST.get("confirm") != "1":
        return _refused(request, "请在用户列表中点击“解除锁定”按钮确认")
    try:
        unlock_user(request.user, account)
    except ServiceError as error:
        return _refused(request, error.message)
    messages.success(request, f"已解除用户“{account.username}”的登录锁定。")
    return redirect(_back(request))


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/user_refused.html", {"message": message}, status=400)


def _back(request: HttpRequest) -> str:
    """Back to the list page the action was taken on (its filters and page number kept)."""
    query = request.POST.get("next_query", "")
    allowed = {"role", "q", "page", "status"}
    parts = [part for part in query.split("&") if part.partition("=")[0] in allowed]
    return reverse("user-list") + ("?" + "&".join(parts) if parts else "")


def _choices(request: HttpRequest) -> dict[str, Any]:
    units = PartyOrganisation.objects.filter(
        pk__in=access.inspections_for(request.user).values("unit")
    ).order_by("name")
    groups = InspectionGroup.objects.filter(
        round__in=access.rounds_for(request.user)
    ).select_related("round__committee").order_by("-round_id", "number", "id")
    return {"units": units, "groups": groups}


def _form(request: HttpRequest, data: object = None) -> UserForm:
    return UserForm(data, **_choices(request))


def _users(request: HttpRequest) -> QuerySet[AuthUser]:
    users = access.users_for(request.user)
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(profile__role=role)
    status = request.GET.get("status", "")
    if status in ("active", "inactive"):
        users = users.filter(is_active=status == "active")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        users = users.filter(Q(username__icontains=query) | Q(first_name__icontains=query))
    return users.select_related(
        "profile__unit", "profile__group__round__committee", "profile__committee"
    ).order_by("profile__role", "username")


def _page(
    request: HttpRequest, form: UserForm, *, status: int = 200, created: object = None
) -> HttpResponse:
    page = Paginator(_users(request), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    locked = lockout.locked_until(account.username for account in page)
    now = timezone.now()
    rows = [
        {"account": account,
         "locked": account.username in locked,
         "locked_for": _remaining(locked.get(account.username), now)}
        for account in page
    ]
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "rows": rows, "page": page, "form": form, "created": created,
        "roles": Role.choices, "role": request.GET.get("role", ""),
        "status": request.GET.get("status", ""), "q": request.GET.get("q", ""),
        "filters": filters.urlencode(), "query": request.GET.urlencode(),
    }
    return render(request, "web/users.html", context, status=status)


def _remaining(until: Any, now: Any) -> str:
    if until is None:
        return "需管理员解除"
    return "剩余 " + lockout.duration_label(until - now)
