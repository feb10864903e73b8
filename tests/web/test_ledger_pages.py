"""The 整改台账 pages: upload → preview job (progress page) → preview (mapping, correction, dry
run; a correction is another preview job) → confirm → job page; bad files get one line in
Chinese and leave nothing behind; exports are jobs with a download."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from tests.jobs.ledger import LEADER_HEADER, UNIT, office_ledger, unit_problems
from tests.ledgers import offices
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Measure, Round
from xuncha.jobs import services
from xuncha.jobs.models import Job

pytestmark = pytest.mark.django_db

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def _client(name: str, role: Role, **scope: str) -> Client:
    client = Client()
    client.force_login(create_user(name, role, **scope).user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def office() -> Client:
    return _client("office", Role.OFFICE)


def _upload(client: Client, round_: Round, data: bytes, name: str = "台账.xlsx"):  # type: ignore[no-untyped-def]
    return client.post(reverse("ledger-upload", args=[round_.pk]),
                       {"file": SimpleUploadedFile(name, data)})


def _previewed(client: Client, round_: Round, data: bytes) -> Job:
    """Upload, and run the preview job the upload queued (a worker would)."""
    _upload(client, round_, data)
    job = Job.objects.get()
    services.run_preview(job.pk, "w1")
    job.refresh_from_db()
    return job


def _formulas_only() -> bytes:
    book = Workbook()
    book.active.append(["=A2", "=B2"])
    return offices.save(book)


@pytest.mark.parametrize(("data", "line"), [
    (b"just some text, not a workbook", "台账.xlsx：这是 CSV 或文本文件，不是 Excel 工作簿"),
    (b"", "上传的文件是空的（0 字节）"),
    (OLE + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"),
     "文件设置了打开密码"),
    (_formulas_only(), "只有公式"),
])
def test_a_bad_file_gets_one_chinese_line_and_nothing_is_kept(
    seed_round: Round, office: Client, data: bytes, line: str, settings  # type: ignore[no-untyped-def]
) -> None:
    response = _upload(office, seed_round, data)
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', html)
    assert len(errors) == 1 and line in errors[0], errors
    assert not Job.objects.exists()
    assert not settings.JOBS_ROOT.exists() or not any(settings.JOBS_ROOT.iterdir())


def test_upload_preview_correct_and_confirm(seed_round: Round, office: Client) -> None:
    response = _upload(office, seed_round, office_ledger(seed_round), "东城镇台账.xlsx")
    job = Job.objects.get()
    # The preview is a job too: its page shows the progress bar until a worker has done it.
    assert response.url == reverse("job-detail", args=[job.pk])  # type: ignore[attr-defined]
    assert job.status == Job.Status.TO_PREVIEW
    assert job.upload_path.is_file() and str(job.upload_path).startswith(str(job.folder))
    assert DBTaskResult.objects.get().task_path == "xuncha.tasks.preview_ledger"
    preview = reverse("ledger-preview", args=[job.pk])
    assert office.get(preview).url == response.url  # type: ignore[attr-defined]
    page = office.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert '<progress id="job-progress"' in page and "排队等候预览" in page
    services.run_preview(job.pk, "w1")
    assert office.get(response.url).url == preview  # type: ignore[attr-defined]

    page = office.get(preview).content.decode()
    assert f"<td>{LEADER_HEADER}</td>" in page
    unknown = page.split('name="map-0-D"')[1].split("</select>")[0]
    assert "selected" not in unknown  # 主抓 is not a header the reader knows
    assert '<option value="measure" selected>整改措施</option>' in page
    assert re.search(r'<dd id="count-created">5</dd>', page)

    choices = {f"map-0-{c}": f for c, f in zip("ABCDEF", ["number", "problem", "measure",
                                                          "leader", "deadline", "status"],
                                                strict=True)}
    response = office.post(preview, choices | {"action": "preview"})
    assert response.url == reverse("job-detail", args=[job.pk])  # type: ignore[attr-defined]
    job.refresh_from_db()
    assert job.overrides["整改台账"]["leader"] == "D" and job.status == Job.Status.TO_PREVIEW
    services.run_preview(job.pk, "w1")
    page = office.get(reverse("ledger-preview", args=[job.pk])).content.decode()
    assert '<option value="leader" selected>责任领导</option>' in page

    response = office.post(reverse("ledger-preview", args=[job.pk]),
                           choices | {"action": "commit"})
    assert response.url == reverse("job-detail", args=[job.pk])  # type: ignore[attr-defined]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert DBTaskResult.objects.order_by("enqueued_at").last().task_path == (  # type: ignore[union-attr]
        "xuncha.tasks.import_ledger")
    assert not Measure.objects.filter(problem__round=seed_round).exists()  # the worker writes

    page = office.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert '<progress id="job-progress"' in page and "xuncha/ledger-job.js" in page
    assert "排队等候" in page
    services.run_import(job.pk, "w1")
    page = office.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert "已完成" in page and "新建5项" in page and 'value="100"' in page
    leaders = Measure.objects.filter(problem__unit__name=UNIT).values_list("leader", flat=True)
    assert set(leaders) == {"王书记", "李镇长", "张副镇长"}


def test_a_confirmed_preview_leads_to_its_job(seed_round: Round, office: Client) -> None:
    job = _previewed(office, seed_round, office_ledger(seed_round))
    office.post(reverse("ledger-preview", args=[job.pk]), {"action": "commit"})
    again = office.post(reverse("ledger-preview", args=[job.pk]), {"action": "commit"})
    assert again.url == reverse("job-detail", args=[job.pk])  # type: ignore[attr-defined]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert DBTaskResult.objects.filter(task_path="xuncha.tasks.import_ledger").count() == 1


def test_round_and_unit_pages_offer_the_ledger_buttons(seed_round: Round, office: Client) -> None:
    page = office.get(reverse("round-detail", args=[seed_round.pk])).content.decode()
    assert 'id="ledger-export"' in page and 'id="ledger-import"' in page
    unit_a = _client("unit_a", Role.UNIT, unit=UNIT)
    page = unit_a.get(reverse("round-detail", args=[seed_round.pk])).content.decode()
    assert 'id="ledger-import"' not in page and 'id="ledger-export"' not in page
    unit = unit_problems(seed_round)[0].unit_id
    page = unit_a.get(reverse("unit-detail", args=[seed_round.pk, unit])).content.decode()
    assert 'id="ledger-export"' in page


def test_a_unit_exports_its_own_ledger_in_the_background(seed_round: Round) -> None:
    unit_a = _client("unit_a", Role.UNIT, unit=UNIT)
    unit = unit_problems(seed_round)[0].unit_id
    response = unit_a.post(reverse("unit-ledger-export", args=[seed_round.pk, unit]))
    job = Job.objects.get()
    assert response.url == reverse("job-detail", args=[job.pk])  # type: ignore[attr-defined]
    download = reverse("job-download", args=[job.pk])
    assert unit_a.get(download).status_code == 404  # not written yet
    services.run_export(job.pk, "w1")
    page = unit_a.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert download in page
    response = unit_a.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]
    assert "%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6.xlsx" in response["Content-Disposition"]
    # Another unit's user cannot see the job at all.
    unit_b = _client("unit_b", Role.UNIT, unit="奇台县七户乡党委")
    assert unit_b.get(download).status_code == 404


def test_a_correction_that_leaves_no_problem_column_can_be_undone(
    seed_round: Round, office: Client
) -> None:
    job = _previewed(office, seed_round, office_ledger(seed_round))
    preview = reverse("ledger-preview", args=[job.pk])
    office.post(preview, {"map-0-B": "", "map-0-C": "measure", "action": "preview"})
    services.run_preview(job.pk, "w1")
    page = office.get(preview)
    assert page.status_code == 400 and "反馈问题" in page.content.decode()
    office.post(preview, {"action": "reset"})
    services.run_preview(job.pk, "w1")
    assert office.get(preview).status_code == 200
    job.refresh_from_db()
    assert job.overrides == {} and job.status == Job.Status.DRAFT
