"""GET /api/rounds/{id}/stats and GET /api/stats."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from xuncha.inspections.models import Round

pytestmark = pytest.mark.django_db


def test_round_stats_breakdowns(api: Api, seed_round: Round) -> None:
    body = api("office").get(f"/api/rounds/{seed_round.pk}/stats").json()
    assert set(body) == {"round", "today", "totals", "unit", "county", "group", "category",
                         "leader", "figures", "trend"}
    assert body["totals"]["total"] == 21
    row = body["unit"][0]
    assert set(row) == {"key", "label", "total", "statuses", "completion_rate",
                        "signed_off_rate", "levels", "late_plans", "figures", "recurrence"}
    assert set(row["levels"]) == {"overdue", "warning", "notice"}
    assert set(row["statuses"]) >= {"signed_off", "long_term", "not_started"}


def test_a_unit_gets_its_own_figures_only(api: Api, people: dict[str, Any],
                                          seed_round: Round) -> None:
    body = api("unit_b").get(f"/api/rounds/{seed_round.pk}/stats").json()
    assert [row["label"] for row in body["unit"]] == ["奇台县七户乡党委"]
    assert api("unit_b").get("/api/stats").json()["totals"]["total"] == body["totals"]["total"]


def test_committee_stats_filters(api: Api, seed_round: Round) -> None:
    client = api("office")
    assert client.get("/api/stats", {"committee": seed_round.committee_id}).json()[
        "totals"]["total"] == 21
    assert client.get("/api/stats", {"year": 2000}).json()["totals"]["total"] == 0
    bad = client.get("/api/stats", {"year": "next"})
    assert bad.status_code == 400 and bad.json()["field"] == "year"
