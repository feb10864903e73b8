"""The round page shows the figures its imported notices state, and rounds without 届/轮."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import FIXTURES
from xuncha.inspections.importer import import_notice
from xuncha.inspections.models import Round
from xuncha.notices.parse import parse_document

pytestmark = pytest.mark.django_db

REAL = FIXTURES / "real-shapes"


def _import(name: str) -> Round:
    data = (REAL / name).read_bytes()
    return import_notice(parse_document(data, name), filename=name, content=data).round


def _page(client: Client, round_: Round) -> str:
    response = client.get(reverse("round-detail", args=[round_.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_figures_only_round_without_term_shows_its_figures(alice_client: Client) -> None:
    html = _page(alice_client, _import("50-figures-without-term.txt"))
    assert "<h1>西坪区委2022年第二轮巡察</h1>" in html
    assert "<dt>届次</dt><dd>未写明</dd>" in html
    assert "<dt>轮次</dt><dd>第2轮</dd>" in html
    block = html[html.index('id="notice-figures"'):]
    assert "通报所列数据" in block
    for label, value in (("反馈问题", "416个"), ("已完成整改", "401个"), ("整改完成率", "96.39%"),
                         ("制定整改措施", "958条"), ("建立完善制度", "213项"), ("问责", "9人"),
                         ("挽回经济损失", "215.6万元")):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in block
    assert "内容不完整：通报未写明巡察届次" in block


def test_the_publication_date_is_shown_with_the_figures(alice_client: Client) -> None:
    html = _page(alice_client, _import("54-unit-figures-only.txt"))
    assert "54-unit-figures-only.txt，发布于2024年12月10日" in html
    assert "<dt>整改完成率</dt><dd>88.9%</dd>" in html


def test_a_round_whose_notices_state_no_figures_has_no_block(
    alice_client: Client, seed_round: Round
) -> None:
    assert 'id="notice-figures"' not in _page(alice_client, seed_round)


def test_a_round_with_neither_term_nor_number_reads_sensibly(alice_client: Client) -> None:
    html = _page(alice_client, _import("49-inspection-without-round.txt"))
    assert "<h1>市委2024年巡察</h1>" in html
    assert "<dt>轮次</dt><dd>未写明</dd>" in html
    assert "第None轮" not in html and "None" not in html.split("<main", 1)[-1]
    listing = alice_client.get(reverse("round-list")).content.decode()
    assert "市委2024年巡察" in listing


def test_the_round_notice_of_a_round_without_term_downloads(alice_client: Client) -> None:
    round_ = _import("48-district-round-without-term.txt")
    response = alice_client.get(reverse("round-notice", args=[round_.pk, "txt"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("白石区委第三轮巡察\n整改进展情况\n")
    assert "None" not in text


def test_the_edit_page_of_a_round_without_term_asks_for_it(alice_client: Client) -> None:
    round_ = _import("49-inspection-without-round.txt")
    response = alice_client.get(reverse("round-edit", args=[round_.pk]))
    assert response.status_code == 200
    assert 'name="term"' in response.content.decode()
