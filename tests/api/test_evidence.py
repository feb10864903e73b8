"""GET /api/evidence/{id}: the stored file, to users who can see its problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Api, approved_measure, real_pdf
from xuncha.inspections.models import Problem
from xuncha.workflow import services
from xuncha.workflow.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(people: dict[str, Any], problem_a: Problem) -> Evidence:
    measure = approved_measure(people, problem_a)
    services.report_progress(people["unit_a"], measure, content="完成", status="done",
                             files=[("sign-in sheet.pdf", real_pdf())])
    return Evidence.objects.get()


def test_an_ascii_name_is_sent_plainly(api: Api, uploaded: Evidence) -> None:
    response = api("group1").get(f"/api/evidence/{uploaded.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sign-in sheet.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


def test_the_client_may_ask_for_the_files_own_type(api: Api, uploaded: Evidence) -> None:
    client = api("unit_a")
    assert client.get(f"/api/evidence/{uploaded.pk}", HTTP_ACCEPT="application/pdf")[
        "Content-Type"] == "application/pdf"
    missing = client.get(f"/api/evidence/{uploaded.pk + 1}", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404
    assert missing.json()["error"] == "未找到该对象，或无权查看"


def test_a_file_missing_from_disk_is_not_found(
    api: Api, uploaded: Evidence, evidence_root: Path
) -> None:
    (evidence_root / uploaded.stored_as).unlink()
    assert api("office").get(f"/api/evidence/{uploaded.pk}").status_code == 404


def test_a_stored_path_outside_the_evidence_folder_is_never_served(
    api: Api, uploaded: Evidence
) -> None:
    Evidence.objects.filter(pk=uploaded.pk).update(stored_as="../../../../etc/passwd")
    assert api("office").get(f"/api/evidence/{uploaded.pk}").status_code == 404


def test_other_units_cannot_download(api: Api, uploaded: Evidence) -> None:
    assert api("unit_b").get(f"/api/evidence/{uploaded.pk}").status_code == 404
    assert api("group2").get(f"/api/evidence/{uploaded.pk}").status_code == 404


def test_files_are_named_by_content_not_by_the_uploader(
    uploaded: Evidence, evidence_root: Path
) -> None:
    assert "sign-in" not in uploaded.stored_as
    assert uploaded.sha256 in uploaded.stored_as
    assert (evidence_root / uploaded.stored_as).read_bytes() == real_pdf()
