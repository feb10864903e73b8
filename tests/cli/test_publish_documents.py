"""`xuncha publish --format docx|pdf`: 公文 files of the round and of each unit, read back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xuncha.inspections.models import Round
from xuncha.inspections.publishing import round_notice, unit_notice_of
from xuncha.notices.parse import parse_document
from xuncha.notices.writers import pdf

pytestmark = pytest.mark.django_db


def _publish(*args: str) -> str:
    out = io.StringIO()
    call_command("publish", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_round_notice_reads_back_into_the_databases_facts(
    seed_round: Round, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"notice.{fmt}"
    assert f"已写入 {target}" in _publish(str(seed_round.pk), "--format", fmt, "-o", str(target))
    assert parse_document(target.read_bytes(), target.name) == round_notice(seed_round)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_units_notice_reads_back_into_the_databases_facts(
    seed_round: Round, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"unit.{fmt}"
    _publish(str(seed_round.pk), "--format", fmt, "--unit", "奇台县七户乡党委",
             "--date", "2024-06-20", "-o", str(target))
    notice = parse_document(target.read_bytes(), target.name)
    whole = round_notice(seed_round)
    inspection = seed_round.inspections.get(unit__name="奇台县七户乡党委")
    # The headline figures (整改成效) come first: our parser reads it as shape "C".
    assert notice == unit_notice_of(inspection)
    assert notice.shape == "C"
    assert notice.figures.problems == len(whole.units[1].problems)
    assert notice.units[0].name == "奇台县七户乡党委"
    assert [p.problem for p in notice.units[0].problems] == [
        p.problem for p in whole.units[1].problems]


def test_the_date_under_the_signature_can_be_set(seed_round: Round, tmp_path: Path) -> None:
    target = tmp_path / "notice.docx"
    _publish(str(seed_round.pk), "--format", "docx", "--date", "2023-12-26", "-o", str(target))
    import docx

    paragraphs = [p.text for p in docx.Document(str(target)).paragraphs if p.text]
    assert paragraphs[-2:] == ["中共昌吉州委员会", "2023年12月26日"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "docx"], "docx 是二进制文件，请用 -o 指定输出文件"),
        (["--format", "txt", "--unit", "某某镇党委"], "本轮没有被巡察单位“某某镇党委”"),
        (["--format", "txt", "--date", "2024-02-30"], "--date 不是有效日期：2024-02-30"),
    ],
)
def test_it_says_what_is_wrong(seed_round: Round, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as error:
        _publish(str(seed_round.pk), *args)
    assert error.value.returncode == 2


def test_without_chinese_fonts_a_pdf_is_refused_with_the_packages_to_install(
    seed_round: Round, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "FONT_DIRS", (tmp_path,))
    with pytest.raises(CommandError, match=r"没有可嵌入的中文字体.*fonts-arphic-gbsn00lp"):
        _publish(str(seed_round.pk), "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_a_role_without_its_font_is_named_on_stderr(
    seed_round: Round, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    song = pdf.resolve_fonts()["body"].path
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / song.name).symlink_to(song)
    monkeypatch.setattr(pdf, "FONT_DIRS", (fonts,))
    err = io.StringIO()
    call_command("publish", str(seed_round.pk), "--format", "pdf", "-o",
                 str(tmp_path / "x.pdf"), stdout=io.StringIO(), stderr=err)
    assert "黑体（一级标题）缺少合适字体" in err.getvalue()
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")
