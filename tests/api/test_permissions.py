"""Every API URL × every role, with the expected status.

The matrix must name every URL pattern under api/: an endpoint added without deciding who may
use it fails here. Out of scope is 404; in scope but not allowed to act is 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.api.conftest import MEASURE, PDF, approved_measure, bearer
from xuncha.accounts.models import ApiToken
from xuncha.inspections.models import PartyOrganisation, Problem, Region, Round
from xuncha.workflow import services
from xuncha.workflow.models import Evidence

pytestmark = pytest.mark.django_db

UNIT_A = "木垒县东城镇党委"

# own_group (第一巡察组) inspected unit A (木垒县东城镇党委); other_group (第二巡察组) did not.
ROLES = ["anonymous", "office", "own_group", "other_group", "unit_a", "unit_b", "supervisor"]
USERS = {"office": "office", "own_group": "group1", "other_group": "group2",
         "unit_a": "unit_a", "unit_b": "unit_b", "supervisor": "supervisor"}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    url: str
    expected: dict[str, int]
    body: dict[str, Any] | None = None
    format: str = "json"


def _expect(default: int, **by_role: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, default) | {"anonymous": 401} | by_role


EVERYONE = _expect(200)
SEES_UNIT_A = _expect(200, other_group=404, unit_b=404)
UNIT_A_ACTS = _expect(403, unit_a=200, other_group=404, unit_b=404)
REVIEWERS_ACT = _expect(403, office=200, own_group=200, other_group=404, unit_b=404)
OFFICE_ONLY = _expect(403, office=200)
MANAGES_USERS = _expect(404, office=200)


def _matrix(round_: Round, people: dict[str, Any]) -> list[Row]:
    """Rows over unit A's three problems, each prepared for the row that acts on it."""
    a1, a2, a3 = Problem.objects.filter(round=round_, unit__name=UNIT_A).order_by("order")
    progressing = services.add_measure(people["unit_a"], a1, MEASURE)
    reviewed = approved_measure(people, a1)  # the plan of a1 is approved
    services.report_progress(people["unit_a"], reviewed, content="完成", status="done",
                             files=[("签到表.pdf", PDF)])  # asks for sign-off
    draft = services.add_measure(people["unit_a"], a2, MEASURE)  # plan of a2 still a draft
    services.add_measure(people["unit_a"], a3, MEASURE)
    services.submit_plan(people["unit_a"], a3)  # plan of a3 awaits approval
    evidence = Evidence.objects.get(measure=reviewed)
    services.report_progress(people["unit_a"], progressing, content="推进", status="in_progress",
                             files=[("甲.pdf", PDF), ("乙.pdf", PDF + b"%b")])
    replaced, withdrawn = Evidence.objects.filter(measure=progressing).order_by("id")
    newer = SimpleUploadedFile("新.pdf", PDF + b"%new", content_type="application/pdf")
    return [
        Row("round-list", "get", "/api/rounds", EVERYONE),
        Row("round-detail", "get", f"/api/rounds/{round_.pk}", EVERYONE),
        Row("problem-list", "get", "/api/problems", EVERYONE),
        Row("problem-detail", "get", f"/api/problems/{a1.pk}", SEES_UNIT_A),
        Row("measure-create", "post", f"/api/problems/{a2.pk}/measures",
            UNIT_A_ACTS | {"unit_a": 201}, MEASURE),
        Row("measure-detail", "get", f"/api/measures/{draft.pk}", SEES_UNIT_A),
        Row("measure-detail", "patch", f"/api/measures/{draft.pk}", UNIT_A_ACTS,
            {"version": draft.version, "leader": "李镇长"}),
        Row("plan-update", "post", f"/api/problems/{a2.pk}/plan", UNIT_A_ACTS,
            {"action": "submit"}),
        Row("plan-update", "post", f"/api/problems/{a3.pk}/plan", REVIEWERS_ACT,
            {"action": "approve"}),
        Row("progress-create", "post", f"/api/measures/{progressing.pk}/progress",
            UNIT_A_ACTS | {"unit_a": 201}, {"content": "推进中", "status": "in_progress"},
            "multipart"),
        Row("measure-review", "post", f"/api/measures/{reviewed.pk}/review", REVIEWERS_ACT,
            {"decision": "approve"}),
        Row("evidence-download", "get", f"/api/evidence/{evidence.pk}", SEES_UNIT_A),
        # --- users ---
        Row("user-list", "get", "/api/users", OFFICE_ONLY),
        Row("user-list", "post", "/api/users", OFFICE_ONLY | {"office": 201},
            {"username": "api_new", "role": "unit", "unit": UNIT_A}),
        Row("user-detail", "patch", f"/api/users/{people['unit_b'].pk}", MANAGES_USERS,
            {"full_name": "钱七"}),
        Row("evidence-supersede", "post", f"/api/evidence/{replaced.pk}/supersede",
            UNIT_A_ACTS | {"unit_a": 201}, {"file": newer}, "multipart"),
        Row("evidence-withdraw", "post", f"/api/evidence/{withdrawn.pk}/withdraw", UNIT_A_ACTS,
            {"comment": "传错了"}),
        Row("todo", "get", "/api/todo", EVERYONE),
        Row("clue-list", "get", "/api/clues?status=pending", _expect(200, unit_a=404, unit_b=404)),
        Row("notification-list", "get", "/api/notifications?unread=true", EVERYONE),
        *_setup_rows(round_, a1),
        # --- search ---
        Row("search", "get", "/api/search?q=资金", EVERYONE),
        Row("search", "get", f"/api/search?q=%E6%9D%91&unit={a1.unit_id}", EVERYONE),
        Row("round-stats", "get", f"/api/rounds/{round_.pk}/stats", EVERYONE),
        Row("stats", "get", "/api/stats", EVERYONE),
        # --- evaluation --- (a unit or group reads its own rows only, see test_evaluation)
        Row("round-evaluation", "get", f"/api/rounds/{round_.pk}/evaluation", EVERYONE),
        Row("schema", "get", "/api/openapi.json", EVERYONE),
        Row("docs", "get", "/api/docs", EVERYONE),
        # --- similar ---
        Row("round-common-problems", "get", f"/api/rounds/{round_.pk}/common-problems",
            EVERYONE),
        *_ledger_rows(round_, a1, people),
        *_publishing_rows(round_, a1, a2, people),
    ]


