from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, SEED


def _xuncha(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuncha.cli", *args], capture_output=True, text=True, timeout=60,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = _xuncha("--help")
    assert result.returncode == 0
    for command in ["serve", "demo", "parse", "import", "publish", "migrate"]:
        assert command in result.stdout


def test_it_prints_one_json_object_per_file() -> None:
    result = _xuncha("parse", "--json", str(SEED), str(FIXTURES / "b-letuyi-unit-notice.txt"))
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == 2
    seed = objects[0]
    assert seed["issuer"] == "昌吉州党委"
    assert (seed["term"], seed["round"]) == ("十二届", 5)
    assert (seed["inspection_start"], seed["inspection_end"]) == ("2023-08-29", "2023-10-26")
    assert seed["feedback_date"] == "2023-12"
    assert len(seed["units"]) == 7
    assert all(len(unit["problems"]) == 3 for unit in seed["units"])
    assert set(seed["units"][0]["problems"][0]) >= {"problem", "rectification"}
    assert objects[1]["feedback_date"] == "2023-12-15"


def test_without_flag_it_prints_indented_json() -> None:
    result = _xuncha("parse", str(SEED))
    assert result.returncode == 0
    assert json.loads(result.stdout)["shape"] == "A"


def test_a_file_that_is_not_a_notice_exits_2_with_one_line(tmp_path: Path) -> None:
    announcement = FIXTURES / "x-entry-announcement.txt"
    result = _xuncha("parse", str(announcement))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(str(announcement))
    assert "Traceback" not in result.stderr


def test_missing_empty_and_binary_files_are_each_named(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    result = _xuncha("parse", str(tmp_path / "missing.txt"), str(empty), str(binary), str(SEED))
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3
    assert "missing.txt" in errors[0] and "文件不存在" in errors[0]
    assert "empty.txt" in errors[1] and "空" in errors[1]
    assert "photo.txt" in errors[2]
    assert "Traceback" not in result.stderr
    # The good file is still parsed.
    assert json.loads(result.stdout)["issuer"] == "昌吉州党委"


def test_an_incomplete_notice_is_printed_with_a_warning_and_exit_0() -> None:
    cut = FIXTURES / "real-shapes" / "01-breadcrumb-page-cut-off.txt"
    result = _xuncha("parse", "--json", str(cut))
    assert result.returncode == 0, result.stderr
    notice = json.loads(result.stdout)
    assert notice["units"][0]["name"] == "青山县白河镇党委"
    assert notice["published"] == "2024-07-03"
    assert notice["completeness"]["missing"] == ["正文在第14行后中断"]
    assert result.stderr.strip() == f"{cut}: 警告：通报不完整：正文在第14行后中断"


def test_a_news_item_is_refused_with_what_it_is() -> None:
    news = FIXTURES / "real-shapes" / "18-feedback-meeting-news.txt"
    result = _xuncha("parse", str(news))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"{news} 第1行: 这是巡察反馈会（反馈情况）的新闻报道，不是整改情况通报")
