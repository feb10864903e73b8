from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.inspections.test_ledger import first_problems, office_ledger
from xuncha.inspections.models import Measure, Round
from xuncha.ledgers.read import read_ledger

pytestmark = pytest.mark.django_db


def _call(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_writes_the_round(seed_round: Round, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    assert "已写入" in _call("ledger", "export", str(seed_round.pk), "-o", str(target))
    result = read_ledger(target.read_bytes())
    assert sum(len(u.problems) for u in result.ledger.units) == 21


def test_export_of_one_unit(seed_round: Round, tmp_path: Path) -> None:
    unit, problems = first_problems(seed_round)
    target = tmp_path / "unit.xlsx"
    _call("ledger", "export", str(seed_round.pk), "--unit", unit, "-o", str(target))
    [only] = read_ledger(target.read_bytes()).ledger.units
    assert only.name == unit and len(only.problems) == len(problems)


def test_export_of_an_unknown_unit_or_round(seed_round: Round, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"不是.*巡察对象") as caught:
        _call("ledger", "export", str(seed_round.pk), "--unit", "无此单位", "-o",
              str(tmp_path / "x.xlsx"))
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="没有编号为 999 的巡察轮次"):
        _call("ledger", "export", "999", "-o", str(tmp_path / "x.xlsx"))


def test_dry_run_lists_changes_and_problems(seed_round: Round, tmp_path: Path) -> None:
    unit, problems = first_problems(seed_round)
    source = tmp_path / "台账.xlsx"
    source.write_bytes(office_ledger(unit, problems, status="已销号"))

    out = _call("ledger", "import", str(source), "--dry-run")

    lines = out.splitlines()
    assert sum(line.startswith("新建：") for line in lines) == 3
    assert sum(line.startswith("不变：") for line in lines) == 2
    assert any(line.startswith("问题：工作表“台账”第3行F列：") for line in lines)
    assert "试运行" in lines[-1]
    assert Measure.objects.count() == 0


def test_import_then_reimport(seed_round: Round, tmp_path: Path) -> None:
    unit, problems = first_problems(seed_round)
    source = tmp_path / "台账.xlsx"
    source.write_bytes(office_ledger(unit, problems))

    first = _call("ledger", "import", str(source), "--round", str(seed_round.pk))
    assert "新建3项" in first
    second = _call("ledger", "import", str(source), "--round", str(seed_round.pk))
    assert "未作任何更改" in second.splitlines()[-1]
    assert Measure.objects.count() == 3


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "文件是空的"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "密码"),
    ("反馈问题,整改措施\n".encode(), "CSV"),
])
def test_bad_files_exit_2_with_one_line(seed_round: Round, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str], content: bytes,
                                        reason: str) -> None:
    source = tmp_path / "bad.xlsx"
    source.write_bytes(content)
    with pytest.raises(SystemExit) as caught:
        call_command("ledger", "import", str(source), "--round", str(seed_round.pk))
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("bad.xlsx") and reason in err
    assert Measure.objects.count() == 0


def test_round_must_be_named_when_it_cannot_be_told(tmp_path: Path, db: None) -> None:
    from tests.ledgers import offices

    source = tmp_path / "t.xlsx"
    source.write_bytes(offices.township())
    with pytest.raises(CommandError, match="--round"):
        _call("ledger", "import", str(source))
