"""Progress with evidence, review and sign-off, and serving evidence files, in the web UI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import MEASURE, PDF
from xuncha.accounts.models import Role
from xuncha.inspections.models import Measure, Problem, ProgressReport, RectificationStatus
from xuncha.workflow import services
from xuncha.workflow.models import Event, Evidence

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def measure(people: dict[str, Any], problem_a: Problem) -> Measure:
    """A measure of an approved plan, not started."""
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(people["office"], problem_a, "approve")
    measure.refresh_from_db()
    return measure


def _report(client: Client, measure: Measure, *, files: list[Any] | None = None,
            **fields: str) -> Any:
    prefix = f"progress-{measure.pk}"
    data: dict[str, Any] = {f"{prefix}-{k}": v for k, v in ({"content": "已完成培训",
                                                             "status": "done"} | fields).items()}
    if files is not None:
        data[f"{prefix}-evidence"] = files
    return client.post(reverse("progress-report", args=[measure.pk]), data)


def _rows() -> tuple[int, int, int]:
    return ProgressReport.objects.count(), Evidence.objects.count(), Event.objects.count()


def _pdf(name: str = "签到表.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_unit_reports_done_with_evidence(as_: As, measure: Measure) -> None:
    client = as_("unit_a")
    page = client.get(reverse("problem-detail", args=[measure.problem_id])).content.decode()
    assert f'id="progress-{measure.pk}"' in page and 'enctype="multipart/form-data"' in page
    response = _report(client, measure, files=[_pdf(), SimpleUploadedFile("照片.png", PNG)])
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "已报告整改措施1的进展，并申请销号，上传佐证材料 2 份" in html
    assert "签到表.pdf" in html and "照片.png" in html
    measure.refresh_from_db()
    assert measure.status == RectificationStatus.PENDING_REVIEW
    assert f'id="progress-{measure.pk}"' not in html  # waiting for review: nothing to report


def test_progress_without_sign_off_needs_no_evidence(as_: As, measure: Measure) -> None:
    assert _report(as_("unit_a"), measure, status="in_progress").status_code == 302
    measure.refresh_from_db()
    assert measure.status == RectificationStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("fields", "files", "message"),
    [
        ({}, [], "申请销号须至少上传一份佐证材料"),
        ({}, "exe", "不是可接受的佐证材料类型（实际内容为 exe）"),
        ({}, "text", "不是可接受的佐证材料类型"),
        ({}, "big", "超过 1 MB 的上限"),
        ({"content": ""}, "pdf", "请填写整改进展"),
        ({"status": "signed_off"}, "pdf", "完成情况的选项无效"),
        ({"reported_on": "2024-13-01"}, "pdf", "报告日期不是有效日期"),
    ],
    ids=["done-no-evidence", "exe-named-pdf", "text-named-pdf", "too-large", "no-text",
         "status-forged", "bad-date"],
)
def test_bad_progress_is_refused_next_to_the_field_and_nothing_saved(
    as_: As, measure: Measure, settings: Any, fields: dict[str, str], files: Any, message: str
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    uploads: Any = {
        "exe": [_pdf("报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)],
        "text": [_pdf("报告.pdf", "这是文本".encode())],
        "big": [_pdf("扫描件.pdf", PDF + b"0" * (1024 * 1024))],
        "pdf": [_pdf()],
    }.get(files, files) if isinstance(files, str) else files
    before = _rows()
    response = _report(as_("unit_a"), measure, files=uploads, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="field has-error' in html  # beside the field, not only on top
    assert _rows() == before
    measure.refresh_from_db()
    assert measure.status == RectificationStatus.NOT_STARTED


def test_no_progress_before_the_plan_is_approved(as_: As, people: Any, problem_a: Problem) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    client = as_("unit_a")
    page = client.get(reverse("problem-detail", args=[problem_a.pk])).content.decode()
    assert f'id="progress-{measure.pk}"' not in page
    before = _rows()
    response = _report(client, measure, files=[_pdf()])
    assert response.status_code == 400
    assert "整改方案批准后才能报告整改进展" in response.content.decode()
    assert _rows() == before


def test_return_then_sign_off(as_: As, measure: Measure) -> None:
    unit, office = as_("unit_a"), as_("office")
    _report(unit, measure, files=[_pdf()])
    url = reverse("measure-review", args=[measure.pk])
    key = f"review-{measure.pk}"
    refused = office.post(url, {f"{key}-decision": "return"})
    assert refused.status_code == 400 and "退回时请填写退回理由" in refused.content.decode()

    html = office.post(url, {f"{key}-decision": "return", f"{key}-comment": "佐证不足"},
                       follow=True).content.decode()
    assert "整改措施1已退回整改" in html and "佐证不足" in html
    measure.refresh_from_db()
    assert measure.status == RectificationStatus.RETURNED

    _report(unit, measure, content="补充材料", files=[_pdf("补充.pdf", PDF + b"more")])
    html = office.post(url, {f"{key}-decision": "approve"}, follow=True).content.decode()
    assert "整改措施1已销号" in html
    measure.refresh_from_db()
    assert measure.status == RectificationStatus.SIGNED_OFF
    assert measure.problem.__class__.objects.get(pk=measure.problem_id).status == "signed_off"

    again = office.post(url, {f"{key}-decision": "approve"})
    assert again.status_code == 400
    assert "只有“已完成待验收”或“长期坚持待确认”的措施可以销号" in again.content.decode()


def test_whoever_asked_for_sign_off_cannot_sign_it_off(
    as_: As, people: Any, measure: Measure
) -> None:
    _report(as_("unit_a"), measure, files=[_pdf()])
    # The same person, now moved to the office (the only way one person could be on both sides).
    profile = people["unit_a"].profile
    profile.role, profile.unit = Role.OFFICE, None
    profile.save()
    before = _rows()
    key = f"review-{measure.pk}"
    response = as_("unit_a").post(reverse("measure-review", args=[measure.pk]),
                                  {f"{key}-decision": "approve"})
    assert response.status_code == 403
    assert "不能审核自己申请销号的事项" in response.content.decode()
    assert _rows() == before


def test_only_reviewers_review(as_: As, measure: Measure) -> None:
    _report(as_("unit_a"), measure, files=[_pdf()])
    key = f"review-{measure.pk}"
    data = {f"{key}-decision": "approve"}
    url = reverse("measure-review", args=[measure.pk])
    assert as_("unit_a").post(url, data).status_code == 403
    assert as_("supervisor").post(url, data).status_code == 403
    assert as_("group2").post(url, data).status_code == 404
    assert as_("group1").post(url, data).status_code == 302


def test_evidence_is_a_download_for_those_in_scope(as_: As, measure: Measure) -> None:
    _report(as_("unit_a"), measure, files=[_pdf("培训 签到表.pdf")])
    item = Evidence.objects.get()
    url = reverse("evidence-download", args=[item.pk])
    response = as_("supervisor").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%9F%B9%E8%AE%AD%20%E7%AD%BE%E5%88%B0%E8%A1%A8.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert as_("unit_b").get(url).status_code == 404
    assert as_("group2").get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_a_missing_evidence_file_is_not_found(as_: As, measure: Measure, settings: Any) -> None:
    _report(as_("unit_a"), measure, files=[_pdf()])
    item = Evidence.objects.get()
    (settings.EVIDENCE_ROOT / item.stored_as).unlink()
    assert as_("office").get(reverse("evidence-download", args=[item.pk])).status_code == 404
