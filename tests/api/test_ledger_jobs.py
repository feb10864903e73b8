"""整改台账 through the API: preview (mapping + dry run), commit with corrections → a job,
watch it, export in the background and download."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import Api
from tests.jobs.ledger import UNIT, leader_override, office_ledger, unit_problems
from xuncha.inspections.models import Measure, Round
from xuncha.jobs import services
from xuncha.jobs.models import Job

pytestmark = pytest.mark.django_db


def _preview(api: Api, round_: Round, data: bytes, **extra: Any) -> Any:
    return api("office").post(f"/api/rounds/{round_.pk}/ledger/preview",
                              {"file": SimpleUploadedFile("台账.xlsx", data), **extra},
                              format="multipart")


def test_preview_then_commit_with_a_correction(seed_round: Round, api: Api) -> None:
    response = _preview(api, seed_round, office_ledger(seed_round))
    assert response.status_code == 201
    body = response.json()
    [sheet] = body["sheets"]
    assert sheet["title"] == "整改台账" and sheet["header_rows"] == [2, 2]
    mapped = {c["header"]: c["field"] for c in sheet["columns"]}
    assert mapped == {"序号": "number", "存在问题": "problem", "措施": "measure",
                      "主抓": "", "时限": "deadline", "整改状态": "status"}
    assert (body["dry_run"]["created"], body["dry_run"]["updated"]) == (5, 0)
    assert body["job"]["status"] == "draft"

    job = body["job"]["id"]
    response = api("office").post(f"/api/jobs/{job}/commit", {"overrides": leader_override()},
                                  format="json")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    again = api("office").post(f"/api/jobs/{job}/commit", {}, format="json")
    assert again.status_code == 400 and "不会重复导入" in again.json()["error"]

    services.run_import(job, "w1")
    progress = api("office").get(f"/api/jobs/{job}").json()
    assert progress["status"] == "succeeded" and progress["percent"] == 100
    assert progress["result"]["created"] == 5 and progress["download"] is None
    assert Measure.objects.filter(problem__unit__name=UNIT, leader="王书记").count() == 2


def test_overrides_given_with_the_upload_shape_the_preview(seed_round: Round, api: Api) -> None:
    body = _preview(api, seed_round, office_ledger(seed_round),
                    overrides=json.dumps(leader_override())).json()
    assert {c["header"]: c["field"] for c in body["sheets"][0]["columns"]}["主抓"] == "leader"


def test_a_bad_file_is_refused_in_one_line_and_kept_nowhere(seed_round: Round, api: Api) -> None:
    response = _preview(api, seed_round, b"")
    assert response.status_code == 400
    assert response.json() == {"error": "上传的文件是空的（0 字节），未导入", "field": "file"}
    encrypted = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
                 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"))
    error = _preview(api, seed_round, encrypted).json()["error"]
    assert error.startswith("台账.xlsx：文件设置了打开密码") and error.endswith("未导入")
    assert not Job.objects.exists()


def test_a_correction_that_leaves_no_problem_column_is_refused(
    seed_round: Round, api: Api
) -> None:
    job = _preview(api, seed_round, office_ledger(seed_round)).json()["job"]["id"]
    response = api("office").post(f"/api/jobs/{job}/commit",
                                  {"overrides": {"整改台账": {"problem": None}}}, format="json")
    assert response.status_code == 400 and "反馈问题" in response.json()["error"]
    assert Job.objects.get().status == Job.Status.DRAFT


def test_a_unit_exports_its_ledger_and_downloads_it(seed_round: Round, api: Api) -> None:
    unit = unit_problems(seed_round)[0].unit_id
    response = api("unit_a").post(f"/api/rounds/{seed_round.pk}/ledger/export",
                                  {"unit": unit}, format="json")
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["unit"], job["download"]) == ("queued", unit, None)
    services.run_export(job["id"], "w1")
    job = api("unit_a").get(f"/api/jobs/{job['id']}").json()
    assert job["download"] == f"/api/jobs/{job['id']}/download"
    download = api("unit_a").get(job["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert api("unit_b").get(job["download"]).status_code == 404


def test_a_big_ledger_or_background_true_is_previewed_by_a_job(
    seed_round: Round, api: Api, settings  # type: ignore[no-untyped-def]
) -> None:
    """202 with the job and no preview yet; once a worker has run it the job is a draft whose
    result holds what the inline answer would have (and commit waits for it)."""
    response = _preview(api, seed_round, office_ledger(seed_round), background="true")
    assert response.status_code == 202
    body = response.json()
    assert (body["sheets"], body["dry_run"], body["job"]["status"]) == (None, None, "to_preview")
    job = body["job"]["id"]
    early = api("office").post(f"/api/jobs/{job}/commit", {}, format="json")
    assert early.status_code == 400 and "预览尚未完成" in early.json()["error"]

    services.run_preview(job, "w1")
    done = api("office").get(f"/api/jobs/{job}").json()
    assert done["status"] == "draft"
    assert done["result"]["preview"]["dry_run"]["created"] == 5
    assert {c["header"]: c["field"] for c in
            done["result"]["preview"]["sheets"][0]["columns"]}["措施"] == "measure"

    settings.LEDGER_INLINE_PREVIEW_BYTES = 10  # any real ledger is "big" now
    assert _preview(api, seed_round, office_ledger(seed_round)).status_code == 202


def test_the_board_is_exported_in_the_background_for_its_roles(
    seed_round: Round, api: Api
) -> None:
    import io

    from openpyxl import load_workbook

    assert api("unit_a").post("/api/board/export", {}, format="json").status_code == 404
    bad = api("office").post("/api/board/export", {"by": "county"}, format="json")
    assert bad.status_code == 400
    response = api("office").post("/api/board/export", {"by": "leader"}, format="json")
    assert response.status_code == 202
    job = response.json()
    assert (job["kind"], job["round"], job["download"]) == ("board_export", None, None)
    services.run_board_export(job["id"], "w1")
    job = api("office").get(f"/api/jobs/{job['id']}").json()
    assert job["status"] == "succeeded", job["error"]
    download = api("office").get(job["download"])
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == ["汇总", "明细"]
    assert next(book["汇总"].iter_rows(values_only=True))[0] == "责任领导"
    assert api("supervisor").get(job["download"]).status_code == 404  # someone else's job
