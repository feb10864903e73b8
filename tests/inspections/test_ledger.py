"""The ledger against the database: export a round, import an office's ledger into it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from tests.ledgers import offices
from xuncha.inspections.ledger import (
    deadline_levels,
    export_round,
    guess_round,
    import_ledger,
    round_ledger,
)
from xuncha.inspections.models import Measure, Problem, RectificationStatus, Round
from xuncha.ledgers import model as lm
from xuncha.ledgers.read import read_ledger
from xuncha.workflow.history import verify_chain, verify_states
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db


def first_problems(round_: Round) -> tuple[str, list[Problem]]:
    problem = Problem.objects.filter(round=round_).order_by("unit__name", "order").first()
    assert problem is not None
    unit = problem.unit.name
    return unit, list(Problem.objects.filter(round=round_, unit=problem.unit).order_by("order"))


def office_ledger(unit: str, problems: list[Problem], *, leader: str = "王书记",
                  status: str = "正在整改") -> bytes:
    """The unit's ledger as its office would keep it: title, merged problem cells, 存在问题."""
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    offices.fill(sheet, [
        [f"{unit}巡察反馈问题整改台账"],
        ["序号", "存在问题", "整改措施", "责任人", "完成时限", "整改状态", "整改进展"],
        [1, problems[0].text, "制定学习计划", leader, "2024年3月底", status, "已起草"],
        [None, None, "每月专题研讨", "王书记", "长期坚持", "长期坚持", None],
        [2, problems[1].text, "建立台账", "李镇长", datetime.date(2024, 4, 30), "未启动", None],
    ], merges=("A1:G1", "A3:A4", "B3:B4"))
    return offices.save(book)


def test_export_reads_back_as_the_rounds_problems(seed_round: Round) -> None:
    result = read_ledger(export_round(seed_round))

    assert result.ledger.title == f"{seed_round.display_name}反馈问题整改台账"
    texts = sorted(p.text for u in result.ledger.units for p in u.problems)
    assert texts == sorted(Problem.objects.filter(round=seed_round).values_list("text", flat=True))
    assert len(result.ledger.units) == 7


def test_export_of_one_unit(seed_round: Round) -> None:
    unit, problems = first_problems(seed_round)
    ledger = round_ledger(seed_round, problems[0].unit)
    assert [u.name for u in ledger.units] == [unit]
    assert [p.number for p in ledger.units[0].problems] == [str(p.order) for p in problems]


def test_import_creates_measures_with_history_then_changes_nothing(seed_round: Round) -> None:
    unit, problems = first_problems(seed_round)
    data = office_ledger(unit, problems)

    first = import_ledger(None, seed_round, read_ledger(data, "台账.xlsx"), filename="台账.xlsx")
    assert len(first.created) == 3 and first.updated == [] and len(first.unchanged) == 2
    study = Measure.objects.get(problem=problems[0], content="制定学习计划")
    assert (study.leader, study.due_date, study.status) == (
        "王书记", datetime.date(2024, 3, 31), RectificationStatus.IN_PROGRESS)
    assert study.progress.get().text == "已起草"
    assert Event.objects.filter(action=Action.MEASURE_ADDED).count() == 3
    added = Event.objects.get(action=Action.MEASURE_ADDED, measure=study)
    assert added.changes["progress"] == [None, "已起草"]
    assert not Event.objects.filter(action=Action.PROGRESS_REPORTED).exists()
    assert Problem.objects.get(pk=problems[0].pk).status == RectificationStatus.IN_PROGRESS

    events = Event.objects.count()
    second = import_ledger(None, seed_round, read_ledger(data, "台账.xlsx"), filename="台账.xlsx")
    assert not second.changed and len(second.unchanged) == 5
    assert "与数据库一致，未作任何更改" in second.summary()
    assert Event.objects.count() == events
    assert Measure.objects.filter(problem__round=seed_round).count() == 3


