"""A date far in the future (9999-12-31) or far back is a clear refusal in every date field
(pages, API bodies, `xuncha remind --date`), never a 500 or an overflow."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.api.conftest import bearer, token_for
from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services

pytestmark = pytest.mark.django_db

FAR = "9999-12-31"
RANGE = "须在 1950-01-01 至 2099-12-31 之间"


def test_a_measure_due_in_9999_is_refused_on_the_page(
    as_: Callable[[str], Client], problem_a: Problem
) -> None:
    response = as_("unit_a").post(reverse("measure-add", args=[problem_a.pk]),
                                  MEASURE | {"due_date": FAR})
    assert response.status_code == 400
    assert "完成时限" + RANGE in response.content.decode()
    assert not Measure.objects.exists()


@pytest.mark.parametrize("day", [FAR, "0001-01-01"])
def test_a_measure_due_out_of_range_is_refused_by_the_api(
    people: dict[str, Any], problem_a: Problem, day: str
) -> None:
    response = bearer(token_for("unit_a")).post(
        f"/api/problems/{problem_a.pk}/measures", MEASURE | {"due_date": day}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "due_date"
    assert RANGE in response.json()["error"]


@pytest.mark.parametrize("field", ["feedback_date", "plan_due_date", "rectification_due_date"])
def test_unit_and_round_dates_in_9999_are_refused_by_the_api(
    people: dict[str, Any], problem_a: Problem, field: str
) -> None:
    office = bearer(token_for("office"))
    round_url = f"/api/rounds/{problem_a.round_id}"
    for url in (round_url, f"{round_url}/units/{problem_a.unit_id}"):
        response = office.patch(url, {field: FAR}, format="json")
        assert response.status_code == 400, (url, response.content)
        assert RANGE in response.json()["error"]


def test_a_new_round_inspected_in_9999_is_refused(people: dict[str, Any]) -> None:
    response = bearer(token_for("office")).post("/api/rounds", {
        "committee": "昌吉州党委", "term": 12, "number": 7, "kinds": ["常规"],
        "inspection_start": FAR, "inspection_end": FAR}, format="json")
    assert response.status_code == 400
    assert RANGE in response.json()["error"]


def test_the_round_deadlines_form_refuses_9999(
    as_: Callable[[str], Client], problem_a: Problem
) -> None:
    response = as_("office").post(reverse("round-deadlines", args=[problem_a.round_id]),
                                  {"plan_due_date": "2024-03-01", "rectification_due_date": FAR})
    assert response.status_code < 500
    problem_a.round.refresh_from_db()
    assert problem_a.round.rectification_due_date is None or (
        problem_a.round.rectification_due_date.year < 9999)


def test_a_progress_report_dated_9999_is_refused(
    people: dict[str, Any], problem_a: Problem
) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    with pytest.raises(services.ServiceError, match=RANGE):
        services.report_progress(people["unit_a"], measure, content="推进",
                                 status="in_progress", reported_on=FAR)


@pytest.mark.parametrize("day", [FAR, "0001-01-01"])
def test_remind_with_a_date_out_of_range_exits_2_with_one_line(day: str) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("remind", "--date", day, stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert RANGE in str(caught.value)
