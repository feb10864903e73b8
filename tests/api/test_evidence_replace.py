"""POST /api/evidence/{id}/supersede and /withdraw; 长期坚持 through progress and review."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import PDF, Api, approved_measure
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.models import Action, Event, Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(people: dict[str, Any], problem_a: Problem) -> Measure:
    measure = approved_measure(people, problem_a)
    services.report_progress(people["unit_a"], measure, content="推进", status="in_progress",
                             files=[("签到表.pdf", PDF)])
    return measure


def test_supersede_keeps_both_and_answers_the_new_file(api: Api, measure: Measure) -> None:
    old = Evidence.objects.get(measure=measure)
    newer = SimpleUploadedFile("签到表（新）.pdf", PDF + b"%2", content_type="application/pdf")
    response = api("unit_a").post(f"/api/evidence/{old.pk}/supersede", {"file": newer},
                                  format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "签到表（新）.pdf" and body["state"] == "current"
    detail = api("office").get(f"/api/measures/{measure.pk}").json()
    states = {item["name"]: (item["state"], item["superseded_by"]) for item in detail["evidence"]}
    assert states == {"签到表.pdf": ("superseded", body["id"]),
                      "签到表（新）.pdf": ("current", None)}


def test_supersede_without_a_file_names_the_field(api: Api, measure: Measure) -> None:
    old = Evidence.objects.get(measure=measure)
    response = api("unit_a").post(f"/api/evidence/{old.pk}/supersede", {}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"error": "请上传新文件（file）", "field": "file"}


def test_withdraw_then_asking_for_sign_off_needs_new_evidence(api: Api, measure: Measure) -> None:
    old = Evidence.objects.get(measure=measure)
    client = api("unit_a")
    response = client.post(f"/api/evidence/{old.pk}/withdraw", {"comment": "传错了"},
                           format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn" and response.json()["withdrawn_at"]
    again = client.post(f"/api/evidence/{old.pk}/withdraw", {}, format="json")
    assert again.status_code == 400 and "已撤回" in again.json()["error"]
    done = client.post(f"/api/measures/{measure.pk}/progress",
                       {"content": "完成", "status": "done"}, format="multipart")
    assert done.status_code == 400 and done.json()["field"] == "evidence"


def test_long_term_is_asked_for_and_confirmed_through_review(
    api: Api, measure: Measure
) -> None:
    asked = api("unit_a").post(f"/api/measures/{measure.pk}/progress",
                               {"content": "常态化", "status": "long_term"}, format="multipart")
    assert asked.status_code == 201
    assert asked.json()["measure"]["status"] == "long_term_review"
    listed = api("office").get("/api/problems", {"status": "long_term_review"}).json()
    assert [item["id"] for item in listed["items"]] == [measure.problem_id]
    confirmed = api("group1").post(f"/api/measures/{measure.pk}/review",
                                   {"decision": "approve", "comment": "同意"}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "long_term"
    history = api("office").get(f"/api/problems/{measure.problem_id}").json()["history"]
    actions = [entry["action"] for entry in history]
    assert actions[-2:] == [Action.LONG_TERM_REQUESTED, Action.LONG_TERM_CONFIRMED]
    assert not Event.objects.filter(action=Action.SIGNED_OFF).exists()
