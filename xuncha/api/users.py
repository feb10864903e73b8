"""The API's user management (巡察办 only): list, create, and change one account.

Same services and access rules as the users pages. A generated password is in the response
that created or reset it, and nowhere else: it is never stored or logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from xuncha import access
from xuncha.accounts import lockout
from xuncha.accounts import services as accounts
from xuncha.accounts.models import Role
from xuncha.api import serializers as s
from xuncha.api.views import _errors, _validated

_OFFICE_ONLY = "只有巡察办可以管理用户"


# --- shapes ---------------------------------------------------------------------------------


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class IdOrNameField(serializers.Field):
    """A unit or group named by its id (as in /api/problems?unit=) or by its name."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        self.what = label
        super().__init__(label=label, required=False, allow_null=True, **kwargs)

    def to_internal_value(self, data: Any) -> int | str:
        if isinstance(data, bool) or not isinstance(data, int | str):
            raise serializers.ValidationError(f"{self.what}须为编号（整数）或名称（文字）")
        if isinstance(data, str) and len(data) > 200:
            raise serializers.ValidationError(f"{self.what}名称过长")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


def _bool(label: str, help_text: str, *, query: bool = False) -> serializers.BooleanField:
    # In a query string DRF reads a missing boolean as false; allow_null makes it "not given".
    return serializers.BooleanField(
        label=label, required=False, help_text=help_text, allow_null=query,
        error_messages={"invalid": f"{label}须为 true 或 false"},
    )


class UserQuerySerializer(serializers.Serializer):
    role = s.choice_field("角色", Role.choices, required=False, help_text="只看该角色的用户")
    unit = s.integer_field("单位编号", help_text="只看该被巡察单位的用户（单位的 id）")
    active = _bool("是否启用", "true 只看启用的用户，false 只看停用的", query=True)
    page = s.integer_field("页码", min_value=1, max_value=1_000_000, default=1)
    page_size = s.integer_field(
        "每页条数", min_value=1, max_value=s.MAX_PAGE_SIZE, default=s.DEFAULT_PAGE_SIZE,
        help_text=f"每页条数，默认 {s.DEFAULT_PAGE_SIZE}，最多 {s.MAX_PAGE_SIZE}",
    )


_SCOPE_HELP = {
    "unit": "被巡察单位（角色为 unit 时必填）：单位的 id，或公布时的名称",
    "group": "巡察组（角色为 group 时必填）：巡察组的 id，或名称（多个轮次同名时用 id）",
    "body": "所属机关（角色为 supervisor 时必填）：纪委监委 或 组织部",
}


class UserCreateSerializer(serializers.Serializer):
    username = s.text_field("用户名", help_text="登录名：字母、数字、汉字和 @ . + - _")
    role = s.choice_field("角色", Role.choices)
    unit = IdOrNameField("被巡察单位", help_text=_SCOPE_HELP["unit"])
    group = IdOrNameField("巡察组", help_text=_SCOPE_HELP["group"])
    body = s.text_field("所属机关", required=False, allow_blank=True, help_text=_SCOPE_HELP["body"])
    full_name = s.text_field("姓名", required=False, allow_blank=True)


class UserPatchSerializer(serializers.Serializer):
    is_active = _bool("是否启用", "false 停用（不能停用自己），true 启用")
    role = s.choice_field("角色", Role.choices, required=False,
                          help_text="新角色；只改范围时可省略（沿用现有角色）")
    unit = IdOrNameField("被巡察单位", help_text=_SCOPE_HELP["unit"])
    group = IdOrNameField("巡察组", help_text=_SCOPE_HELP["group"])
    body = s.text_field("所属机关", required=False, allow_blank=True, help_text=_SCOPE_HELP["body"])
    full_name = s.text_field("姓名", required=False, allow_blank=True)
    reset_password = _bool("重置密码", "true 时生成新密码，只在本次响应的 password 中出现一次")


class UserScopeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="first_name", help_text="姓名")
    role = serializers.ChoiceField(source="profile.role", choices=Role.choices,
                                   help_text="角色代码")
    role_label = serializers.CharField(source="profile.get_role_display", help_text="角色名称")
    scope = serializers.SerializerMethodField(help_text="范围：单位、巡察组、所属机关或巡察主体")
    unit = UserScopeRefSerializer(source="profile.unit", allow_null=True)
    group = UserScopeRefSerializer(source="profile.group", allow_null=True)
    body = serializers.CharField(source="profile.body", help_text="所属机关（纪委监委/组织部）")
    is_active = serializers.BooleanField()
    locked = serializers.SerializerMethodField(help_text="当前是否因多次输错密码被锁定")
    last_login = serializers.DateTimeField(allow_null=True)

    def get_scope(self, user: AuthUser) -> str:
        return accounts.scope_label(user.profile)

    def get_locked(self, user: AuthUser) -> bool:
        return user.username in self.context.get("locked", {})


class UserPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="符合条件的用户总数")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    items = UserSerializer(many=True)


class UserWithPasswordSerializer(UserSerializer):
    password = serializers.CharField(
        allow_null=True,
        help_text="系统生成的密码，只在本次响应中出现一次（未重置时为 null）",
    )


# --- views ----------------------------------------------------------------------------------


def _require_office(request: Request) -> None:
    if not access.can_manage_round(request.user):
        raise PermissionDenied(_OFFICE_ONLY)


def _data(request: Request, user_id: int, password: str | None = None) -> dict[str, Any]:
    """The account as stored now, and ``password`` (shown once; None when none was made)."""
    user = access.access_user(request.user, user_id)
    context = {"locked": lockout.locked_until([user.username])}
    return dict(UserSerializer(user, context=context).data) | {"password": password}


@extend_schema(
    methods=["GET"], operation_id="users_list", tags=["用户"],
    summary="巡察办管理的用户（分页、按角色/单位/状态筛选）",
    parameters=[UserQuerySerializer],
    responses={200: UserPageSerializer, **_errors(400, 401, 403)},
)
@extend_schema(
    methods=["POST"], operation_id="user_create", tags=["用户"],
    summary="新建用户（巡察办）：密码由系统生成，只在本次响应中出现一次",
    request=UserCreateSerializer,
    responses={201: UserWithPasswordSerializer, **_errors(400, 401, 403)},
)
@api_view(["GET", "POST"])
@parser_classes([JSONParser])
def user_list(request: Request) -> Response:
    _require_office(request)
    if request.method == "POST":
        data = _validated(UserCreateSerializer(data=request.data))
        new = accounts.add_user(
            request.user, username=data["username"], role=data["role"], unit=data.get("unit"),
            group=data.get("group"), body=data.get("body", ""),
            full_name=data.get("full_name", ""),
        )
        body = _data(request, new.user.pk, new.generated_password)
        return Response(body, status=http.HTTP_201_CREATED)
    query = _validated(UserQuerySerializer(data=request.query_params))
    users = access.users_for(request.user)
    if query.get("role"):
        users = users.filter(profile__role=query["role"])
    if query.get("unit") is not None:
        users = users.filter(profile__unit_id=query["unit"])
    if query.get("active") is not None:
        users = users.filter(is_active=query["active"])
    page, size = query["page"], query["page_size"]
    rows = list(
        users.select_related("profile__unit", "profile__group__round__committee",
                             "profile__committee")
        .order_by("profile__role", "username")[(page - 1) * size : page * size]
    )
    context = {"locked": lockout.locked_until(user.username for user in rows)}
    items = UserSerializer(rows, many=True, context=context).data
    return Response({"count": users.count(), "page": page, "page_size": size, "items": items})


@extend_schema(
    operation_id="user_update", tags=["用户"],
    summary="修改用户（巡察办）：启用/停用、角色与范围、姓名、重置密码",
    description="各项依次执行：角色与范围、姓名、启用/停用、重置密码。"
    "reset_password 为 true 时，新密码只在本次响应的 password 中出现一次。",
    request=UserPatchSerializer,
    responses={200: UserWithPasswordSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["PATCH"])
@parser_classes([JSONParser])
def user_detail(request: Request, user_id: int) -> Response:
    account = access.access_user(request.user, user_id)
    data = _validated(UserPatchSerializer(data=request.data))
    actor = request.user
    if {"role", "unit", "group", "body"} & set(data):
        accounts.change_role(
            actor, account, data.get("role") or account.profile.role,
            unit=data.get("unit"), group=data.get("group"), body=data.get("body", ""),
        )
    if "full_name" in data:
        accounts.rename_user(actor, account, data["full_name"])
    if "is_active" in data:
        accounts.set_user_active(actor, account, data["is_active"])
    password = accounts.reset_password(actor, account) if data.get("reset_password") else None
    return Response(_data(request, account.pk, password))
