"""/admin/ cannot change workflow state: not for an operator's superuser, not for the demo
office account (which is staff with view permissions, not a superuser)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.workflow.test_audit_tampering import verify
from xuncha.inspections.demo import load_demo
from xuncha.inspections.models import Measure, Problem, ProblemCategory, Round
from xuncha.workflow.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(db: None) -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.org", "root-pw-123456")
    client = Client()
    client.force_login(user)
    return client


def change_form(problem: Problem, **overrides: Any) -> dict[str, Any]:
    data = {
        "round": problem.round_id, "unit": problem.unit_id, "order": problem.order,
        "heading": problem.heading, "text": problem.text, "category": problem.category_id or "",
        "status": problem.status, "plan_state": problem.plan_state, "version": problem.version,
        "published_rectification": problem.published_rectification, "source": "",
    }
    return {**data, **overrides}


def test_a_superuser_cannot_sign_off_a_problem_in_the_admin(
    superuser_client: Client, open_measure: Measure
) -> None:
    problem = open_measure.problem
    events = Event.objects.count()
    url = f"/admin/inspections/problem/{problem.id}/change/"
    response = superuser_client.post(url, change_form(problem, status="signed_off"))
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.status == "in_progress"
    assert Event.objects.count() == events
    assert verify()[0] == 0


def test_the_admin_shows_problems_read_only(superuser_client: Client, seed_round: Round) -> None:
    problem = Problem.objects.filter(round=seed_round).first()
    response = superuser_client.get(f"/admin/inspections/problem/{problem.id}/change/")
    assert response.status_code == 200
    assert b'name="status"' not in response.content
    assert superuser_client.get("/admin/inspections/problem/add/").status_code == 403
    delete = superuser_client.post(
        f"/admin/inspections/problem/{problem.id}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Problem.objects.filter(id=problem.id).exists()


def test_round_deadlines_are_not_set_in_the_admin(
    superuser_client: Client, seed_round: Round
) -> None:
    url = f"/admin/inspections/round/{seed_round.id}/change/"
    page = superuser_client.get(url)
    assert b'name="plan_due_date"' not in page.content
    assert superuser_client.post(
        f"/admin/inspections/round/{seed_round.id}/delete/", {"post": "yes"}
    ).status_code == 403


def test_the_demo_office_account_is_staff_but_not_a_superuser(db: None) -> None:
    load_demo()
    office = get_user_model().objects.get(username="office")
    assert office.is_staff and not office.is_superuser
    client = Client()
    client.force_login(office)
    problem = Problem.objects.order_by("id")[0]
    url = f"/admin/inspections/problem/{problem.id}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, change_form(problem, status="signed_off")).status_code == 403
    problem.refresh_from_db()
    assert problem.status == "not_started"
    # It keeps the taxonomy, which is data the office edits.
    category = ProblemCategory.objects.first()
    response = client.post(
        f"/admin/inspections/problemcategory/{category.id}/change/",
        {"code": category.code, "name": "新名称", "keywords": "", "order": category.order},
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "新名称"
    # And nothing about accounts: users are managed on the site, with their roles.
    assert client.get("/admin/auth/user/").status_code == 403


# --- throughput: the admin's problem search goes through indexes ---


def test_the_admin_finds_problems_by_number_or_unit_name_not_by_scanning_text(
    superuser_client: Client, seed_round: Round
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    problem = Problem.objects.filter(round=seed_round, unit__name="奇台县七户乡党委").first()
    assert problem is not None
    by_unit = superuser_client.get("/admin/inspections/problem/", {"q": "七户乡"})
    assert by_unit.status_code == 200
    listed = {p.pk for p in by_unit.context["cl"].result_list}
    assert listed == set(Problem.objects.filter(unit=problem.unit_id).values_list("pk", flat=True))
    by_number = superuser_client.get("/admin/inspections/problem/", {"q": str(problem.pk)})
    assert [p.pk for p in by_number.context["cl"].result_list] == [problem.pk]
    with CaptureQueriesContext(connection) as queries:
        superuser_client.get("/admin/inspections/problem/", {"q": problem.text[:6]})
    text_like = re.compile(rf'"{Problem._meta.db_table}"\."text"(::text)?\)?(::text)? LIKE')
    assert not any(text_like.search(q["sql"]) for q in queries.captured_queries)
