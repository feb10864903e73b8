"""What every signed-in user does with their own account, and the login lock-out page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from xuncha.accounts import lockout
from xuncha.accounts.services import change_own_password
from xuncha.web.forms import PasswordChangeForm
from xuncha.workflow.services import ServiceError


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            change_own_password(
                request.user, old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ServiceError as error:
            form.show_service_error(error)
        else:
            # A new password ends the user's other sessions; this one stays signed in.
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, "密码已修改，下次登录请使用新密码。")
            return redirect("round-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "web/password_change.html", {"form": form}, status=status)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes's lock-out answer (AXES_LOCKOUT_CALLABLE): how long, and what to do."""
    context = {
        "cool_off": lockout.cool_off_label(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "web/locked_out.html", context, status=429)
