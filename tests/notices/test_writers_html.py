from __future__ import annotations

import lxml.html

from xuncha.notices.model import ProblemPair, UnitSection
from xuncha.notices.parse import parse_document
from xuncha.notices.writers.html import render


def test_it_writes_a_complete_self_contained_page(seed_notice):
    page = render(seed_notice)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    root = lxml.html.document_fromstring(page)
    assert root.findtext(".//title") == "十二届昌吉州党委第五轮巡察7个乡镇（街道）整改进展情况"
    assert not root.xpath("//script|//link|//img|//*[@src]|//*[@href]")
    assert len(root.xpath("//h2")) == 7


def test_what_it_writes_parses_back_to_the_same_units_and_problems(seed_notice):
    notice = parse_document(render(seed_notice).encode("utf-8"), "x.html")
    assert notice.units == seed_notice.units
    assert notice == seed_notice


def test_it_escapes_text(seed_notice):
    unit = UnitSection("某县<甲>镇党委", "某县", [ProblemPair("a<b & \"c\"", "<script>x</script>")])
    page = render(seed_notice.replace(units=[unit]))
    assert "<script>" not in page
    assert "a&lt;b &amp; &quot;c&quot;" in page
    notice = parse_document(page.encode("utf-8"), "x.html")
    assert notice.units[0].problems == unit.problems


def test_a_units_own_notice_is_a_page_of_its_shape_that_parses_back(seed_notice):
    from xuncha.notices.writers.compose import unit_notice

    notice = unit_notice(seed_notice, seed_notice.units[3])
    page = render(notice)
    root = lxml.html.document_fromstring(page)
    assert root.findtext(".//h1") == notice.title
    assert root.xpath("//h2/text()") == ["一、巡察反馈问题整改落实情况"]
    assert len(root.xpath("//h3")) == len(notice.units[0].problems)
    assert root.xpath('//p[@class="signature"]/text()') == ["中共阜康市阜新街道工作委员会"]
    assert parse_document(page.encode("utf-8"), "unit.html") == notice
