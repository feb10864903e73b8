"""The clue register: every handed-over clue in scope, by receiver and status; only the
receiving body records its clue's outcome."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Problem
from xuncha.workflow import services
from xuncha.workflow.models import ClueHandover

pytestmark = pytest.mark.django_db


@pytest.fixture
def clues(people: dict[str, Any], problem_a: Problem) -> dict[str, ClueHandover]:
    """Unit A: one overdue 纪委监委 clue, one answered; unit B: one pending 组织部 clue."""
    other = Problem.objects.get(round=problem_a.round, unit__name="奇台县七户乡党委", order=1)
    office = people["office"]
    overdue = services.hand_over_clue(office, problem_a, receiver="discipline",
                                      handed_over_on="2024-01-10")
    answered = services.hand_over_clue(office, problem_a, receiver="discipline",
                                       handed_over_on="2024-01-10")
    services.record_clue_outcome(people["supervisor"], answered, outcome="已立案审查")
    pending = services.hand_over_clue(office, other, receiver="organisation",
                                      follow_up_due=datetime.date(2099, 1, 1))
    return {"overdue": overdue, "answered": answered, "pending": pending}


def _rows(client: Client, query: str = "") -> str:
    return client.get(reverse("clue-register") + query).content.decode()


def test_the_register_filters_by_receiver_and_status(
    as_: Callable[[str], Client], clues: dict[str, ClueHandover]
) -> None:
    client = as_("office")
    everything = _rows(client)
    assert everything.count('<tr class="clue ') == 3 and "共 3 条" in everything
    assert "clue-overdue" in everything and "due-overdue" in everything
    only_org = _rows(client, "?receiver=organisation")
    assert only_org.count('<tr class="clue ') == 1 and "奇台县七户乡党委" in only_org
    assert _rows(client, "?status=overdue").count('<tr class="clue clue-overdue"') == 1
    assert "已立案审查" in _rows(client, "?status=answered")
    assert _rows(client, "?status=pending&receiver=discipline").count('<tr class="clue ') == 0
    assert client.get(reverse("clue-register") + "?status=bogus").status_code == 404


def test_groups_see_their_units_clues_and_units_none(
    as_: Callable[[str], Client], clues: dict[str, ClueHandover]
) -> None:
    assert _rows(as_("group1")).count('<tr class="clue ') == 2
    assert as_("unit_a").get(reverse("clue-register")).status_code == 404


def test_only_the_receiving_body_records_the_outcome(
    as_: Callable[[str], Client], people: dict[str, Any], clues: dict[str, ClueHandover]
) -> None:
    organisation = create_user("zzb", Role.SUPERVISOR, body="组织部").user
    with pytest.raises(PermissionDenied, match="组织部"):
        services.record_clue_outcome(people["supervisor"], clues["pending"], outcome="x")
    with pytest.raises(PermissionDenied, match="纪委监委"):
        services.record_clue_outcome(organisation, clues["overdue"], outcome="x")
    nobody = create_user("sup0", Role.SUPERVISOR).user  # no body: answers for none
    with pytest.raises(PermissionDenied):
        services.record_clue_outcome(nobody, clues["overdue"], outcome="x")
    services.record_clue_outcome(organisation, clues["pending"], outcome="已函询")
    # The web offers the form (and the register its link) only to the receiving body.
    url = reverse("clue-outcome", args=[clues["overdue"].pk])
    key = f"outcome-{clues['overdue'].pk}"
    client = Client()
    client.force_login(organisation)  # type: ignore[arg-type]
    assert client.post(url, {f"{key}-outcome": "x"}).status_code == 403
    page = client.get(reverse("problem-detail", args=[clues["overdue"].problem_id]))
    assert f'id="{key}"' not in page.content.decode()
    register = _rows(as_("supervisor"))
    assert f"#outcome-{clues['overdue'].pk}" in register
    assert f"#outcome-{clues['pending'].pk}" not in register
