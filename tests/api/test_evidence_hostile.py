"""Evidence against hostile uploads: downloads carry the detected type's extension, one
request's files together have a limit, and .docx/.xlsx bombs are refused."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.api.conftest import Api, approved_measure, real_pdf
from xuncha.inspections.models import Problem
from xuncha.workflow import evidence, services
from xuncha.workflow.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "saved"), [
    ("setup.exe", "setup.pdf"),
    ("report.html", "report.pdf"),
    ("签到表.PDF", "签到表.pdf"),
    ("no-extension", "no-extension.pdf"),
    ("..\\..\\evil.bat", "evil.pdf"),
    ('a"b\r\nc.pdf', "a_b_c.pdf"),
    (".htaccess", "htaccess.pdf"),
    ("", "佐证材料.pdf"),
])
def test_the_download_name_takes_the_detected_extension(name: str, saved: str) -> None:
    assert evidence.download_name(name, "application/pdf") == saved


@pytest.mark.parametrize("original", ["setup.exe", "report.html"])
def test_a_pdf_uploaded_under_another_name_downloads_as_pdf(
    api: Api, people: dict[str, Any], problem_a: Problem, original: str
) -> None:
    measure = approved_measure(people, problem_a)
    services.report_progress(people["unit_a"], measure, content="完成", status="done",
                             files=[(original, real_pdf())])
    item = Evidence.objects.get()
    stem = original.rsplit(".", 1)[0]
    response = api("office").get(f"/api/evidence/{item.pk}")
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.pdf"'
    client = Client()
    client.force_login(people["office"])
    page = client.get(reverse("evidence-download", args=[item.pk]))
    assert page["Content-Disposition"] == f'attachment; filename="{stem}.pdf"'
    assert page["Content-Type"] == "application/pdf"


def _office_bomb(kind: str) -> bytes:
    """An Office file (detected as .docx/.xlsx by its content) that unpacks to 60 MB."""
    part = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_office_evidence_that_unpacks_too_far_is_refused(kind: str) -> None:
    with pytest.raises(evidence.EvidenceError, match="已拒绝"):
        evidence.check(f"材料.{kind}", _office_bomb(kind))


@pytest.fixture
def as_(people: dict[str, Any]) -> Callable[[str], Client]:
    def client_for(name: str) -> Client:
        client = Client()
        client.force_login(people[name])
        return client
    return client_for


def test_a_request_over_the_total_limit_is_refused_before_reading(
    api: Api, people: dict[str, Any], problem_a: Problem, settings: Any,
    as_: Callable[[str], Client],
) -> None:
    settings.UPLOAD_MAX_BYTES_PER_REQUEST = 300 * 1024
    measure = approved_measure(people, problem_a)
    files = [SimpleUploadedFile(f"{n}.pdf", real_pdf() + b"%" * (200 * 1024),
                                content_type="application/pdf") for n in range(2)]
    response = api("unit_a").post(f"/api/measures/{measure.pk}/progress",
                                  {"content": "推进", "status": "in_progress",
                                   "evidence": files}, format="multipart")
    assert response.status_code == 413
    assert "超过每次提交" in response.json()["error"]
    for upload in files:
        upload.seek(0)
    page = as_("unit_a").post(reverse("progress-report", args=[measure.pk]),
                              {"content": "推进", "status": "in_progress", "evidence": files})
    assert page.status_code == 413
    assert "超过每次提交" in page.content.decode()
    assert not Evidence.objects.exists()
