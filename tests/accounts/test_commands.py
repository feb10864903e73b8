from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from xuncha.accounts.models import ApiToken, Role
from xuncha.inspections.models import Round

pytestmark = pytest.mark.django_db


def _call(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_createuser_scopes_a_unit_user_by_its_published_name(seed_round: Round) -> None:
    out = _call("createuser", "dc", "--role", "unit", "--unit", "木垒县东城镇党委")
    assert "已创建用户 dc" in out
    password = out.strip().splitlines()[-1].split("：")[1]
    user = get_user_model().objects.get(username="dc")
    assert user.check_password(password)
    assert user.profile.role == Role.UNIT
    assert user.profile.unit.name == "木垒县东城镇党委"


def test_createuser_with_a_chosen_password_prints_no_password(seed_round: Round) -> None:
    out = _call("createuser", "zz", "--role", "office", "--password", "Xuncha-2024-pw")
    assert "密码" not in out
    user = get_user_model().objects.get(username="zz")
    assert user.check_password("Xuncha-2024-pw")
    assert user.profile.committee == seed_round.committee


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "unit"], "须用 --unit 指定单位"),
        (["--role", "unit", "--unit", "不存在镇党委"], "没有名为“不存在镇党委”的被巡察单位"),
        (["--role", "group", "--group", "第九十巡察组"], "没有名为“第九十巡察组”的巡察组"),
        (["--role", "office", "--password", "123"], "密码不符合要求"),
    ],
)
def test_createuser_refuses_what_it_cannot_do(
    seed_round: Round, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("createuser", "bad", *args)
    assert not get_user_model().objects.filter(username="bad").exists()


def test_createuser_refuses_a_taken_name(seed_round: Round) -> None:
    _call("createuser", "twice", "--role", "supervisor")
    with pytest.raises(CommandError, match="已存在"):
        call_command("createuser", "twice", "--role", "supervisor")


def test_token_prints_a_working_token_as_its_last_line(seed_round: Round) -> None:
    _call("createuser", "api", "--role", "office")
    token = _call("token", "api").strip().splitlines()[-1]
    stored = ApiToken.objects.get()
    assert stored.key_hash == ApiToken.hash(token)
    assert token not in stored.key_hash


def test_token_for_an_unknown_user_fails() -> None:
    with pytest.raises(CommandError, match="没有名为“ghost”的有效用户"):
        call_command("token", "ghost")
