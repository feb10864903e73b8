"""`xuncha release ROUND_ID --by USERNAME` and `xuncha publish --unit NAME --report`."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Problem, PublishedNotice, Round
from xuncha.inspections.publishing import round_notice
from xuncha.notices.parse import parse_document
from xuncha.workflow import publishing

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_release_freezes_every_format_like_the_button(seed_round: Round) -> None:
    create_user("office", Role.OFFICE)
    out = _run("release", str(seed_round.pk), "--by", "office", "--date", "2024-06-20")
    published = PublishedNotice.objects.get()
    assert f"已发布第1版：{published.title}" in out
    assert published.sha256 in out and published.issued.isoformat() == "2024-06-20"
    pdf = bytes(published.files.get(format="pdf").content)
    assert parse_document(pdf, "n.pdf") == round_notice(seed_round)
    assert "已发布第2版" in _run("release", str(seed_round.pk), "--by", "office")


def test_release_of_a_units_notice(seed_round: Round) -> None:
    create_user("office", Role.OFFICE)
    _run("release", str(seed_round.pk), "--by", "office", "--unit", "奇台县七户乡党委")
    assert PublishedNotice.objects.get().inspection.unit.name == "奇台县七户乡党委"


@pytest.mark.parametrize(("args", "message"), [
    (["--by", "nobody"], "没有名为 nobody 的有效用户"),
    (["--by", "unit"], "只有巡察办可以审批发布通报"),
    (["--by", "drafter"], "起草人不能审批发布自己起草的通报"),
    (["--by", "office", "--unit", "不存在党委"], "本轮没有被巡察单位"),
])
def test_release_refuses_with_one_line_and_exit_code_2(
    seed_round: Round, args: list[str], message: str
) -> None:
    create_user("office", Role.OFFICE)
    create_user("unit", Role.UNIT, unit="奇台县七户乡党委")
    drafter = create_user("drafter", Role.OFFICE).user
    problem = Problem.objects.filter(round=seed_round).order_by("pk")[0]
    publishing.edit_rectification(drafter, problem, text="巡察办起草。", version=1)
    with pytest.raises(CommandError) as caught:
        _run("release", str(seed_round.pk), *args)
    assert message in str(caught.value) and caught.value.returncode == 2
    assert not PublishedNotice.objects.exists()


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_publish_report_writes_the_units_report(
    seed_round: Round, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"report.{suffix}"
    out = _run("publish", str(seed_round.pk), "--unit", "奇台县七户乡党委", "--report",
               "--date", "2024-06-20", "-o", str(target))
    assert f"已写入 {target}" in out
    data = target.read_bytes()
    if suffix == "docx":
        text = "".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert "关于十二届昌吉州党委第五轮巡察反馈意见整改情况的报告" in text
        assert "2024年6月20日" in text
    else:
        assert data.startswith(b"%PDF-")


def test_publish_report_needs_a_unit_and_a_document_format(seed_round: Round) -> None:
    with pytest.raises(CommandError, match="须与 --unit 同用"):
        _run("publish", str(seed_round.pk), "--report", "-o", "x.docx")
    with pytest.raises(CommandError, match="只有 docx 和 pdf"):
        _run("publish", str(seed_round.pk), "--unit", "奇台县七户乡党委", "--report",
             "-o", "x.txt")
