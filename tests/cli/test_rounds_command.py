from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from xuncha.cli import USAGE
from xuncha.inspections.models import Round

pytestmark = pytest.mark.django_db


def _call() -> list[str]:
    out = io.StringIO()
    call_command("rounds", stdout=out)
    return out.getvalue().splitlines()


def test_it_lists_each_round_with_its_id_and_counts(seed_round: Round) -> None:
    sixth = Round.objects.create(committee=seed_round.committee, term="十二届", number=6,
                                 title="第六轮")
    header, *rows = _call()
    assert header.split("\t")[0] == "编号"
    assert rows == [
        f"{seed_round.pk}\t昌吉州党委\t十二届第5轮\t{seed_round.title}\t7\t21",
        f"{sixth.pk}\t昌吉州党委\t十二届第6轮\t第六轮\t0\t0",
    ]


def test_it_says_so_when_there_is_no_round() -> None:
    assert _call() == ["还没有巡察轮次（可用 xuncha import 导入通报，或在网页上新建轮次）"]


def test_the_usage_names_it() -> None:
    assert "  rounds " in USAGE


def test_a_round_imported_without_term_or_number_shows_what_it_has(seed_round: Round) -> None:
    bare = Round.objects.create(committee=seed_round.committee, term="", number=None,
                                identity="进驻2024-04至2024-06")
    numbered = Round.objects.create(committee=seed_round.committee, term="", number=2,
                                    identity="第2轮|进驻2024-05至2024-06")
    rows = _call()[1:]
    assert f"{bare.pk}\t昌吉州党委\t—\t昌吉州党委巡察\t0\t0" in rows
    assert f"{numbered.pk}\t昌吉州党委\t第2轮\t昌吉州党委第二轮巡察\t0\t0" in rows
