"""The API's round detail carries the imported notices' publication dates and figures."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.conftest import FIXTURES
from xuncha.inspections.importer import import_notice
from xuncha.inspections.models import Round
from xuncha.notices.parse import parse_document

pytestmark = pytest.mark.django_db


def _import(name: str, seed_round: Round) -> Round:
    """The notice's round, moved into the seed's committee: the API users' scope."""
    data = (FIXTURES / "real-shapes" / name).read_bytes()
    round_ = import_notice(parse_document(data, name), filename=name, content=data).round
    Round.objects.filter(pk=round_.pk).update(committee=seed_round.committee)
    return round_


def test_round_detail_lists_its_notices_with_figures(
    api: Api, people: dict[str, Any], seed_round: Round
) -> None:
    round_ = _import("50-figures-without-term.txt", seed_round)
    response = api("office").get(f"/api/rounds/{round_.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["term"], body["number"]) == ("昌吉州党委2022年第二轮巡察", "", 2)
    assert body["units"] == []
    [notice] = body["notices"]
    assert notice["filename"] == "50-figures-without-term.txt"
    assert notice["shape"] == "E"
    assert notice["incomplete"] is True and "未写明巡察届次" in notice["gaps"]
    assert notice["figures"] == {"problems": 416, "completed": 401, "completion_rate": 96.39,
                                 "measures": 958, "rules": 213, "accountable": 9,
                                 "recovered": 215.6}


def test_unstated_figures_are_null_and_the_date_keeps_its_precision(
    api: Api, people: dict[str, Any], seed_round: Round
) -> None:
    round_ = _import("54-unit-figures-only.txt", seed_round)
    [notice] = api("office").get(f"/api/rounds/{round_.pk}").json()["notices"]
    assert notice["published"] == "2024-12-10"
    assert notice["published_display"] == "2024年12月10日"
    assert notice["figures"]["accountable"] is None and notice["figures"]["rules"] == 9
    assert notice["incomplete"] is False and notice["gaps"] == ""
    seed = api("office").get(f"/api/rounds/{seed_round.pk}").json()
    assert [n["figures"]["problems"] for n in seed["notices"]] == [None]
