from __future__ import annotations

from typing import Any

from xuncha.inspections.models import Problem
from xuncha.similar.models import BandKey
from xuncha.similar.queries import recurrence_counts, recurrence_links


def test_imported_problems_get_band_keys(seed_round: Any) -> None:
    problems = Problem.objects.filter(round=seed_round).count()
    assert problems == 21
    assert BandKey.objects.filter(round_id=seed_round.pk).count() == problems * 8


def test_a_later_round_links_each_problem_to_its_earlier_twin(
    seed_round: Any, later_round: Any
) -> None:
    links = recurrence_links(later_round)
    earlier = {p.pk: p for p in Problem.objects.filter(round=seed_round)}
    best: dict[int, Any] = {}
    for link in links:
        best.setdefault(link.problem, link)
    assert len(best) == 21
    for pid, link in best.items():
        new = Problem.objects.get(pk=pid)
        old = earlier[link.earlier]
        assert (old.unit_id, old.order) == (new.unit_id, new.order)
        assert link.score == 1.0


def test_recurrence_counts_per_unit(seed_round: Any, later_round: Any) -> None:
    counts = recurrence_counts(later_round)
    per_unit: dict[int, int] = {}
    for unit_id in Problem.objects.filter(round=later_round).values_list("unit_id", flat=True):
        per_unit[unit_id] = per_unit.get(unit_id, 0) + 1
    assert counts == per_unit
    # The first round has nothing earlier.
    assert recurrence_counts(seed_round) == {}


def test_changing_a_text_moves_its_keys(seed_round: Any, later_round: Any) -> None:
    problem = Problem.objects.filter(round=later_round).order_by("pk").first()
    assert problem is not None
    problem.text = "食堂采购台账缺失，账实不符。"
    problem.save(update_fields=["text"])
    linked = {link.problem for link in recurrence_links(later_round)}
    assert problem.pk not in linked
    assert len(linked) == 20


def test_merging_units_moves_their_keys_to_the_merged_place(seed_round: Any, alice: Any) -> None:
    import datetime

    from xuncha.inspections.models import Inspection, PartyOrganisation, Round
    from xuncha.workflow.rounds import merge_units

    old = Problem.objects.get(round=seed_round, unit__name="木垒县东城镇党委", order=1)
    later = Round.objects.create(committee=seed_round.committee, term="十二届", number=6,
                                 inspection_start=datetime.date(2025, 3, 1))
    renamed = PartyOrganisation.objects.create(name="东城镇党委（新）")
    Inspection.objects.create(round=later, unit=renamed)
    new = Problem.objects.create(round=later, unit=renamed, order=1, text=old.text)
    assert recurrence_links(later) == []  # a unit without a region is its own place
    merge_units(alice, renamed, old.unit)
    assert [(link.problem, link.earlier) for link in recurrence_links(later)] == [
        (new.pk, old.pk)
    ]
