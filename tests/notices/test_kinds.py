from __future__ import annotations

import pytest

from xuncha.notices.kinds import (
    ENTRY_ANNOUNCEMENT,
    FEEDBACK_NEWS,
    FOLLOW_UP_NEWS,
    MOBILISATION_NEWS,
)
from xuncha.notices.model import NoticeError
from xuncha.notices.parse import parse_text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("关于县委第一巡察组进驻某镇的公告\n根据县委统一部署，县委第一巡察组对某镇党委开展常规巡察。",
         ENTRY_ANNOUNCEMENT),
        ("根据县委统一部署，县委第一巡察组已进驻某镇。巡察期间受理来信来电来访。\n值班电话：0000",
         ENTRY_ANNOUNCEMENT),
        ("县委第二巡察组向某乡党委反馈巡察情况\n5月8日，县委第二巡察组召开反馈会。", FEEDBACK_NEWS),
        ("5月8日，县委第二巡察组向某乡党委反馈巡察情况。反馈指出，该乡存在一些问题。",
         FEEDBACK_NEWS),
        ("某县开展巡察整改回访督查\n近日，县委巡察办对12个单位开展整改回访督查。", FOLLOW_UP_NEWS),
        ("县委第五轮巡察工作动员部署会召开\n8月26日，会议对本轮巡察作出部署。", MOBILISATION_NEWS),
        ("8月26日，县委召开第五轮巡察工作动员会，派出4个巡察组。", MOBILISATION_NEWS),
    ],
)
def test_it_says_what_a_text_that_is_not_a_notice_is(text, reason):
    with pytest.raises(NoticeError) as caught:
        parse_text(text)
    assert caught.value.message == reason


def test_a_list_page_is_refused_with_how_many_articles_it_lists():
    page = "\n".join(f"关于第{n}轮巡察整改进展情况的通报 2024-0{n}-01" for n in range(1, 7))
    with pytest.raises(NoticeError) as caught:
        parse_text(page)
    assert caught.value.message.startswith("这是文章列表页（列出6篇文章）")


def test_a_notice_that_mentions_the_feedback_meeting_is_still_a_notice():
    notice = parse_text(
        "中共某镇委员会关于巡察整改进展情况的通报\n"
        "县委巡察组召开反馈会向某镇党委反馈了巡察意见，现将整改进展情况予以公布。\n"
        "（一）关于“甲”的问题\n整改情况：已改。\n")
    assert notice.problem_count == 1
