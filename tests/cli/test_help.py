"""`xuncha --help` names every command xuncha itself adds."""

from __future__ import annotations

from pathlib import Path

import pytest

import xuncha
from xuncha.cli import main

COMMANDS = sorted(
    path.stem
    for path in Path(xuncha.__file__).parent.glob("*/management/commands/*.py")
    if not path.stem.startswith("_")
)


def test_there_are_commands_to_check() -> None:
    assert {"serve", "import", "createuser", "remind", "audit"} <= set(COMMANDS)


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_every_xuncha_command(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    main([flag])
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines()
              if line.startswith("  ") and line.strip()}
    missing = [name for name in COMMANDS if name not in listed]
    assert not missing, f"xuncha/cli.py USAGE does not list: {missing}"
