"""API errors as JSON a person can act on: {"error": message, "field": field or null}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from xuncha.workflow.services import ServiceError, StaleEdit


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
    else:
        detail = getattr(exc, "detail", str(exc))
        response.data = {"error": str(detail), "field": None}
    return response
