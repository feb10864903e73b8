"""整改评估 scoring and benchmarks: pure, no database."""

from __future__ import annotations

import pytest

from xuncha.analysis.evaluation import (
    RoundFigures,
    UnitFacts,
    Weights,
    WeightsError,
    benchmarks,
    combine,
    completion,
    evaluate,
    timeliness,
)

DONE = UnitFacts(1, "甲镇党委", {"signed_off": 3, "basically_done": 1}, measures=6,
                 flags=0, recurrences=0, rules=4, accountable=2, recovered=10.0)
LATE = UnitFacts(2, "乙镇党委", {"in_progress": 2, "not_started": 2}, measures=6, overdue=3,
                 late_plans=1, signed_late=1, flags=2, recurrences=1, rules=0)


def test_completion_counts_each_status_by_its_credit() -> None:
    component = completion(DONE)
    assert component.value == 90.0  # (3×1 + 1×0.6) ÷ 4
    assert component.working == "(3×1 + 1×0.6) ÷ 4 × 100 = 90"
    assert completion(LATE).value == 15.0  # (2×0.3) ÷ 4


def test_timeliness_counts_overdue_late_plans_and_late_sign_offs() -> None:
    assert timeliness(LATE).value == 50.0  # 1 − (3 + 1 + 1) ÷ (6 + 4)
    assert timeliness(DONE).value == 100.0


def test_units_are_ranked_by_the_weighted_score() -> None:
    first, second = evaluate([LATE, DONE])
    assert (first.facts.unit, first.rank, second.rank) == ("甲镇党委", 1, 2)
    # 甲: completion 90, timeliness 100, quality 100, recurrence 100, effect 100 (best in all).
    assert first.score == round((40 * 90 + 20 * 100 + 15 * 100 + 10 * 100 + 15 * 100) / 100, 1)
    assert second.component("quality").value == 50.0
    assert second.component("effect").value == 0.0


def test_a_component_without_data_is_left_out_of_the_score() -> None:
    unknown = UnitFacts(3, "丙镇党委", {"signed_off": 2}, measures=2, recurrences=None)
    [score] = evaluate([unknown])
    assert score.component("recurrence").value is None
    assert score.component("effect").value is None  # nobody recorded 整改成效
    # Only completion, timeliness and quality count: all 100.
    assert score.score == 100.0
    assert combine(score.components) == 100.0


def test_equal_scores_share_a_rank_and_weights_change_the_order() -> None:
    twin = UnitFacts(4, "丁镇党委", dict(DONE.statuses), measures=6, recurrences=0, rules=4,
                     accountable=2, recovered=10.0)
    ranks = [s.rank for s in evaluate([DONE, twin, LATE])]
    assert ranks == [1, 1, 3]
    only_quality = Weights(completion=0, timeliness=0, quality=100, recurrence=0, effect=0)
    slow = UnitFacts(5, "戊镇党委", {"not_started": 2}, measures=0)
    assert [s.facts.unit for s in evaluate([LATE, slow], only_quality)] == ["戊镇党委", "乙镇党委"]


def test_weights_must_be_whole_numbers_adding_up_to_100() -> None:
    assert Weights.read({"completion": "50", "timeliness": 20, "quality": 10, "recurrence": 10,
                         "effect": 10}).completion == 50
    with pytest.raises(WeightsError, match="之和须为 100，现为 110"):
        Weights.read({"completion": 50, "timeliness": 30, "quality": 10, "recurrence": 10,
                      "effect": 10})
    with pytest.raises(WeightsError) as refused:
        Weights.read({"completion": "四十", "timeliness": 20, "quality": 15, "recurrence": 10,
                      "effect": 15})
    assert refused.value.field == "completion"
    with pytest.raises(WeightsError, match="0 到 100"):
        Weights.read({"completion": -10, "timeliness": 50, "quality": 30, "recurrence": 15,
                      "effect": 15})
    assert sum(Weights().as_dict().values()) == 100


def test_benchmarks_set_a_round_beside_others_and_their_median() -> None:
    this = RoundFigures(1, "本轮", "昌吉州党委", 7, 21, 14, 7, {"党建": 14, "民生": 7})
    others = [RoundFigures(2, "甲", "县委", 4, 10, 5, 5, {"党建": 5, "民生": 5}),
              RoundFigures(3, "乙", "市委", None, 30, 27, None, {}),
              RoundFigures(4, "丙", "区委", 2, 6, 6, 12, {"民生": 6})]
    result = benchmarks(this, others)
    assert result["this"]["problems_per_unit"] == 3.0
    assert result["this"]["completion_rate"] == round(14 / 21, 4)
    assert result["this"]["rules_per_problem"] == round(7 / 21, 2)
    assert result["this"]["category_mix"] == {"党建": round(14 / 21, 4), "民生": round(7 / 21, 4)}
    assert result["others"][1]["problems_per_unit"] is None
    assert result["median"]["problems_per_unit"] == 2.75  # of 2.5 and 3.0
    assert result["median"]["completion_rate"] == 0.9  # of 0.5, 0.9, 1.0
    assert result["median"]["category_mix"] == {"党建": 0.25, "民生": 0.75}