def _ledger_rows(round_: Round, a1: Problem, people: dict[str, Any]) -> list[Row]:
    """ledgerweb: importing is the office's; a job is seen by its office; the whole round's
    ledger is exported by the office and supervisors, a unit's by whoever sees the unit."""
    from tests.jobs.ledger import office_ledger
    from xuncha.jobs import services as jobs

    ledger = office_ledger(round_)
    draft = jobs.upload_ledger(people["office"], round_, "台账.xlsx", ledger)
    done = jobs.start_export(people["office"], round_)
    jobs.run_export(done.pk, "matrix")
    upload = SimpleUploadedFile("台账.xlsx", ledger)
    rnd = f"/api/rounds/{round_.pk}"
    return [
        Row("ledger-preview", "post", f"{rnd}/ledger/preview", _expect(403, office=201),
            {"file": upload}, "multipart"),
        Row("job-commit", "post", f"/api/jobs/{draft.pk}/commit", _expect(404, office=202), {}),
        Row("job-detail", "get", f"/api/jobs/{done.pk}", _expect(404, office=200)),
        Row("board-export", "post", "/api/board/export",
            _expect(404, office=202, own_group=202, other_group=202, supervisor=202), {}),
        Row("job-download", "get", f"/api/jobs/{done.pk}/download", _expect(404, office=200)),
        Row("ledger-export", "post", f"{rnd}/ledger/export",
            _expect(403, office=202, supervisor=202), {}),
        Row("ledger-export", "post", f"{rnd}/ledger/export",
            _expect(202, other_group=404, unit_b=404), {"unit": a1.unit_id}),
    ]


OFFICE_ACTS = _expect(403, office=200)


def _publishing_rows(
    round_: Round, a1: Problem, a2: Problem, people: dict[str, Any]
) -> list[Row]:
    """pubapi: the whole round's publications are the office's and supervisors' to read, a
    unit's whoever sees the unit; only the office releases (before anyone edits the wording
    here, or the office would be the drafter); a published version is public to anyone signed
    in."""
    from xuncha.workflow import publishing

    inspection = round_.inspections.get(unit_id=a1.unit_id)
    published = publishing.release(people["office"], round_)
    publishing.release(people["office"], round_, inspection)
    rnd, unit = f"/api/rounds/{round_.pk}", f"/api/rounds/{round_.pk}/units/{a1.unit_id}"
    reads_round = _expect(403, office=200, supervisor=200)
    return [
        Row("round-publications", "get", f"{rnd}/publications", reads_round),
        Row("round-publications", "post", f"{rnd}/publications", _expect(403, office=201), {}),
        Row("round-publication-diff", "get", f"{rnd}/publications/diff", reads_round),
        Row("unit-publications", "get", f"{unit}/publications", SEES_UNIT_A),
        Row("unit-publications", "post", f"{unit}/publications",
            _expect(403, office=201, other_group=404, unit_b=404), {}),
        Row("unit-publication-diff", "get", f"{unit}/publications/diff", SEES_UNIT_A),
        Row("publication-detail", "get", f"/api/publications/{published.pk}", EVERYONE),
        Row("publication-download", "get",
            f"/api/publications/{published.pk}/download?fmt=txt", EVERYONE),
        Row("problem-rectification", "get", f"/api/problems/{a1.pk}/rectification",
            SEES_UNIT_A),
        Row("problem-rectification", "put", f"/api/problems/{a1.pk}/rectification",
            REVIEWERS_ACT | {"unit_a": 200}, {"text": "一是建立包联机制。", "version": 1}),
        Row("problem-disclosure", "put", f"/api/problems/{a2.pk}/disclosure",
            _expect(403, office=200, other_group=404, unit_b=404),
            {"withheld": True, "reason": "涉及在办案件"}),
    ]