def test_a_changed_cell_updates_the_measure_with_history(seed_round: Round) -> None:
    unit, problems = first_problems(seed_round)
    import_ledger(None, seed_round, read_ledger(office_ledger(unit, problems)))

    report = import_ledger(None, seed_round,
                           read_ledger(office_ledger(unit, problems, leader="赵书记")))

    assert len(report.updated) == 1 and "措施1" in report.updated[0]
    study = Measure.objects.get(problem=problems[0], content="制定学习计划")
    assert study.leader == "赵书记" and study.version == 2
    event = Event.objects.filter(action=Action.MEASURE_EDITED).get()
    assert event.changes == {"leader": ["王书记", "赵书记"]}
    assert event.comment == "由整改台账导入"
    assert (event.round_id, event.problem_id, event.measure_id) == (None, problems[0].pk, study.pk)
    # The batched history is one unbroken chain, as if written event by event.
    assert list(verify_chain()) == []
    added = Event.objects.filter(action=Action.MEASURE_ADDED).order_by("id")
    assert [e.changes["content"][1] for e in added] == ["制定学习计划", "每月专题研讨", "建立台账"]


def test_new_progress_on_an_existing_measure_is_a_progress_report(seed_round: Round) -> None:
    unit, problems = first_problems(seed_round)
    import_ledger(None, seed_round, read_ledger(office_ledger(unit, problems)))
    result = read_ledger(office_ledger(unit, problems))
    result.ledger.units[0].problems[0].measures[0].progress = "已印发"

    report = import_ledger(None, seed_round, result)

    study = Measure.objects.get(problem=problems[0], content="制定学习计划")
    assert [p.text for p in study.progress.order_by("id")] == ["已起草", "已印发"]
    event = Event.objects.get(action=Action.PROGRESS_REPORTED)
    assert event.changes == {"progress": ["已起草", "已印发"]} and len(report.updated) == 1


def test_sign_off_is_not_taken_from_a_spreadsheet(seed_round: Round) -> None:
    unit, problems = first_problems(seed_round)
    report = import_ledger(None, seed_round,
                           read_ledger(office_ledger(unit, problems, status="已销号")))

    study = Measure.objects.get(problem=problems[0], content="制定学习计划")
    assert study.status == RectificationStatus.PENDING_REVIEW
    assert any(f.row == 3 and f.column == "F" and "须由巡察办" in f.reason
               for f in report.findings)
    # `xuncha audit verify` can explain every status the import set from its history.
    assert verify_states() == []


def test_a_long_term_cell_is_a_request_to_confirm(seed_round: Round) -> None:
    unit, problems = first_problems(seed_round)
    report = import_ledger(None, seed_round,
                           read_ledger(office_ledger(unit, problems, status="长期坚持")))

    study = Measure.objects.get(problem=problems[0], content="制定学习计划")
    assert study.status == RectificationStatus.LONG_TERM_REVIEW
    assert any("须由巡察办" in f.reason for f in report.findings)
    assert verify_states() == []


def test_dry_run_writes_nothing(seed_round: Round) -> None:
    unit, problems = first_problems(seed_round)
    events = Event.objects.count()

    report = import_ledger(None, seed_round, read_ledger(office_ledger(unit, problems)),
                           dry_run=True)

    assert len(report.created) == 3 and "试运行" in report.summary()
    assert Measure.objects.count() == 0 and Event.objects.count() == events


def test_new_problems_and_unknown_units(seed_round: Round) -> None:
    unit, problems = first_problems(seed_round)
    ledger = lm.Ledger(units=[
        lm.UnitLedger(unit, [lm.Problem("台账里新发现的问题", measures=[lm.Measure("新措施")])]),
        lm.UnitLedger("不存在的乡党委", [lm.Problem("别处的问题")]),
    ])
    from xuncha.ledgers.write import write_ledger

    report = import_ledger(None, seed_round, read_ledger(write_ledger(ledger)))

    created = Problem.objects.get(round=seed_round, text="台账里新发现的问题")
    assert created.order == len(problems) + 1 and created.measures.get().content == "新措施"
    assert any("不存在的乡党委" in f.reason and "不是" in f.reason for f in report.findings)
    assert not Problem.objects.filter(text="别处的问题").exists()


def test_units_match_by_short_name(seed_round: Round) -> None:
    unit, problems = first_problems(seed_round)
    place = unit.removesuffix("党委").removesuffix("党工委")
    ledger = lm.Ledger(units=[lm.UnitLedger(place, [lm.Problem(problems[0].text, measures=[
        lm.Measure("措施甲")])])])
    from xuncha.ledgers.write import write_ledger

    report = import_ledger(None, seed_round, read_ledger(write_ledger(ledger)))
    assert len(report.created) == 1
    assert guess_round(ledger) == seed_round


