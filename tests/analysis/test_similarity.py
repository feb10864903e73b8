"""The similarity core on real problem texts: the seed notice and the corpus's unit notice."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from xuncha.analysis import similarity as s
from xuncha.analysis.similarity import Text

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "xuncha" / "demo" / "changji-12-5.txt"
LETUYI = ROOT / "tests" / "fixtures" / "notices" / "b-letuyi-unit-notice.txt"


def _seed_problems() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return [line.split(":", 1)[1] for line in lines if line.startswith("反馈问题:")]


def _letuyi_problems() -> list[str]:
    lines = LETUYI.read_text(encoding="utf-8").splitlines()
    return [line.split("：", 1)[1] for line in lines if line.startswith("问题表现：")]


def test_normal_form_folds_width_numbers_and_punctuation() -> None:
    assert s.normalise("３个村，共 12.5 万元；ＡＢc") == "#个村共#万元abc"
    assert s.normalise("2019年以来,9个村") == s.normalise("２０２１年以来，3个村")


def test_the_unit_notice_reads_as_the_seed_problem_despite_full_width() -> None:
    seed = [Text.of(i, text) for i, text in enumerate(_seed_problems())]
    letuyi = _letuyi_problems()
    assert len(letuyi) == 3
    for text in letuyi:
        mine = Text.of(-1, text)
        best = max(seed, key=lambda other: s.jaccard(set(mine.pairs), set(other.pairs)))
        match = s.compare(mine, best)
        assert match is not None and match.score == 1.0
        # Same text, same band keys: the index finds the pair for certain.
        assert s.keys_for(text) == s.keys_for(_seed_problems()[best.id])


def test_different_seed_problems_stay_apart_at_the_default_threshold() -> None:
    texts = [Text.of(i, text) for i, text in enumerate(_seed_problems())]
    matches = [s.compare(a, b) for a, b in itertools.combinations(texts, 2)]
    assert [m for m in matches if m is not None] == []


def test_a_reworded_problem_matches_and_names_the_shared_words() -> None:
    a = Text.of(1, "村级后备力量不足，3个村“两委”干部年龄偏大，后备干部培养不够。")
    b = Text.of(2, "村级后备力量不足,5个村两委干部年龄偏大、后备干部储备少。")
    match = s.compare(a, b)
    assert match is not None
    assert 0.5 <= match.score < 1.0
    assert "村级后备力量" in match.terms
    assert {"干部年龄偏大", "后备干部", "两委"} <= set(match.terms)
    # Set phrases alone are no explanation.
    assert "不足" not in match.terms


def test_unlike_texts_score_under_the_threshold() -> None:
    a = Text.of(1, "村级后备力量不足，后备干部培养不够。")
    b = Text.of(2, "食堂采购台账缺失，账实不符。")
    assert s.compare(a, b) is None
    assert s.compare(a, b, threshold=0.0) is None  # nothing shared at all


def test_signature_and_bands_are_stable_and_sized() -> None:
    keys = s.keys_for(_seed_problems()[0])
    assert len(keys) == s.BANDS
    assert keys == s.keys_for(_seed_problems()[0])
    assert all(0 <= key < 2**63 for key in keys)
    # Band numbers sit in the top bits: equal values in two bands are two keys.
    assert len({key >> 56 for key in keys}) == s.BANDS
    assert s.keys_for("。，！") == []
    assert len(s.keys_for("党建")) == s.BANDS  # one pair still fills every band


@pytest.mark.parametrize("score", [0.3, 0.5, 0.8])
def test_band_collisions_follow_the_lsh_curve(score: float) -> None:
    """Texts of a given Jaccard score share a band about as often as 1-(1-s^2)^8 predicts."""
    import random

    rng = random.Random(7)
    alphabet = [chr(0x4E00 + i) for i in range(3000)]
    hits = 0
    trials = 300
    for _ in range(trials):
        shared = [rng.choice(alphabet) + rng.choice(alphabet) for _ in range(60)]
        total = round(60 / score)
        extra = total - 60
        salt = rng.random()  # fresh unshared pairs every trial
        a = set(shared) | {f"a{salt}{i}" for i in range(extra // 2)}
        b = set(shared) | {f"b{salt}{i}" for i in range(extra - extra // 2)}
        if set(s.band_keys(s.signature(a))) & set(s.band_keys(s.signature(b))):
            hits += 1
    expected = 1 - (1 - score**2) ** s.BANDS
    assert abs(hits / trials - expected) < 0.12


def test_candidate_pairs_come_from_shared_keys_only() -> None:
    pairs = s.candidate_pairs({1: [10, 11], 2: [11, 12], 3: [13], 4: [10]})
    assert pairs == {(1, 2), (1, 4)}


def test_groups_are_stars_around_the_best_connected_problem() -> None:
    texts = {
        1: Text.of(1, "村级后备力量不足，后备干部培养不够。"),
        2: Text.of(2, "村级后备力量不足，后备干部培养不够，年龄偏大。"),
        3: Text.of(3, "村级后备力量不足，后备干部培养滞后。"),
        4: Text.of(4, "食堂采购台账缺失，账实不符。"),
        5: Text.of(5, "食堂采购台账缺失，账实不符，票据不全。"),
    }
    matches = [m for a, b in itertools.combinations(texts.values(), 2)
               if (m := s.compare(a, b)) is not None]
    groups = s.group(texts, matches)
    assert sorted(sorted(g.members) for g in groups) == [[1, 2, 3], [4, 5]]
    first = next(g for g in groups if 1 in g.members)
    assert "村级后备力量" in first.terms
