"""Publishing through the API: the wording's version check, 不宜公开, the drafter who cannot
approve, frozen bytes that match their hashes and never change, and who sees what."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import Api
from xuncha.inspections.models import Problem, ProblemPublication, PublishedNotice, Round
from xuncha.workflow import publishing

pytestmark = pytest.mark.django_db


def _rectification(problem: Problem) -> str:
    return f"/api/problems/{problem.pk}/rectification"


def test_a_stale_version_answers_409_and_overwrites_nothing(api: Api, problem_a: Problem) -> None:
    unit, office = api("unit_a"), api("office")
    read = unit.get(_rectification(problem_a)).json()
    assert read["version"] == 1 and read["text"] == "" and read["can_edit"] is True
    saved = unit.put(_rectification(problem_a), {"text": "一是建立包联机制。", "version": 1},
                     format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 2
    assert saved.json()["notice_text"] == "一是建立包联机制。"
    assert saved.json()["notice_source"] == "单位编辑稿"
    stale = office.put(_rectification(problem_a), {"text": "旧页面上的改写", "version": 1},
                       format="json")
    assert stale.status_code == 409
    assert "已被他人修改" in stale.json()["error"] and stale.json()["field"] == "version"
    assert stale.json()["current"]["text"] == "一是建立包联机制。"
    assert ProblemPublication.objects.get(problem=problem_a).text == "一是建立包联机制。"
    # With the version just read, the office's edit goes through.
    fresh = office.put(_rectification(problem_a), {"text": "巡察办改写。", "version": 2},
                       format="json")
    assert fresh.status_code == 200 and fresh.json()["version"] == 3


def test_the_drafter_cannot_approve_their_own_draft(
    api: Api, people: dict[str, Any], problem_a: Problem, seed_round: Round
) -> None:
    publishing.edit_rectification(people["office"], problem_a, text="巡察办起草的表述。",
                                  version=1)
    urls = [f"/api/rounds/{seed_round.pk}/publications",
            f"/api/rounds/{seed_round.pk}/units/{problem_a.unit_id}/publications"]
    for url in urls:
        refused = api("office").post(url, {}, format="json")
        assert refused.status_code == 403, url
        assert refused.json()["error"].startswith("起草人不能审批发布自己起草的通报")
    assert not PublishedNotice.objects.exists()
    for url in urls:
        approved = api("office2").post(url, {}, format="json")
        assert approved.status_code == 201, approved.content
        assert approved.json()["approved_by"]
    assert PublishedNotice.objects.count() == 2
    assert api("group1").post(urls[1], {}, format="json").status_code == 403


def test_frozen_bytes_match_the_published_hashes_and_never_change(
    api: Api, people: dict[str, Any], problem_a: Problem, seed_round: Round
) -> None:
    office = api("office")
    rnd = f"/api/rounds/{seed_round.pk}/publications"
    assert office.get(f"{rnd}/diff").status_code == 404  # nothing published yet
    created = office.post(rnd, {}, format="json").json()
    listed = office.get(rnd).json()
    assert [item["id"] for item in listed] == [created["id"]]
    files = {item["format"]: item for item in created["files"]}
    assert set(files) == set(publishing.FORMATS)
    joined = "".join(files[fmt]["sha256"] for fmt in publishing.FORMATS)
    assert created["sha256"] == hashlib.sha256(joined.encode()).hexdigest()
    before = {}
    for fmt in publishing.FORMATS:
        response = office.get(f"/api/publications/{created['id']}/download?fmt={fmt}")
        assert response.status_code == 200
        body = response.content
        assert hashlib.sha256(body).hexdigest() == files[fmt]["sha256"] == \
            response["X-Content-SHA256"]
        assert len(body) == files[fmt]["size"]
        before[fmt] = body
    assert office.get(f"{rnd}/diff").json()["changed"] is False

    publishing.edit_rectification(people["unit_a"], problem_a, text="新的整改情况表述。",
                                  version=1)
    diff = office.get(f"{rnd}/diff").json()
    assert diff["changed"] is True and diff["publication"]["id"] == created["id"]
    assert any("新的整改情况表述" in row["current"] and row["kind"] != "equal"
               for row in diff["rows"])
    assert not any("新的整改情况表述" in row["published"] for row in diff["rows"])
    for fmt in publishing.FORMATS:
        again = office.get(f"/api/publications/{created['id']}/download?fmt={fmt}").content
        assert again == before[fmt], fmt
    assert "新的整改情况表述".encode() not in before["txt"]
    bad = office.get(f"/api/publications/{created['id']}/download?fmt=exe")
    assert bad.status_code == 400 and bad.json()["field"] == "fmt"


def test_a_withheld_problem_is_left_out_of_what_is_released(
    api: Api, problem_a: Problem, seed_round: Round
) -> None:
    office, url = api("office"), f"/api/problems/{problem_a.pk}/disclosure"
    refused = office.put(url, {"withheld": True, "reason": " "}, format="json")
    assert refused.status_code == 400 and "须写明理由" in refused.json()["error"]
    denied = api("group1").put(url, {"withheld": True, "reason": "涉及在办案件"}, format="json")
    assert denied.status_code == 403 and denied.json()["error"] == "只有巡察办可以决定问题是否公开"
    marked = office.put(url, {"withheld": True, "reason": "涉及在办案件"}, format="json")
    assert marked.status_code == 200 and marked.json()["withheld"] is True
    created = office.post(f"/api/rounds/{seed_round.pk}/publications", {}, format="json").json()
    txt = office.get(f"/api/publications/{created['id']}/download?fmt=txt").content.decode()
    assert problem_a.text[:20] not in txt
    lifted = office.put(url, {"withheld": False}, format="json")
    assert lifted.json()["withheld"] is False and lifted.json()["withheld_reason"] == ""
    diff = office.get(f"/api/rounds/{seed_round.pk}/publications/diff").json()
    assert diff["changed"] is True
    assert any(problem_a.text[:20] in row["current"] for row in diff["rows"])


def test_a_unit_sees_only_its_own_problems_and_notice(
    api: Api, people: dict[str, Any], problem_a: Problem, seed_round: Round
) -> None:
    inspection = seed_round.inspections.get(unit_id=problem_a.unit_id)
    published = publishing.release(people["office"], seed_round, inspection)
    own = f"/api/rounds/{seed_round.pk}/units/{problem_a.unit_id}/publications"
    unit_a, unit_b = api("unit_a"), api("unit_b")
    assert [item["id"] for item in unit_a.get(own).json()] == [published.pk]
    assert unit_a.get(f"{own}/diff").json()["changed"] is False
    assert unit_b.get(own).status_code == 404
    assert unit_b.get(f"{own}/diff").status_code == 404
    assert unit_b.get(_rectification(problem_a)).status_code == 404
    put = unit_b.put(_rectification(problem_a), {"text": "越权", "version": 1}, format="json")
    assert put.status_code == 404
    # The whole round's notice (every unit's problems, as it would be published now) is not
    # a unit's to watch.
    assert unit_a.get(f"/api/rounds/{seed_round.pk}/publications/diff").status_code == 403
    assert unit_a.get(f"/api/rounds/{seed_round.pk}/publications").status_code == 403


def test_anonymous_gets_nothing(people: dict[str, Any], problem_a: Problem,
                                seed_round: Round) -> None:
    publishing.edit_rectification(people["unit_a"], problem_a, text="尚未发布的表述。",
                                  version=1)
    published = publishing.release(people["office"], seed_round)
    anonymous = APIClient()
    for url in (_rectification(problem_a),
                f"/api/rounds/{seed_round.pk}/publications",
                f"/api/rounds/{seed_round.pk}/publications/diff",
                f"/api/rounds/{seed_round.pk}/units/{problem_a.unit_id}/publications/diff",
                f"/api/publications/{published.pk}",
                f"/api/publications/{published.pk}/download?fmt=txt"):
        response = anonymous.get(url)
        assert response.status_code == 401, url
        assert "尚未发布的表述".encode() not in response.content
        assert problem_a.text[:20].encode() not in response.content
    assert anonymous.post(f"/api/rounds/{seed_round.pk}/publications", {},
                          format="json").status_code == 401
    assert PublishedNotice.objects.count() == 1
