"""The whole rectification cycle through HTTP, as a script would drive it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import MEASURE, Api, real_pdf
from xuncha.inspections.models import Problem
from xuncha.workflow.history import verify_chain

pytestmark = pytest.mark.django_db


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_a_unit_and_the_office_take_a_problem_to_sign_off(
    api: Api, people: dict[str, Any], problem_a: Problem
) -> None:
    unit, office = api("unit_a"), api("office")
    problem_url = f"/api/problems/{problem_a.pk}"

    measure = _ok(unit.post(f"{problem_url}/measures", MEASURE, format="json"), 201)
    assert measure["status"] == "not_started"
    assert measure["due_date"] == "2024-03-31" and measure["leader"] == "张书记"
    plan = f"{problem_url}/plan"
    assert _ok(unit.post(plan, {"action": "submit"}, format="json"))["plan_state"] == "submitted"
    returned = _ok(office.post(plan, {"action": "return", "comment": "请明确完成标准"},
                               format="json"))
    assert returned["plan_state"] == "returned"
    _ok(unit.patch(f"/api/measures/{measure['id']}",
                   {"version": measure["version"], "standard": "每村不少于6名，建立台账"},
                   format="json"))
    assert _ok(unit.post(plan, {"action": "submit"}, format="json"))["plan_state"] == "submitted"
    assert _ok(office.post(plan, {"action": "approve"}, format="json"))["plan_state"] == "approved"

    pdf = real_pdf()
    progress_url = f"/api/measures/{measure['id']}/progress"
    report = _ok(unit.post(progress_url, {
        "content": "已完成后备干部培训",
        "status": "done",
        "evidence": SimpleUploadedFile("培训签到表.pdf", pdf, content_type="application/pdf"),
    }, format="multipart"), 201)
    assert report["measure"]["status"] == "pending_review"
    [evidence] = report["evidence"]
    assert evidence["name"] == "培训签到表.pdf"
    assert evidence["content_type"] == "application/pdf" and evidence["size"] == len(pdf)

    review = f"/api/measures/{measure['id']}/review"
    back = _ok(office.post(review, {"decision": "return", "comment": "佐证不足"}, format="json"))
    assert back["status"] == "returned"
    _ok(unit.post(progress_url, {
        "content": "补充签到表",
        "status": "done",
        "evidence": SimpleUploadedFile("补充.pdf", real_pdf("Supplement")),
    }, format="multipart"), 201)
    signed = _ok(office.post(review, {"decision": "approve", "comment": "同意销号"},
                             format="json"))
    assert signed["status"] == "signed_off"

    detail = _ok(unit.get(problem_url))
    assert detail["status"] == "signed_off"
    assert detail["plan_state"] == "approved"
    [shown] = detail["measures"]
    assert shown["standard"] == "每村不少于6名，建立台账"
    assert [p["status"] for p in shown["progress"]] == ["pending_review", "pending_review"]
    assert [e["name"] for e in shown["evidence"]] == ["培训签到表.pdf", "补充.pdf"]
    history = [(h["action"], h["actor"]) for h in detail["history"]]
    assert [action for action, _ in history] == [
        "measure_added", "plan_submitted", "plan_returned", "measure_edited", "plan_submitted",
        "plan_approved", "progress_reported", "evidence_added", "sign_off_requested",
        "review_returned", "progress_reported", "evidence_added", "sign_off_requested",
        "signed_off",
    ]
    assert {actor for action, actor in history if action.startswith("plan_")} == {
        "unit_a", "office"
    }
    assert all(h["at"] and h["action_label"] for h in detail["history"])
    returned_event = next(h for h in detail["history"] if h["action"] == "review_returned")
    assert returned_event["comment"] == "佐证不足"
    assert returned_event["changes"] == {"status": ["pending_review", "returned"]}
    assert list(verify_chain()) == []

    download = office.get(shown["evidence"][0]["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf
    assert download["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('培训签到表.pdf')}"
    )