def _setup_rows(round_: Round, a1: Problem) -> list[Row]:
    """Setting up a round: only the office, on what it sees (a spare unit and region that no
    round inspected are the office's and supervisors' alone)."""
    group = round_.groups.get(name="第一巡察组")
    spare = PartyOrganisation.objects.create(name="东城镇党委")
    county = Region.objects.get(name="木垒县")
    twin = Region.objects.create(name="木垒", level=Region.Level.COUNTY, parent=county.parent)
    rnd, unit = f"/api/rounds/{round_.pk}", f"/api/rounds/{round_.pk}/units/{a1.unit_id}"
    new_round = {"committee": "昌吉州党委", "term": 12, "number": 6, "kinds": ["常规"]}
    return [
        Row("round-list", "post", "/api/rounds", _expect(403, office=201), new_round),
        Row("round-detail", "patch", rnd, OFFICE_ACTS, {"title": "第五轮"}),
        Row("round-groups", "get", f"{rnd}/groups", EVERYONE),
        Row("round-groups", "post", f"{rnd}/groups", _expect(403, office=201),
            {"name": "第八巡察组"}),
        Row("round-group-detail", "patch", f"{rnd}/groups/{group.pk}", OFFICE_ACTS,
            {"leader_name": "张组长"}),
        Row("round-units", "get", f"{rnd}/units", EVERYONE),
        Row("round-units", "post", f"{rnd}/units", _expect(403, office=201),
            {"unit": "木垒县雀仁乡党委"}),
        Row("round-unit-detail", "get", unit, SEES_UNIT_A),
        Row("round-unit-detail", "patch", unit, OFFICE_ACTS | {"other_group": 404, "unit_b": 404},
            {"feedback_date": "2024-01-05"}),
        Row("round-unit-problems", "post", f"{unit}/problems",
            REVIEWERS_ACT | {"office": 201, "own_group": 201}, {"text": "学习不到位"}),
        Row("unit-list", "get", "/api/units", EVERYONE),
        Row("unit-list", "post", "/api/units", _expect(403, office=201),
            {"name": "木垒县新户乡党委"}),
        Row("unit-detail", "patch", f"/api/units/{a1.unit_id}",
            OFFICE_ACTS | {"other_group": 404, "unit_b": 404}, {"name": UNIT_A}),
        Row("unit-merge", "post", f"/api/units/{spare.pk}/merge",
            _expect(404, office=200, supervisor=403), {"into": a1.unit_id}),
        Row("region-list", "get", "/api/regions", EVERYONE),
        Row("region-list", "post", "/api/regions", _expect(403, office=201),
            {"name": "大石头乡", "parent": county.pk}),
        Row("region-detail", "patch", f"/api/regions/{county.pk}", OFFICE_ACTS,
            {"name": "木垒县"}),
        Row("region-merge", "post", f"/api/regions/{twin.pk}/merge", OFFICE_ACTS,
            {"into": county.pk}),
    ]


def _client(role: str) -> APIClient:
    if role == "anonymous":
        return APIClient()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=USERS[role])
    return bearer(ApiToken.issue(user))


def test_the_matrix_covers_every_api_url(seed_round: Round, people: dict[str, Any]) -> None:
    from django.urls import URLResolver, get_resolver, resolve

    [api] = [p for p in get_resolver().url_patterns
             if isinstance(p, URLResolver) and str(p.pattern) == "api/"]
    names = {pattern.name for pattern in api.url_patterns}
    rows = _matrix(seed_round, people)
    assert names == {row.name for row in rows}
    for row in rows:
        assert resolve(row.url.partition("?")[0]).url_name == row.name, row.url
        assert set(row.expected) == set(ROLES), row.name


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(
    seed_round: Round, people: dict[str, Any], role: str
) -> None:
    client = _client(role)
    for row in _matrix(seed_round, people):
        response = getattr(client, row.method)(row.url, row.body, format=row.format)
        assert response.status_code == row.expected[role], (row.name, row.method, role,
                                                             response.content[:300])
        if response.status_code >= 400:
            assert response.json()["error"], (row.name, role)