def test_only_the_office_imports(seed_round: Round) -> None:
    from xuncha.accounts.models import Role
    from xuncha.accounts.services import create_user

    unit, problems = first_problems(seed_round)
    user = create_user("carol", Role.UNIT, unit=unit, password="carol-unit-pw-1").user
    with pytest.raises(PermissionDenied):
        import_ledger(user, seed_round, read_ledger(office_ledger(unit, problems)))
    assert Measure.objects.count() == 0


def test_deadline_levels() -> None:
    levels = deadline_levels(datetime.date(2024, 3, 1))
    late = lm.Measure("x", deadline=lm.Deadline.on(datetime.date(2024, 2, 1)), status="in_progress")
    done = lm.Measure("x", deadline=lm.Deadline.on(datetime.date(2024, 2, 1)), status="signed_off")
    assert levels(late) == "overdue" and levels(done) == ""
    assert levels(lm.Measure("x")) == ""


def test_a_problem_or_measure_twice_in_one_ledger_is_stored_once(seed_round: Round) -> None:
    unit, problems = first_problems(seed_round)
    from xuncha.ledgers.write import write_ledger

    ledger = lm.Ledger(units=[lm.UnitLedger(unit, [
        lm.Problem(problems[0].text, measures=[lm.Measure("措施甲"), lm.Measure("措施甲")]),
        lm.Problem("新问题", measures=[lm.Measure("措施乙")])])])
    result = read_ledger(write_ledger(ledger, flat=False))
    # The same problem again, as a second sheet of the same unit would bring it.
    result.ledger.units[0].problems.append(lm.Problem("新问题", measures=[lm.Measure("措施乙")]))

    report = import_ledger(None, seed_round, result)

    assert Problem.objects.filter(round=seed_round, text="新问题").count() == 1
    assert Measure.objects.filter(content="措施甲").count() == 1
    assert Measure.objects.filter(content="措施乙").count() == 1
    assert len(report.created) == 3  # 措施甲, 新问题, 措施乙
    assert list(verify_chain()) == []


def many_measures(unit: str, problems: list[Problem], count: int) -> lm.Ledger:
    """`count` measures spread over the unit's first problem."""
    return lm.Ledger(units=[lm.UnitLedger(unit, [lm.Problem(problems[0].text, measures=[
        lm.Measure(f"第{n}项措施") for n in range(count)])])])


def test_import_and_export_tell_their_progress(seed_round: Round) -> None:
    from xuncha.ledgers.write import write_ledger

    unit, problems = first_problems(seed_round)
    result = read_ledger(write_ledger(many_measures(unit, problems, 1200)))
    calls: list[tuple[int, int]] = []

    def told(done: int, total: int) -> None:
        calls.append((done, total))
        if done == total:  # the end comes after the rows are stored
            assert Measure.objects.filter(problem=problems[0]).count() == 1200

    import_ledger(None, seed_round, result, progress=told)
    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]

    calls.clear()
    export_round(seed_round, progress=lambda done, total: calls.append((done, total)))
    dones = [done for done, _total in calls]
    assert dones == sorted(dones) and len(calls) >= 3
    assert calls[-1][0] == calls[-1][1] >= 2 * 1200  # the merged and the flat sheet


def test_a_dry_run_still_ends_its_progress(seed_round: Round) -> None:
    from xuncha.ledgers.write import write_ledger

    unit, problems = first_problems(seed_round)
    calls: list[tuple[int, int]] = []
    import_ledger(None, seed_round, read_ledger(write_ledger(many_measures(unit, problems, 3))),
                  dry_run=True, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(3, 3)] and Measure.objects.count() == 0


def test_imported_rows_are_searchable_as_a_rebuild_would_index_them(seed_round: Round,
                                                                    alice) -> None:
    from xuncha.search.index import rebuild
    from xuncha.search.models import SearchDoc
    from xuncha.search.queries import search

    unit, _problems = first_problems(seed_round)
    ledger = lm.Ledger(units=[lm.UnitLedger(unit, [lm.Problem("台账新增问题甲乙丙", measures=[
        lm.Measure("建立丁戊己制度", standard="庚辛标准", progress="壬癸进展")])])])
    from xuncha.ledgers.write import write_ledger

    import_ledger(None, seed_round, read_ledger(write_ledger(ledger)))

    kinds = {item["kind"] for word in ("甲乙丙", "丁戊己", "庚辛", "壬癸")
             for item in search(alice, word).items}
    assert kinds == {"problem", "measure", "progress"}
    docs = sorted(SearchDoc.objects.values_list("kind", "source_id", "problem_id", "body",
                                                "tokens"))
    rebuild()
    assert sorted(SearchDoc.objects.values_list("kind", "source_id", "problem_id", "body",
                                                "tokens")) == docs


