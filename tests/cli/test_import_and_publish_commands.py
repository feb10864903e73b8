from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import FIXTURES, SEED
from xuncha.inspections.models import Problem, Round
from xuncha.notices.normalize import compare_form

pytestmark = pytest.mark.django_db


def _call(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_reports_what_it_created_then_that_nothing_changed() -> None:
    first = _call("import", str(SEED))
    assert "新建巡察轮次1个" in first and "新建反馈问题21个" in first
    second = _call("import", str(SEED))
    assert "已导入过，未作任何更改" in second
    assert Problem.objects.count() == 21


def test_import_of_a_bad_file_exits_2_and_still_imports_the_good_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", str(FIXTURES / "x-entry-announcement.txt"), str(SEED), stdout=out)
    assert exit_info.value.code == 2
    assert "x-entry-announcement.txt" in capsys.readouterr().err
    assert Round.objects.count() == 1


def test_publish_txt_round_trips_the_seed(seed_round: Round) -> None:
    text = _call("publish", str(seed_round.pk), "--format", "txt")
    assert compare_form(text) == compare_form(SEED.read_text(encoding="utf-8"))


def test_publish_html_writes_a_file_that_parses_back(seed_round: Round, tmp_path: Path) -> None:
    from xuncha.notices.parse import parse_document

    target = tmp_path / "notice.html"
    assert "已写入" in _call("publish", str(seed_round.pk), "--format", "html", "-o", str(target))
    notice = parse_document(target.read_bytes(), target.name)
    assert notice.problem_count == 21
    assert notice.units[3].name == "阜康市阜新街道党工委"


def test_publish_of_an_unknown_round_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="没有编号为 42 的巡察轮次"):
        call_command("publish", "42")


def test_demo_loads_the_seed_and_prints_each_password_once() -> None:
    from django.contrib.auth import get_user_model

    first = _call("demo")
    assert "新建反馈问题21个" in first
    second = _call("demo")
    assert "已导入过" in second and "已存在" in second
    users = get_user_model().objects
    for username in ["office", "group1", "dongcheng", "qihu", "jiwei"]:
        line = next(line for line in first.splitlines() if line.strip().startswith(username + " "))
        password = line.split()[1]
        assert password not in second
        assert users.get(username=username).check_password(password)
    assert users.get(username="dongcheng").profile.unit.name == "木垒县东城镇党委"
    assert users.get(username="group1").profile.group.inspections.get().unit.name == (
        "木垒县东城镇党委"
    )


def test_import_of_an_incomplete_notice_stores_it_and_warns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cut = FIXTURES / "real-shapes" / "01-breadcrumb-page-cut-off.txt"
    out = _call("import", str(cut))
    assert "新建反馈问题2个" in out
    assert "来源文件标为不完整" in capsys.readouterr().err
    assert Problem.objects.count() == 2


def test_import_of_a_notice_without_term_stores_it_warns_and_is_idempotent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = FIXTURES / "real-shapes" / "47-year-named-round-unit.txt"
    out = _call("import", str(path))
    assert "县委2024年第一轮巡察" in out and "新建反馈问题3个" in out
    err = capsys.readouterr().err
    assert "通报未写明巡察届次" in err and "来源文件标为不完整" in err
    assert "已导入过，未作任何更改" in _call("import", str(path))
    assert (Round.objects.count(), Problem.objects.count()) == (1, 3)
