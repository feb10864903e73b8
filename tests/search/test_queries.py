"""Search on the database in use (run the file with XUNCHA_DATABASE_URL=postgres://… too):
exactly the rows containing each word, in the user's scope, filtered, counted, ranked."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuncha.analysis.text import normalise
from xuncha.inspections.models import Measure, Problem, ProgressReport, Round
from xuncha.search.index import measure_text, problem_text
from xuncha.search.models import SearchDoc
from xuncha.search.queries import FACETS, search

pytestmark = pytest.mark.django_db

WORDS = ["资金", "党建", "两委", "村级", "后备干部", "三资", "集体经济", "公示", "审批", "台账",
         "3A", "３Ａ", "2023年", "２０２３年", "15个", "Ab", "管理", "资", "金", "村", "委员",
         "会议记录", "民主", "专项", "补贴", "A级", "x", "年"]
GLUE = ["，", ",", "。", "、", " ", "　", "；", "（", "）", "“", "”", "", "", "", "的", "和", "未",
        "存在", "不到位", "问题"]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(WORDS) + rng.choice(GLUE) for _ in range(rng.randint(1, 12)))
        for _ in range(count)
    ]


@pytest.fixture
def corpus(seed_round: Round) -> dict[tuple[str, int], str]:
    """A few hundred varied texts as problems, rectifications, measures and progress,
    written through the ORM (so the index is kept by the same path as in use)."""
    texts = iter(_texts(7, 400))
    unit = seed_round.problems.first().unit  # type: ignore[union-attr]
    for order in range(100, 200):
        problem = Problem.objects.create(
            round=seed_round, unit=unit, order=order, text=next(texts),
            published_rectification=next(texts) if order % 2 else "",
        )
        measure = Measure.objects.create(problem=problem, content=next(texts), leader="张三")
        ProgressReport.objects.create(measure=measure, text=next(texts),
                                      reported_on="2024-01-01")
    return _every_text()


def _every_text() -> dict[tuple[str, int], str]:
    """(kind, source id) -> text, for every searchable text in the database."""
    rows: dict[tuple[str, int], str] = {}
    for problem in Problem.objects.all():
        rows[("problem", problem.pk)] = problem_text(problem.heading, problem.text)
        if problem.published_rectification.strip():
            rows[("rectification", problem.pk)] = problem.published_rectification
    for measure in Measure.objects.all():
        rows[("measure", measure.pk)] = measure_text(
            measure.content, measure.standard, measure.leader, measure.department
        )
    for report in ProgressReport.objects.all():
        rows[("progress", report.pk)] = report.text
    return rows


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser("root", password="x")


def _found(user: Any, query: str, **filters: Any) -> set[tuple[str, int]]:
    result = search(user, query, filters, page=1, page_size=10_000)
    assert len(result.items) == result.count
    return {
        (item["kind"], item["measure_id"] or item["progress_id"] or item["problem_id"])
        for item in result.items
    }


@pytest.mark.parametrize("word", sorted(set(WORDS) | {"委员会", "资金资", "a", "2023", "3a级"}))
def test_single_word_finds_exactly_the_texts_containing_it(
    corpus: dict[tuple[str, int], str], root: User, word: str
) -> None:
    expected = {key for key, text in corpus.items() if normalise(word) in normalise(text)}
    assert _found(root, word) == expected
    assert len(corpus) > 300


def test_several_words_mean_all_of_them_whatever_the_separator(
    corpus: dict[tuple[str, int], str], root: User
) -> None:
    expected = {key for key, text in corpus.items()
                if "资金" in normalise(text) and "两委" in normalise(text)}
    assert expected
    for query in ["资金 两委", "资金，两委", "资金、两委", " 两委　资金 ", "资金,两委。"]:
        assert _found(root, query) == expected, query


def test_a_word_absent_from_every_text_finds_nothing(corpus: Any, root: User) -> None:
    assert _found(root, "巡视") == set()
    assert search(root, "，。 ").count == 0


def test_the_index_follows_edits_and_deletions(corpus: Any, root: User) -> None:
    problem = Problem.objects.filter(order=100).get()
    problem.text = "独一无二的表述"
    problem.save()
    assert _found(root, "独一无二") == {("problem", problem.pk)}
    measure = problem.measures.get()
    measure.content = "独一无二的措施"
    measure.save(update_fields=["content"])
    assert _found(root, "独一无二") == {("problem", problem.pk), ("measure", measure.pk)}
    measure.delete()  # and its progress with it
    assert _found(root, "独一无二") == {("problem", problem.pk)}
    assert not SearchDoc.objects.filter(kind="progress", problem=problem).exists()


def test_a_unit_finds_only_its_own_unit(people: dict[str, Any], seed_round: Round) -> None:
    everywhere = search(people["office"], "村", page_size=100)
    own = search(people["unit_a"], "村", page_size=100)
    units = {item["unit"]["name"] for item in everywhere.items}
    assert len(units) > 1
    assert own.count > 0
    assert {item["unit"]["name"] for item in own.items} == {"木垒县东城镇党委"}
    assert {entry["label"] for entry in own.facets["unit"]} == {"木垒县东城镇党委"}


def test_filters_and_facet_counts_agree(people: dict[str, Any], seed_round: Round) -> None:
    office = people["office"]
    result = search(office, "村")
    assert sum(entry["count"] for entry in result.facets["unit"]) == result.count
    assert sum(entry["count"] for entry in result.facets["status"]) == result.count
    for name in ("unit", "county", "category", "round", "status"):
        for entry in result.facets[name]:
            assert search(office, "村", {name: entry["value"]}).count == entry["count"], name


def test_snippets_mark_the_words_and_escape_the_text(people: dict[str, Any]) -> None:
    problem = Problem.objects.first()
    assert problem is not None
    problem.text = "<script>资金</script>台账"
    problem.save()
    [item] = [i for i in search(people["office"], "资金 台账").items if i["kind"] == "problem"]
    assert item["snippet"] == "&lt;script&gt;<mark>资金</mark>&lt;/script&gt;<mark>台账</mark>"


def test_rectification_measure_and_progress_are_found(people: dict[str, Any],
                                                      problem_a: Problem) -> None:
    from tests.workflow.conftest import MEASURE
    from xuncha.workflow import services

    services.add_measure(people["unit_a"], problem_a, MEASURE | {"content": "修订财务报销制度"})
    kinds = {item["kind"] for item in search(people["unit_a"], "财务报销").items}
    assert kinds == {"measure"}
    assert "rectification" in {i["kind"] for i in search(people["office"], "后备干部").items}


def test_more_matches_of_a_word_rank_higher(root: User, seed_round: Round) -> None:
    unit = seed_round.problems.first().unit  # type: ignore[union-attr]
    once = Problem.objects.create(round=seed_round, unit=unit, order=900,
                                  text="台账不全，其他方面存在问题较多需要整改落实到位")
    often = Problem.objects.create(round=seed_round, unit=unit, order=901,
                                   text="台账台账台账")
    ids = [item["problem_id"] for item in search(root, "台账").items]
    assert ids.index(often.pk) < ids.index(once.pk)


def test_query_count_does_not_grow_with_the_data(corpus: Any, root: User,
                                                 seed_round: Round) -> None:
    search(root, "资金")  # the user's profile is fetched once and kept on the user
    with CaptureQueriesContext(connection) as before:
        search(root, "资金", page_size=50)
    unit = seed_round.problems.first().unit  # type: ignore[union-attr]
    for order, text in enumerate(_texts(11, 150), start=1000):
        problem = Problem.objects.create(round=seed_round, unit=unit, order=order, text=text)
        measure = Measure.objects.create(problem=problem, content=text)
        ProgressReport.objects.create(measure=measure, text=text, reported_on="2024-01-01")
    with CaptureQueriesContext(connection) as after:
        search(root, "资金", page_size=50)
    # the match (PostgreSQL, whole index in scope: the newest id, the newest rows, a second
    # walk below them when the hit rate says the cap is within reach, the index below that),
    # the page, its measure and progress texts, facet labels, county names
    assert len(before) == len(after) <= 12


def test_an_empty_search_still_names_every_facet(seed_round: Round, alice: Any) -> None:
    # Schemathesis found `?status=` answering "facets": {} against a schema naming each one.
    result = search(alice, "", {})
    assert result.count == 0 and result.facets == {name: [] for name in FACETS}
