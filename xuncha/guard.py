"""Hostile request edges answered with a clear 4xx before any view or database sees them.

- an id in a URL beyond what a database integer holds (1 .. 2**63-1) is "not found";
- a request body larger than all uploads of one request may be (413), before it is read;
- a NUL character in the query string or a form field is refused with 400 and says so:
  PostgreSQL cannot store or compare text with NUL and would otherwise answer 500;
- under /api/, every error is JSON like the API's other errors, also for an unknown path or a
  page (the docs) that would answer in HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

#: The largest id a 64-bit signed integer column (BigAutoField, SQLite INTEGER) holds.
MAX_ID = 2**63 - 1

NUL_MESSAGE = "请求中含有空字符（\\x00），无法处理：请删去后重新提交"
NOT_FOUND = "未找到该对象，或无权查看"
API_PREFIX = "/api/"


def _nul_field(data: QueryDict) -> str | None:
    """The first field of ``data`` whose name or a value contains NUL ("" for a bare key)."""
    for key, values in data.lists():
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            return key.replace("\x00", "")
    return None


class HostileInputMiddleware:
    """See the module docstring; placed after authentication so the refusal page has its user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (too_big := _over_request_limit(request)) is not None:
            return too_big
        field = _nul_field(request.GET)
        # Forms of the pages only: API bodies are left to DRF's parsers (reading them here would
        # hide a form sent to a JSON endpoint, which must stay 415), whose text fields refuse NUL.
        if field is None and request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data"
        ) and not request.path.startswith(API_PREFIX):
            try:
                field = _nul_field(request.POST)
            except MultiPartParserError:
                return _refuse(request, "请求内容无法解析：multipart 格式有误", status=400)
        if field is not None:
            return _refuse_nul(request, field)
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return _api_error(response.status_code, request)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        # Django's <int:> accepts any number of digits; ids are 1 .. 2**63-1 in every table.
        if any(isinstance(v, int) and not 0 < v <= MAX_ID for v in kwargs.values()):
            if request.path.startswith(API_PREFIX):
                return _api_error(404, request)
            return render(request, "404.html", status=404)
        return None


def _over_request_limit(request: HttpRequest) -> HttpResponse | None:
    """413 before the body is read when it is larger than all uploads of a request may be
    together (each file has its own, smaller limit, checked later)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.UPLOAD_MAX_BYTES_PER_REQUEST
    if length <= limit:
        return None
    message = (f"本次提交共 {length / 1048576:.1f} MB，超过每次提交 {limit // 1048576} MB 的上限；"
               "请分几次上传")
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": message, "field": "evidence"}, status=413)
    return render(request, "web/bad_request.html", {"message": message}, status=413)


def _refuse(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": message, "field": None}, status=status)
    return render(request, "web/bad_request.html", {"message": message}, status=status)


def _refuse_nul(request: HttpRequest, field: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": NUL_MESSAGE, "field": field or None}, status=400)
    return render(request, "web/bad_request.html", {"message": NUL_MESSAGE}, status=400)


_MESSAGES = {
    401: "请先登录，或在请求头中提供 Authorization: Bearer <令牌>"
    "（令牌用 xuncha token 用户名 签发）",
    403: "无权执行此操作",
    413: "请求内容过大",
}


def _api_error(status: int, request: HttpRequest) -> JsonResponse:
    if status == 405:
        message = f"本接口不支持 {request.method} 请求"
    elif status == 404:
        message = NOT_FOUND  # as the API's own 404s say it
    else:
        message = _MESSAGES.get(status, "请求无法处理")
    return JsonResponse({"error": message, "field": None}, status=status)
