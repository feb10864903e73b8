"""The API's measure carries the ledger's fields: precision, 长期坚持, 备注, 销号日期."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Problem

pytestmark = pytest.mark.django_db


def test_create_read_and_patch_the_ledger_fields(api: Api, people: dict[str, Any],
                                                 problem_a: Problem) -> None:
    unit = api("unit_a")
    created = unit.post(f"/api/problems/{problem_a.pk}/measures",
                        {**MEASURE, "due_precision": "year", "due_date": "2024-12-31",
                         "notes": "备注一"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["due_precision"], body["due_display"], body["notes"], body["signed_off_on"]) == (
        "year", "2024年底", "备注一", None)

    patched = unit.patch(f"/api/measures/{body['id']}", {
        "version": body["version"], "due_long_term": True, "notes": ""}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["due_display"] == "2024年底前完成，长期坚持"
    assert patched.json()["notes"] == "" and patched.json()["due_precision"] == "year"

    bad = unit.patch(f"/api/measures/{body['id']}", {
        "version": patched.json()["version"], "due_precision": "week"}, format="json")
    assert bad.status_code == 400 and "完成时限精度" in bad.json()["error"]