def test_deadlines_as_written_and_notes_round_trip(seed_round: Round) -> None:
    from openpyxl import load_workbook

    from tests.ledgers.offices import fill, save

    unit, problems = first_problems(seed_round)
    book = Workbook()
    fill(book.active, [
        [f"{unit}巡察反馈问题整改台账"],
        ["序号", "存在问题", "整改措施", "责任人", "完成时限", "备注"],
        [1, problems[0].text, "制定学习计划", "王书记", "2024年3月底", "与宣传部共同推进"],
        [None, None, "每月专题研讨", "王书记", "长期坚持", None],
        [None, None, "建立制度", "王书记", "2024年底", None],
    ], merges=("A1:F1", "A3:A5", "B3:B5"))
    import_ledger(None, seed_round, read_ledger(save(book)))

    stored = {m.content: m for m in Measure.objects.filter(problem=problems[0])}
    plan, monthly, rules = stored["制定学习计划"], stored["每月专题研讨"], stored["建立制度"]
    assert (plan.due_date, plan.due_precision, plan.notes) == (
        datetime.date(2024, 3, 31), "month", "与宣传部共同推进")
    assert (monthly.due_date, monthly.due_long_term) == (None, True)
    assert (rules.due_date, rules.due_precision) == (datetime.date(2024, 12, 31), "year")

    exported = export_round(seed_round, problems[0].unit, lists=False)
    sheet = load_workbook(__import__("io").BytesIO(exported))["整改台账"]
    rows = {row[6]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    plan_row = rows["制定学习计划"]
    assert plan_row[9] == "2024年3月底" and plan_row[15] == "与宣传部共同推进"
    assert rows["每月专题研讨"][9] == "长期坚持" and rows["建立制度"][9] == "2024年底"
    again = import_ledger(None, seed_round, read_ledger(exported))
    assert not again.changed


def test_the_sign_off_day_is_exported_from_the_measure(seed_round: Round) -> None:
    _unit, problems = first_problems(seed_round)
    measure = Measure.objects.create(problem=problems[0], content="已销号的措施",
                                     status=RectificationStatus.SIGNED_OFF,
                                     signed_off_on=datetime.date(2024, 5, 6))
    ledger = round_ledger(seed_round, problems[0].unit)
    exported = next(m for p in ledger.units[0].problems for m in p.measures
                    if m.content == measure.content)
    assert exported.signed_off_on == datetime.date(2024, 5, 6)


def test_an_import_in_many_small_batches_keeps_every_row_and_link(
    seed_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of three rows: on PostgreSQL each is a COPY of its own in the second thread,
    with its foreign keys checked as it ends, so index rows must follow their problems."""
    from xuncha.inspections import bulk
    from xuncha.ledgers.write import write_ledger
    from xuncha.search.models import SearchDoc

    monkeypatch.setattr(bulk.Table, "BATCH", 3)
    unit, _problems = first_problems(seed_round)
    ledger = lm.Ledger(units=[lm.UnitLedger(unit, [
        lm.Problem(f"分批写入的问题{n}", measures=[
            lm.Measure(f"措施{n}-{m}", progress=f"进展{n}-{m}",
                       status=RectificationStatus.SIGNED_OFF if n % 2 else None)
            for m in range(2)])
        for n in range(7)])])
    report = import_ledger(None, seed_round, read_ledger(write_ledger(ledger)))

    assert len(report.created) == 7 + 14
    problems = Problem.objects.filter(round=seed_round, text__startswith="分批写入的问题")
    assert problems.count() == 7
    assert Measure.objects.filter(problem__in=problems).count() == 14
    assert SearchDoc.objects.filter(problem__in=problems).count() == 7 + 14 + 14
    # A new problem's status comes from its measures, written with it.
    assert {p.status for p in problems} == {RectificationStatus.NOT_STARTED,
                                            RectificationStatus.PENDING_REVIEW}
    assert not list(verify_chain())
