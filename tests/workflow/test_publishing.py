"""Publishing: 整改成效 figures, the unit's wording, 不宜公开, and frozen versions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.workflow.conftest import MEASURE, PDF
from xuncha.inspections.figures import totals
from xuncha.inspections.models import Inspection, Problem, PublishedNotice, Round, RuleMade
from xuncha.inspections.publication import NOT_YET, Source, rectification_of
from xuncha.notices import writers
from xuncha.notices.parse import parse_document
from xuncha.workflow import publishing, services
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db
ISSUED = datetime.date(2024, 6, 20)


def _signed_off(people: dict[str, Any], problem: Problem, **figures: Any) -> None:
    unit, office = people["unit_a"], people["office"]
    measure = services.add_measure(unit, problem, MEASURE)
    services.submit_plan(unit, problem)
    services.decide_plan(office, problem, "approve")
    services.report_progress(unit, measure, content="培养计划已印发，储备后备干部42名",
                             status="done", files=[("计划.pdf", PDF)], figures=figures)
    services.review_measure(office, measure, "approve", "同意销号")


def _inspection(round_: Round) -> Inspection:
    return round_.inspections.get(unit__name="木垒县东城镇党委")


def test_figures_are_recorded_with_history_and_totalled(people, problem_a, seed_round) -> None:
    _signed_off(people, problem_a, disciplined=2, organisational="1", recovered="12.5",
                clearance_kind="funds", cleared="3",
                rules=[{"name": "东城镇村级后备干部管理办法", "adopted_on": "2024-03-01"},
                       "东城镇包村联户工作方案"])
    unit_totals = totals(_inspection(seed_round))
    people_counted = (unit_totals.disciplined, unit_totals.organisational, unit_totals.accountable)
    assert people_counted == (2, 1, 3)
    assert unit_totals.recovered == Decimal("12.50")
    assert unit_totals.rules == 2 and unit_totals.completed == 1
    assert unit_totals.problems == Problem.objects.filter(
        round=seed_round, unit=problem_a.unit).count()
    rule = RuleMade.objects.get(name="东城镇村级后备干部管理办法")
    assert rule.adopted_on == datetime.date(2024, 3, 1)
    assert totals(seed_round).rules == 2
    assert totals(seed_round).problems == 21
    event = Event.objects.filter(action=Action.PROGRESS_REPORTED).latest("pk")
    assert event.changes["recovered"] == [None, "12.50"]
    assert "东城镇包村联户工作方案" in event.changes["rules"][1]


@pytest.mark.parametrize(("figures", "field"), [
    ({"disciplined": "-1"}, "disciplined"),
    ({"recovered": "十万"}, "recovered"),
    ({"recovered": "1.234"}, "recovered"),
    ({"cleared": "3"}, "clearance_kind"),
    ({"clearance_kind": "bogus"}, "clearance_kind"),
    ({"rules": [{"name": ""}]}, "rules"),
    ({"rules": [{"name": "制度", "adopted_on": "2024-13-01"}]}, "rules"),
])
def test_bad_figures_are_refused_naming_the_field(people, problem_a, figures, field) -> None:
    unit, office = people["unit_a"], people["office"]
    measure = services.add_measure(unit, problem_a, MEASURE)
    services.submit_plan(unit, problem_a)
    services.decide_plan(office, problem_a, "approve")
    with pytest.raises(services.ServiceError) as caught:
        services.report_progress(unit, measure, content="推进", status="in_progress",
                                 figures=figures)
    assert caught.value.field == field
    assert not measure.progress.exists()


def test_the_rectification_is_drafted_from_signed_off_progress(people, seed_round) -> None:
    problem = Problem.objects.get(round=seed_round, unit__name="木垒县东城镇党委", order=1)
    problem.published_rectification = ""
    problem.save()
    assert rectification_of(problem) == (NOT_YET, Source.DRAFTED)
    _signed_off(people, problem)
    assert rectification_of(Problem.objects.get(pk=problem.pk)) == (
        "一是培养计划已印发，储备后备干部42名。", Source.DRAFTED)


def test_imported_problems_keep_their_published_text_until_the_unit_edits(people, problem_a):
    published = problem_a.published_rectification
    assert rectification_of(problem_a) == (published, Source.PUBLISHED)
    publishing.edit_rectification(people["unit_a"], problem_a, text="一是新措辞。", version=1)
    assert rectification_of(Problem.objects.get(pk=problem_a.pk)) == ("一是新措辞。", Source.EDITED)
    with pytest.raises(services.StaleEdit):
        publishing.edit_rectification(people["unit_a"], problem_a, text="旧页面", version=1)
    with pytest.raises(PermissionDenied):
        publishing.edit_rectification(people["unit_b"], problem_a, text="别人", version=2)
    assert Event.objects.filter(action=Action.RECTIFICATION_EDITED).count() == 1


def test_the_drafter_cannot_approve_their_own_draft(people, problem_a, seed_round) -> None:
    office, office2 = people["office"], people["office2"]
    publishing.edit_rectification(office, problem_a, text="巡察办改写的整改情况。", version=1)
    with pytest.raises(PermissionDenied):
        publishing.release(office, seed_round, issued=ISSUED)
    assert not PublishedNotice.objects.exists()
    assert publishing.release(office2, seed_round, issued=ISSUED).number == 1


def test_only_the_office_releases(people, seed_round) -> None:
    for name in ("group1", "unit_a", "supervisor"):
        with pytest.raises(PermissionDenied):
            publishing.release(people[name], seed_round, issued=ISSUED)


def test_a_release_freezes_every_format_and_later_changes_do_not_touch_it(
    people, problem_a, seed_round
) -> None:
    office = people["office"]
    first = publishing.release(office, seed_round, issued=ISSUED)
    files = {f.format: bytes(f.content) for f in first.files.all()}
    assert set(files) == {"txt", "html", "docx", "pdf"}
    assert first.approved_by == office and first.approved_at is not None
    assert publishing.difference(first) == []
    for fmt in ("docx", "pdf"):
        assert parse_document(files[fmt], f"n.{fmt}") == publishing.current_notice(seed_round)
    publishing.edit_rectification(people["unit_a"], problem_a, text="整改后的新说法。", version=1)
    again = PublishedNotice.objects.get(pk=first.pk)
    assert {f.format: bytes(f.content) for f in again.files.all()} == files
    rows = publishing.difference(again)
    assert any("整改后的新说法" in row.current and row.kind != "equal" for row in rows)
    second = publishing.release(office, seed_round, issued=ISSUED)
    assert second.number == 2 and second.sha256 != first.sha256
    assert publishing.difference(second) == []
    assert Event.objects.filter(action=Action.NOTICE_PUBLISHED).count() == 2


def test_withheld_problems_are_left_out_of_the_public_text(people, problem_a, seed_round) -> None:
    office = people["office"]
    with pytest.raises(services.ServiceError):
        publishing.set_disclosure(office, problem_a, withheld=True, reason="")
    with pytest.raises(PermissionDenied):
        publishing.set_disclosure(people["group1"], problem_a, withheld=True, reason="涉密")
    publishing.set_disclosure(office, problem_a, withheld=True, reason="涉及在办案件")
    event = Event.objects.get(action=Action.DISCLOSURE_CHANGED)
    assert event.changes["withheld"] == [False, True] and event.comment == "涉及在办案件"
    published = publishing.release(office, seed_round, issued=ISSUED)
    text = publishing.frozen_text(published)
    assert problem_a.text[:20] not in text
    other = Problem.objects.get(round=seed_round, unit=problem_a.unit, order=2)
    assert other.text[:20] in writers.render(publishing.current_notice(seed_round), "txt") \
        or other.text[:20].replace(",", "，") in text


def test_a_units_notice_is_released_with_its_figures(people, problem_a, seed_round) -> None:
    _signed_off(people, problem_a, disciplined=1, recovered="2")
    inspection = _inspection(seed_round)
    published = publishing.release(people["office"], seed_round, inspection, issued=ISSUED)
    back = parse_document(bytes(published.files.get(format="pdf").content), "u.pdf")
    assert back.shape == "C"
    assert (back.figures.accountable, back.figures.recovered, back.figures.completed) == (1, 2.0, 1)
    assert publishing.latest(seed_round) is None
    assert publishing.latest(seed_round, inspection) == published


def test_the_audit_still_verifies_after_publishing_events(people, problem_a, seed_round) -> None:
    from tests.workflow.test_audit_tampering import verify

    _signed_off(people, problem_a, disciplined=1, rules=["东城镇制度"])
    publishing.edit_rectification(people["unit_a"], problem_a, text="新措辞。", version=1)
    publishing.set_disclosure(people["office"], problem_a, withheld=True, reason="涉密")
    publishing.release(people["office"], seed_round, issued=ISSUED)
    code, out = verify()
    assert code == 0, out
