"""The API of what waits for the caller: 待办, handed-over clues, notifications.

Same rules as the web pages: 待办 comes from ``xuncha.workflow.todo``, clues through
``access.handovers_for``, notifications are the caller's own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from xuncha import access
from xuncha.api.serializers import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Output,
    choice_field,
    integer_field,
)
from xuncha.api.views import _errors, _validated
from xuncha.workflow.clues import ClueStatus, filter_clues, status_of
from xuncha.workflow.models import ClueHandover, Notification, today
from xuncha.workflow.todo import TodoKind, todo_counts, todo_for

# --- shapes -----------------------------------------------------------------------------------


class TodoItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(k.value, k.label) for k in TodoKind],
        help_text="plan_review 整改方案待审核；sign_off_review 申请销号待验收；returned 被退回；"
        "due 临近完成时限；overdue 已逾期；clue_due 线索办理结果待反馈；"
        "common_requirement 共性问题整改要求待制定整改方案",
    )
    title = serializers.CharField()
    unit = serializers.CharField(help_text="被巡察单位")
    problem_id = serializers.IntegerField()
    measure_id = serializers.IntegerField(allow_null=True, help_text="整改措施的 id（措施类事项）")
    handover_id = serializers.IntegerField(allow_null=True, help_text="线索移交的 id（clue_due）")
    reason = serializers.CharField(help_text="退回理由（returned），其余为空")
    due = serializers.DateField(allow_null=True, help_text="时限")
    level = serializers.CharField(help_text="预警级别：ok、notice、warning、overdue")
    link = serializers.CharField(help_text="网页上办理该事项的地址")


class TodoSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="列出的事项数（每类最多 200 项）；各类总数见 counts")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="按类型计数")
    items = TodoItemSerializer(many=True)


class ClueQuerySerializer(serializers.Serializer):
    receiver = choice_field("接收单位", ClueHandover.Receiver.choices, required=False)
    status = choice_field("状态", [(s.value, s.label) for s in ClueStatus], required=False,
                          help_text="pending 待反馈；overdue 逾期未反馈；answered 已反馈")
    page = integer_field("页码", min_value=1, max_value=1_000_000, default=1)
    page_size = integer_field("每页条数", min_value=1, max_value=MAX_PAGE_SIZE,
                              default=DEFAULT_PAGE_SIZE)


class ClueSerializer(Output):
    unit = serializers.CharField(source="problem.unit.name")
    status = serializers.SerializerMethodField(help_text="pending、overdue 或 answered")
    can_record_outcome = serializers.SerializerMethodField(help_text="调用者能否反馈办理结果")

    class Meta:
        model = ClueHandover
        fields = ["id", "problem", "unit", "receiver", "handed_over_on", "follow_up_due",
                  "note", "outcome", "outcome_on", "status", "can_record_outcome"]

    def get_status(self, handover: ClueHandover) -> str:
        return status_of(handover, self.context["today"]).value

    def get_can_record_outcome(self, handover: ClueHandover) -> bool:
        return access.can_record_outcome(self.context["user"], handover)


class CluePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    items = ClueSerializer(many=True)


class NotificationQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="true 只看未读；false 只看已读；不填为全部",
        error_messages={"invalid": "unread 须为 true 或 false"},
    )
    page = integer_field("页码", min_value=1, max_value=1_000_000, default=1)
    page_size = integer_field("每页条数", min_value=1, max_value=MAX_PAGE_SIZE,
                              default=DEFAULT_PAGE_SIZE)


class NotificationSerializer(Output):
    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "link", "count", "unit", "created_at",
                  "updated_at", "read_at"]


class NotificationPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    unread = serializers.IntegerField(help_text="未读通知数")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    items = NotificationSerializer(many=True)


# --- endpoints --------------------------------------------------------------------------------


def _page(rows: QuerySet[Any], query: dict[str, Any]) -> tuple[int, QuerySet[Any]]:
    page, size = query["page"], query["page_size"]
    return rows.count(), rows[(page - 1) * size : page * size]


@extend_schema(
    operation_id="todo_list", tags=["待办"], summary="调用者的待办（按角色）",
    responses={200: TodoSerializer, **_errors(401)},
)
@api_view(["GET"])
def todo(request: Request) -> Response:
    day = today()
    items = todo_for(request.user, day)
    counts = todo_counts(request.user, day)
    rows = [
        {"kind": i.kind.value, "title": i.title, "unit": i.unit, "problem_id": i.problem_id,
         "measure_id": i.measure_id, "handover_id": i.handover_id, "reason": i.reason,
         "due": i.due, "level": i.level.value, "link": i.link}
        for i in items
    ]
    return Response({
        "count": len(rows), "counts": {k.value: n for k, n in counts.items()},
        "items": TodoItemSerializer(rows, many=True).data,
    })


@extend_schema(
    operation_id="clues_list", tags=["问题线索"],
    summary="已移交的问题线索（巡察办、巡察组、纪委监委/组织部；按接收单位和状态筛选）",
    parameters=[ClueQuerySerializer],
    responses={200: CluePageSerializer, **_errors(400, 401, 404)},
)
@api_view(["GET"])
def clue_list(request: Request) -> Response:
    if not access.sees_clues(request.user):
        raise Http404
    query = _validated(ClueQuerySerializer(data=request.query_params))
    day = today()
    clues = filter_clues(access.handovers_for(request.user), day,
                         receiver=query.get("receiver"), status=query.get("status"))
    count, rows = _page(
        clues.select_related("problem__unit").order_by("follow_up_due", "id"), query
    )
    context = {"today": day, "user": request.user}
    return Response({"count": count, "page": query["page"], "page_size": query["page_size"],
                     "items": ClueSerializer(rows, many=True, context=context).data})


@extend_schema(
    operation_id="notifications_list", tags=["通知"], summary="调用者的站内通知（新的在前，分页）",
    parameters=[NotificationQuerySerializer],
    responses={200: NotificationPageSerializer, **_errors(400, 401)},
)
@api_view(["GET"])
def notification_list(request: Request) -> Response:
    query = _validated(NotificationQuerySerializer(data=request.query_params))
    mine = Notification.objects.filter(user_id=request.user.pk)
    unread = mine.filter(read_at__isnull=True).count()
    if query.get("unread") is not None:
        mine = mine.filter(read_at__isnull=query["unread"])
    count, rows = _page(mine.order_by("-updated_at", "-id"), query)
    return Response({"count": count, "unread": unread, "page": query["page"],
                     "page_size": query["page_size"],
                     "items": NotificationSerializer(rows, many=True).data})
