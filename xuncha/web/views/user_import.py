"""Bulk import of users from an .xlsx sheet, and the one-time sheet of their passwords.

The generated passwords are shown on the result page and may be downloaded once as .xlsx.
Until then they wait in the session encrypted with a key that only the result page holds
(in its download form): the session table never sees a usable password, and the entry goes
when the sheet is downloaded, when the page is left (a beacon from user-import.js, or the
next visit to the users pages), or after a few minutes, whichever comes first.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from cryptography.fernet import Fernet, InvalidToken
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha import access
from xuncha.accounts import sheets
from xuncha.accounts.models import Role
from xuncha.accounts.services import BulkImportError, NewUser, bulk_create_users, scope_label
from xuncha.web.forms import UserImportForm
from xuncha.web.views.users import IMPORT_STASH
from xuncha.workflow.models import today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Seconds the password sheet stays downloadable after the import.
STASH_SECONDS = 15 * 60
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    request.session.pop(IMPORT_STASH, None)
    if request.method == "GET":
        return _upload_page(request, UserImportForm())
    form = UserImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        form.add_error("file", f"文件超过 {MAX_UPLOAD_BYTES // 1048576} MB，请分批导入")
        return _upload_page(request, form, status=400)
    try:
        created = bulk_create_users(request.user, sheets.read_users(upload.read()))
    except (sheets.SheetError, BulkImportError) as error:
        return _upload_page(request, form, errors=[str(e) for e in error.errors], status=400)
    rows = [_sheet_row(new) for new in created]
    response = render(request, "web/user_import_result.html", {
        "rows": rows, "key": _stash(request, rows), "minutes": STASH_SECONDS // 60,
    })
    add_never_cache_headers(response)  # the passwords are in this response only
    return response


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    return _xlsx(sheets.template_xlsx(), "用户导入模板.xlsx")


@login_required
@require_POST
def passwords_download(request: HttpRequest) -> HttpResponse:
    """The password sheet, once: the session entry is gone after this request either way."""
    access.require_role(request.user, Role.OFFICE)
    rows = _take(request, request.POST.get("key", ""))
    if rows is None:
        message = ("密码表已下载过、已失效或已被清除，无法再次下载。"
                   "如需密码，请在用户管理中重置密码。")
        return render(request, "web/user_refused.html", {"message": message}, status=400)
    response = _xlsx(sheets.passwords_xlsx(rows), f"初始密码-{today():%Y%m%d}.xlsx")
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def discard(request: HttpRequest) -> HttpResponse:
    """The result page was left without downloading: forget the passwords (user-import.js)."""
    access.require_role(request.user, Role.OFFICE)
    if "key" not in request.POST:
        return HttpResponse(status=400)
    request.session.pop(IMPORT_STASH, None)
    return HttpResponse(status=204)


def _upload_page(
    request: HttpRequest, form: UserImportForm, *, errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "errors": errors or [], "columns": sheets.COLUMNS.values(),
               "instructions": sheets.INSTRUCTIONS}
    return render(request, "web/user_import.html", context, status=status)


def _sheet_row(new: NewUser) -> list[str]:
    profile = new.user.profile  # type: ignore[attr-defined]
    return [new.user.username, new.user.first_name, profile.get_role_display(),
            scope_label(profile), new.generated_password or ""]


def _stash(request: HttpRequest, rows: list[list[str]]) -> str:
    key = Fernet.generate_key()
    request.session[IMPORT_STASH] = Fernet(key).encrypt(json.dumps(rows).encode()).decode()
    return key.decode()


def _take(request: HttpRequest, key: str) -> list[list[str]] | None:
    token = request.session.pop(IMPORT_STASH, None)
    if not token or not key:
        return None
    try:
        rows = json.loads(Fernet(key.encode()).decrypt(token.encode(), ttl=STASH_SECONDS))
    except (InvalidToken, ValueError, TypeError):
        return None
    return rows if isinstance(rows, list) else None


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(name)}"
    return response
