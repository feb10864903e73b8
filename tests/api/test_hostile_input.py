"""Bad input and steps out of order: each refused with a message naming the field, nothing
half-written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import MEASURE, PDF, Api, approved_measure, real_pdf
from xuncha.inspections.models import Measure, Problem, ProgressReport
from xuncha.workflow import services
from xuncha.workflow.models import Event, Evidence

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _state() -> tuple[Any, ...]:
    root = Path(settings.EVIDENCE_ROOT)
    files = sorted(p.name for p in root.rglob("*")) if root.exists() else []
    return (
        Measure.objects.count(), ProgressReport.objects.count(), Evidence.objects.count(),
        Event.objects.count(), list(Measure.objects.values_list("status", "version")),
        list(Problem.objects.values_list("plan_state", "status", "version")), files,
    )


@contextmanager
def nothing_written() -> Iterator[None]:
    """Asserts that no row, status, version or evidence file changed inside the block."""
    before = _state()
    yield
    assert _state() == before


@pytest.fixture
def unchanged() -> Iterator[None]:
    """nothing_written() around the test body (after the fixtures before it set things up)."""
    with nothing_written():
        yield


def _refused(response: Any, field: str | None, words: str, status: int = 400) -> None:
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert body["field"] == field, body
    assert words in body["error"], body


@pytest.mark.parametrize(("body", "field", "words"), [
    ({**MEASURE, "due_date": "2024-13-01"}, "due_date", "完成时限须为有效日期"),
    ({**MEASURE, "due_date": "2024-02-30"}, "due_date", "YYYY-MM-DD"),
    ({**MEASURE, "due_date": "31/03/2024"}, "due_date", "YYYY-MM-DD"),
    ({**MEASURE, "due_date": 20240331}, "due_date", "YYYY-MM-DD"),
    ({**MEASURE, "content": "改" * 4001}, "content", "整改措施不能超过 4000 字"),
    ({**MEASURE, "leader": "张" * 65}, "leader", "责任领导不能超过 64 字"),
    ({**MEASURE, "standard": "标" * 4001}, "standard", "整改标准不能超过 4000 字"),
    ({k: v for k, v in MEASURE.items() if k != "content"}, "content", "请填写整改措施"),
    ({**MEASURE, "department": "   "}, "department", "请填写责任部门"),
    ({**MEASURE, "leader": None}, "leader", "请填写责任领导"),
    ({**MEASURE, "content": ["制定计划"]}, "content", "整改措施须为文字"),
    (["not", "an", "object"], None, "JSON 对象"),
])
def test_a_bad_measure_is_refused(
    api: Api, problem_a: Problem, unchanged: None, body: Any, field: str, words: str
) -> None:
    response = api("unit_a").post(f"/api/problems/{problem_a.pk}/measures", body, format="json")
    _refused(response, field, words)


def test_malformed_json_is_refused(api: Api, problem_a: Problem, unchanged: None) -> None:
    response = api("unit_a").post(f"/api/problems/{problem_a.pk}/measures", '{"content": ',
                                  content_type="application/json")
    _refused(response, None, "JSON")


def test_a_form_post_to_a_json_endpoint_is_refused(
    api: Api, problem_a: Problem, unchanged: None
) -> None:
    response = api("unit_a").post(f"/api/problems/{problem_a.pk}/measures", MEASURE)
    assert response.status_code == 415, response.content.decode()
    assert "multipart/form-data" in response.json()["error"]
    assert "本接口接受 application/json" in response.json()["error"]


def test_script_in_text_is_kept_as_text(api: Api, problem_a: Problem) -> None:
    script = '<script>alert("x")</script>'
    created = api("unit_a").post(f"/api/problems/{problem_a.pk}/measures",
                                 {**MEASURE, "content": script}, format="json")
    assert created.status_code == 201
    assert created["Content-Type"] == "application/json"
    assert created.json()["content"] == script


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"action": "approve!"}, "action", "操作“approve!”无效，可选：submit、approve、return"),
    ({}, "action", "请填写操作"),
    ({"action": "return"}, "comment", "请填写意见"),
    ({"action": "approve", "comment": "意" * 2001}, "comment", "意见不能超过 2000 字"),
])
def test_a_bad_plan_decision_is_refused(
    api: Api, people: dict[str, Any], problem_a: Problem, body: dict[str, Any], field: str,
    words: str,
) -> None:
    services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    with nothing_written():
        response = api("office").post(f"/api/problems/{problem_a.pk}/plan", body, format="json")
    _refused(response, field, words)


def test_plan_steps_out_of_order_are_refused(
    api: Api, people: dict[str, Any], problem_a: Problem, unchanged: None
) -> None:
    plan = f"/api/problems/{problem_a.pk}/plan"
    _refused(api("unit_a").post(plan, {"action": "submit"}, format="json"),
             "measures", "请至少制定一项整改措施")
    _refused(api("office").post(plan, {"action": "approve"}, format="json"),
             "plan", "只有已报送的整改方案可以批准")


def test_review_before_done_is_refused(
    api: Api, people: dict[str, Any], problem_a: Problem
) -> None:
    measure = approved_measure(people, problem_a)
    review = f"/api/measures/{measure.pk}/review"
    with nothing_written():
        for decision in ("approve", "return"):
            response = api("office").post(review, {"decision": decision, "comment": "退回"},
                                          format="json")
            _refused(response, "decision", "只有“已完成待验收”或“长期坚持待确认”的措施")
        _refused(api("office").post(review, {"decision": "maybe"}, format="json"),
                 "decision", "审核意见“maybe”无效")


def test_progress_before_the_plan_is_approved_is_refused(
    api: Api, people: dict[str, Any], problem_a: Problem
) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    with nothing_written():
        response = api("unit_a").post(f"/api/measures/{measure.pk}/progress", {
            "content": "已完成", "status": "done", "evidence": SimpleUploadedFile("a.pdf", PDF),
        }, format="multipart")
    _refused(response, "plan", "整改方案批准后才能报告整改进展")


@pytest.fixture
def approved(people: dict[str, Any], problem_a: Problem) -> Measure:
    return approved_measure(people, problem_a)


def _progress(api: Api, measure: Measure, **fields: Any) -> Any:
    body = {"content": "已完成", "status": "done"} | fields
    return api("unit_a").post(f"/api/measures/{measure.pk}/progress", body, format="multipart")


def test_an_exe_renamed_pdf_is_refused(api: Api, approved: Measure, unchanged: None) -> None:
    response = _progress(api, approved, evidence=SimpleUploadedFile(
        "签到表.pdf", EXE, content_type="application/pdf"))
    _refused(response, "evidence", "“签到表.pdf”不是可接受的佐证材料类型（实际内容为 exe）")


def test_one_bad_file_among_good_ones_writes_nothing(
    api: Api, approved: Measure, unchanged: None
) -> None:
    response = _progress(api, approved, evidence=[
        SimpleUploadedFile("good.pdf", real_pdf()), SimpleUploadedFile("bad.pdf", EXE)])
    _refused(response, "evidence", "“bad.pdf”不是可接受的佐证材料类型")


def test_an_oversize_upload_is_refused(
    api: Api, approved: Measure, unchanged: None, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024
    big = real_pdf() + b"%" + b"x" * 2048 + b"\n"
    response = _progress(api, approved, evidence=SimpleUploadedFile("大文件.pdf", big))
    _refused(response, "evidence", "“大文件.pdf”大小为 2.")
    assert "超过 1.0 KB 的上限" in response.json()["error"]


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({}, "evidence", "申请销号须至少上传一份佐证材料"),
    ({"status": "finished"}, "status", "进展状态“finished”无效"),
    ({"status": "pending_review"}, "status", "进展状态“pending_review”无效"),
    ({"content": ""}, "content", "请填写整改进展"),
    ({"content": "进" * 8001}, "text", "内容不能超过 8000 字"),
    ({"reported_on": "昨天"}, "reported_on", "报告日期须为有效日期"),
    ({"evidence": "not a file"}, "evidence", "佐证材料须以文件上传"),
    ({"evidence": SimpleUploadedFile("empty.pdf", b"")}, "evidence", "空文件"),
])
def test_bad_progress_is_refused(
    api: Api, approved: Measure, unchanged: None, fields: dict[str, Any], field: str, words: str
) -> None:
    _refused(_progress(api, approved, **fields), field, words)


def test_progress_as_json_is_refused(api: Api, approved: Measure, unchanged: None) -> None:
    response = api("unit_a").post(f"/api/measures/{approved.pk}/progress",
                                  {"content": "x", "status": "in_progress"}, format="json")
    assert response.status_code == 415, response.content.decode()


def test_done_twice_is_refused(api: Api, approved: Measure) -> None:
    assert _progress(api, approved, evidence=SimpleUploadedFile("a.pdf", PDF)).status_code == 201
    with nothing_written():
        response = _progress(api, approved, evidence=SimpleUploadedFile("b.pdf", PDF + b"b"))
    _refused(response, "status", "该措施已申请销号或已销号")


def test_a_stale_edit_is_refused_with_the_current_measure(
    api: Api, people: dict[str, Any], problem_a: Problem
) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    url = f"/api/measures/{measure.pk}"
    first = api("unit_a").patch(url, {"version": 1, "leader": "李镇长"}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = api("unit_a").patch(url, {"version": 1, "leader": "王主任"}, format="json")
    _refused(stale, "version", "已被他人修改", status=409)
    assert stale.json()["current"]["leader"] == "李镇长"
    assert stale.json()["current"]["version"] == 2
    measure.refresh_from_db()
    assert (measure.leader, measure.version) == ("李镇长", 2)


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"leader": "李镇长"}, "version", "请填写版本号"),
    ({"version": "one"}, "version", "版本号须为整数"),
    ({"version": 1, "due_date": "2024-04-31"}, "due_date", "完成时限须为有效日期"),
    ({"version": 1, "content": ""}, "content", "请填写整改措施"),
])
def test_a_bad_edit_is_refused(
    api: Api, people: dict[str, Any], problem_a: Problem, body: dict[str, Any], field: str,
    words: str,
) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    with nothing_written():
        response = api("unit_a").patch(f"/api/measures/{measure.pk}", body, format="json")
    _refused(response, field, words)


@pytest.mark.parametrize("url", [
    "/api/problems/99999999999999999999999", "/api/measures/9223372036854775808",
    "/api/rounds/0", "/api/evidence/12345",
])
def test_ids_that_cannot_exist_are_not_found(api: Api, url: str) -> None:
    response = api("office").get(url)
    assert response.status_code == 404
    assert response.json() == {"error": "未找到该对象，或无权查看", "field": None}
