"""Bulk indexing: the fast tokens equal the reference ones, a full rebuild equals what the
signals keep, and writes that bypass the signals (bulk_create, the ledger import) are indexed
by ``index_problems``. Run with XUNCHA_DATABASE_URL=postgres://… too."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.contrib.auth.models import User

from xuncha.analysis.text import index_tokens, normalise
from xuncha.inspections.ledger import import_ledger
from xuncha.inspections.models import Measure, Problem, ProgressReport, Round
from xuncha.ledgers import model as lm
from xuncha.ledgers.read import read_ledger
from xuncha.ledgers.write import write_ledger
from xuncha.search import bulk, queries
from xuncha.search.models import SearchDoc
from xuncha.search.queries import search


def _index() -> set[tuple[Any, ...]]:
    return set(SearchDoc.objects.values_list("kind", "source_id", "problem_id", "body",
                                             "tokens"))


def test_fast_tokens_are_the_reference_tokens() -> None:
    rng = random.Random(5)
    alphabet = [*"资金党建两委村3A２０２３年ＡＢab，。 、；（）①㎡ﬁ_-'İẞß٣", *(
        chr(rng.randint(32, 0xD7FF)) for _ in range(2000))]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert bulk.normalise(text) == normalise(text)
        assert bulk.tokens(bulk.normalise(text)) == index_tokens(text)


@pytest.mark.django_db
def test_rebuild_all_equals_the_signals_and_keeps_them_working(seed_round: Round) -> None:
    unit = seed_round.problems.first().unit  # type: ignore[union-attr]
    problem = Problem.objects.create(round=seed_round, unit=unit, order=500, text="台账资金")
    measure = Measure.objects.create(problem=problem, content="清理三资台账", leader="张三")
    ProgressReport.objects.create(measure=measure, text="已清理资金", reported_on="2024-01-01")
    kept = _index()
    SearchDoc.objects.filter(problem=problem).delete()
    reported: list[int] = []
    assert bulk.rebuild_all(report=reported.append, every=10) == len(kept)
    assert _index() == kept
    assert reported[-1] == len(kept) and len(reported) > 2
    root = User.objects.create_superuser("root", password="x")
    assert {i["kind"] for i in search(root, "台账资金").items} == {"problem"}
    # The full-text index itself was rebuilt, and writes after it are still indexed.
    measure.content = "独一无二的措施"
    measure.save()
    assert [i["measure_id"] for i in search(root, "独一无二").items] == [measure.pk]


@pytest.mark.django_db
def test_index_problems_indexes_what_bulk_create_wrote(seed_round: Round) -> None:
    unit = seed_round.problems.first().unit  # type: ignore[union-attr]
    [problem] = Problem.objects.bulk_create([Problem(round=seed_round, unit=unit, order=600,
                                                     text="批量写入的问题")])
    [measure] = Measure.objects.bulk_create([Measure(problem=problem, content="批量写入的措施")])
    root = User.objects.create_superuser("root", password="x")
    assert search(root, "批量写入").count == 0  # bulk_create sends no signals
    assert bulk.index_problems([problem.pk, problem.pk]) == 2
    found = {(i["kind"], i["problem_id"]) for i in search(root, "批量写入").items}
    assert found == {("problem", problem.pk), ("measure", problem.pk)}
    assert measure.pk in {i["measure_id"] for i in search(root, "批量写入").items}
    bulk.index_problems([problem.pk])  # again: replaced, not doubled
    assert search(root, "批量写入").count == 2


@pytest.mark.django_db
def test_ledger_import_indexes_its_new_problems_and_measures(seed_round: Round) -> None:
    problem = seed_round.problems.order_by("unit__name", "order").first()
    assert problem is not None
    ledger = lm.Ledger(units=[lm.UnitLedger(problem.unit.name, [
        lm.Problem("台账里新发现的问题", measures=[lm.Measure("新建的蓝莓档案")]),
        lm.Problem(problem.text, measures=[lm.Measure("补建的蓝莓台账")]),
    ])])
    import_ledger(None, seed_round, read_ledger(write_ledger(ledger)))
    root = User.objects.create_superuser("root", password="x")
    assert {i["kind"] for i in search(root, "新发现").items} == {"problem"}
    hits = search(root, "蓝莓").items
    assert {i["kind"] for i in hits} == {"measure"} and len(hits) == 2
    assert problem.pk in {i["problem_id"] for i in hits}


@pytest.mark.django_db
def test_more_matches_than_the_cap_are_said_to_be_more(
    seed_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = User.objects.create_superuser("root", password="x")
    full = search(root, "村", page_size=100)
    assert full.count_exact and full.facets_exact and full.count > 6
    monkeypatch.setattr(queries, "MATCH_CAP", 5)
    capped = search(root, "村", page_size=100)
    assert not capped.count_exact and not capped.facets_exact
    assert capped.count == len(capped.items) == 5
    # The newest five of the full set, ranked; facets count those five.
    newest = sorted(full.items, key=lambda i: -i["problem_id"])[:5]
    assert {i["problem_id"] for i in capped.items} <= {i["problem_id"] for i in full.items}
    assert {i["problem_id"] for i in capped.items} == {i["problem_id"] for i in newest}
    assert sum(e["count"] for e in capped.facets["status"]) == 5
    # A narrower search under the cap is exact again.
    unit = next(e for e in full.facets["unit"] if e["count"] <= 5)
    narrowed = search(root, "村", {"unit": unit["value"]})
    assert narrowed.count_exact and narrowed.count == unit["count"]


@pytest.mark.django_db
def test_generate_builds_the_search_index() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("generate", "--problems", "40", "--seed", "2", stdout=out)
    assert "检索索引已重建" in out.getvalue()
    problems = set(Problem.objects.values_list("pk", flat=True))
    indexed = set(SearchDoc.objects.filter(kind="problem").values_list("source_id", flat=True))
    assert problems and indexed == problems
    assert SearchDoc.objects.filter(kind="measure").count() == Measure.objects.exclude(
        content="", standard="", leader="", department="").count()
