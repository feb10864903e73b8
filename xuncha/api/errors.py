"""API errors as JSON a person can act on: {"error": message, "field": field or null}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from xuncha.workflow.services import ServiceError, StaleEdit

_SIGN_IN = (
    "请先登录，或在请求头中提供 Authorization: Bearer <令牌>（令牌用 xuncha token 用户名 签发）"
)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleEdit):
        return Response({"error": exc.message, "field": exc.field}, status=409)
    if isinstance(exc, ServiceError):
        return Response({"error": exc.message, "field": exc.field}, status=400)
    if isinstance(exc, Http404):
        return Response({"error": "未找到该对象，或无权查看", "field": None}, status=404)
    if isinstance(exc, PermissionDenied):
        return Response({"error": str(exc) or "无权执行此操作", "field": None}, status=403)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        field, messages = next(iter(exc.detail.items()))
        message = messages[0] if isinstance(messages, list) else messages
        response.data = {"error": f"{field}: {message}", "field": field, "details": exc.detail}
    elif isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"error": _SIGN_IN, "field": None}
    elif isinstance(exc, exceptions.ParseError):
        response.data = {"error": f"请求内容无法解析，请检查格式（{exc.detail}）", "field": None}
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        response.data = {"error": _unsupported(context), "field": None}
    else:
        detail = getattr(exc, "detail", str(exc))
        response.data = {"error": str(detail), "field": None}
    return response


def _unsupported(context: dict[str, Any]) -> str:
    request = context["request"]
    accepted = "、".join(parser.media_type for parser in request.parsers)
    return f"不支持的请求内容类型“{request.content_type}”，本接口接受 {accepted}"
