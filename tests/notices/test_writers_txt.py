from __future__ import annotations

from xuncha.notices.normalize import compare_form
from xuncha.notices.parse import parse_text
from xuncha.notices.writers.txt import render


def test_the_seed_round_trips_through_the_txt_writer(seed_notice, seed_text):
    assert compare_form(render(seed_notice)) == compare_form(seed_text)


def test_it_writes_official_full_width_punctuation(seed_notice):
    text = render(seed_notice)
    assert text.splitlines()[:2] == ["十二届昌吉州党委第五轮巡察7个乡镇（街道）", "整改进展情况"]
    assert "反馈问题：人才振兴问题突出。镇党委对长期存在的人才短缺，村“两委”" in text
    assert "87.2万元" in text


def test_what_it_writes_parses_back_to_the_same_notice(seed_notice):
    assert parse_text(render(seed_notice)) == seed_notice


def test_it_writes_each_paragraph_of_a_multi_paragraph_text_on_its_own_line(seed_notice):
    unit = seed_notice.units[0]
    pair = unit.problems[0]
    longer = pair.__class__(pair.problem, "第一段。\n第二段。")
    notice = seed_notice.replace(units=[unit.__class__(unit.name, unit.region, [longer])])
    assert "整改情况：第一段。\n第二段。\n" in render(notice)
    assert parse_text(render(notice)).units[0].problems[0].rectification == "第一段。\n第二段。"


def test_a_units_own_notice_is_written_in_its_shape_and_parses_back(seed_notice):
    from xuncha.notices.writers.compose import unit_notice

    for unit in seed_notice.units:
        notice = unit_notice(seed_notice, unit)
        text = render(notice)
        assert text.startswith(f"{notice.title}\n根据州党委巡察工作统一部署，")
        assert "\n（一）关于“" in text and "\n问题表现：" in text
        assert parse_text(text) == notice
