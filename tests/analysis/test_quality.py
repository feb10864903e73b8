"""Rectification-quality flags, on hand-made texts and on the seed round's 21 problems."""

from __future__ import annotations

from pathlib import Path

from xuncha.analysis.quality import flags, key_facts, mismatch, unaddressed, vague
from xuncha.notices.parse import parse_document

SEED = Path(__file__).parents[1] / "fixtures" / "notices" / "seed-changji-r5.txt"


def test_set_phrases_without_anything_concrete_are_vague() -> None:
    flag = vague("镇党委高度重视，认真学习，进一步加强制度建设，切实加强监督。")
    assert flag is not None and flag.code == "vague"
    assert "高度重视" in flag.reason and "进一步加强" in flag.reason


def test_a_number_a_date_or_a_named_rule_makes_it_concrete() -> None:
    assert vague("高度重视，制定《村级财务管理办法》。") is None
    assert vague("高度重视，2024年3月前完成整改。") is None
    assert vague("高度重视，培训村干部二十名。") is None
    assert vague("制定培养计划，储备后备干部。") is None  # no set phrase at all
    assert vague("") is None


def test_key_facts_are_named_villages_numbers_funds_and_documents() -> None:
    facts = key_facts("2019年以来，郑家庄村、柳树庄村违规核销；9个村87.2万元固定资产未入账，"
                      "各村未执行《村级财务制度》，先后5次发放临时救助资金。")
    assert facts[:2] == ["郑家庄村", "柳树庄村"]
    assert {"9个", "87.2万元", "5次", "《村级财务制度》", "临时救助资金"} <= set(facts)
    assert "各村" not in facts and not any(f.startswith("2019") for f in facts)


def test_unaddressed_names_the_facts_left_out() -> None:
    problem = "郑家庄村、柳树庄村违规核销固定资产；9个村87.2万元固定资产未入账。"
    flag = unaddressed(problem, "已组织核实，9个村87.2万元固定资产已全部入账。")
    assert flag is not None and flag.reason == "整改情况未提及问题中的：郑家庄村、柳树庄村"
    assert unaddressed(problem, "郑家庄村、柳树庄村已整改；9个村87.2万元已入账") is None


def test_a_fund_is_answered_by_its_core_words() -> None:
    assert unaddressed("临时救助资金先发放后审批", "救助资金严格先审批后发放") is None


def test_done_but_still_going_on_is_a_mismatch() -> None:
    flag = mismatch("signed_off", "正在逐步完善制度")
    assert flag is not None and "正在" in flag.reason and "逐步" in flag.reason
    assert mismatch("in_progress", "已完成整改，持续巩固成效") is not None  # the text claims it
    assert mismatch("in_progress", "正在推进") is None
    assert mismatch("signed_off", "已制定制度并执行") is None


def test_flags_on_the_seed_round() -> None:
    notice = parse_document(SEED.read_bytes(), SEED.name)
    result = {
        index: [(f.code, f.reason) for f in flags(p.problem, p.rectification or "", "not_started")]
        for index, p in enumerate((p for u in notice.units for p in u.problems), start=1)
    }
    assert len(result) == 21
    flagged = {index: found for index, found in result.items() if found}
    # 13 names 油运基地智慧社区, which its rectification answers as 油运基地社区.
    assert set(flagged) == {4, 11, 19, 20, 21}
    assert all(code == "unaddressed" for found in flagged.values() for code, _ in found)
    assert flagged[21] == [("unaddressed", "整改情况未提及问题中的：郑家庄村、柳树庄村")]
    assert flagged[11] == [("unaddressed", "整改情况未提及问题中的：5次")]
