"""Every URL × every role, with the expected outcome.

The matrix must name every URL pattern the site has (admin aside): adding a page without
deciding who may see it fails here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.demo import _assign_groups
from xuncha.inspections.models import Problem, Round

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "office", "other_group", "unit_a", "unit_b", "supervisor"]
OK, LOGIN, NOT_FOUND = 200, 302, 404


def _users(round_: Round) -> dict[str, Client]:
    _assign_groups(round_)
    clients = {"anonymous": Client()}
    specs = {
        "office": (Role.OFFICE, {}),
        # 第二巡察组 inspected 奇台县七户乡, not unit A (木垒县东城镇).
        "other_group": (Role.GROUP, {"group": "第二巡察组"}),
        "unit_a": (Role.UNIT, {"unit": "木垒县东城镇党委"}),
        "unit_b": (Role.UNIT, {"unit": "奇台县七户乡党委"}),
        "supervisor": (Role.SUPERVISOR, {"body": "纪委监委"}),
    }
    for name, (role, scope) in specs.items():
        client = Client()
        client.force_login(create_user(name, role, **scope).user)  # type: ignore[arg-type]
        clients[name] = client
    return clients


def _matrix(round_: Round) -> dict[str, tuple[str, dict[str, int]]]:
    """url name -> (an URL of it, expected status per role)."""
    a = Problem.objects.filter(round=round_, unit__name="木垒县东城镇党委").first()
    assert a is not None
    everyone = dict.fromkeys(ROLES, OK) | {"anonymous": LOGIN}
    unit_a_only = {"anonymous": LOGIN, "office": OK, "other_group": NOT_FOUND, "unit_a": OK,
                   "unit_b": NOT_FOUND, "supervisor": OK}
    office_only = {"anonymous": LOGIN, "office": OK, "other_group": NOT_FOUND,
                   "unit_a": NOT_FOUND, "unit_b": NOT_FOUND, "supervisor": OK}
    return {
        "home": (reverse("home"), dict.fromkeys(ROLES, 302)),
        "login": (reverse("login"), dict.fromkeys(ROLES, 302) | {"anonymous": OK}),
        "logout": (reverse("logout"), dict.fromkeys(ROLES, 405)),
        "round-list": (reverse("round-list"), everyone),
        "round-detail": (reverse("round-detail", args=[round_.pk]), everyone),
        "unit-detail": (reverse("unit-detail", args=[round_.pk, a.unit_id]), unit_a_only),
        "problem-detail": (reverse("problem-detail", args=[a.pk]), unit_a_only),
        "round-notice": (reverse("round-notice", args=[round_.pk, "txt"]), office_only),
    }


def _url_names(patterns: list[URLPattern | URLResolver], skip: Callable[[str], bool]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if not skip(str(pattern.pattern)):
                names |= _url_names(pattern.url_patterns, skip)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_the_matrix_covers_every_url(seed_round: Round) -> None:
    site = _url_names(get_resolver().url_patterns, skip=lambda p: p.startswith("admin/"))
    assert site == set(_matrix(seed_round))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(seed_round: Round, role: str) -> None:
    client = _users(seed_round)[role]
    for name, (url, expected) in _matrix(seed_round).items():
        assert client.get(url).status_code == expected[role], (name, role)


def test_a_unit_user_sees_only_its_own_unit_on_the_round_page(seed_round: Round) -> None:
    client = _users(seed_round)["unit_a"]
    html = client.get(reverse("round-detail", args=[seed_round.pk])).content.decode()
    assert "木垒县东城镇党委" in html
    assert "奇台县七户乡党委" not in html


def test_the_round_list_counts_only_what_the_user_sees(seed_round: Round) -> None:
    client = _users(seed_round)["unit_b"]
    html = client.get(reverse("round-list")).content.decode()
    assert '<td class="num">3</td>' in html
    assert '<td class="num">21</td>' not in html


def test_a_user_without_a_role_sees_no_rounds(seed_round: Round) -> None:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.create_user("norole", password="x"))
    assert client.get(reverse("round-detail", args=[seed_round.pk])).status_code == 404
