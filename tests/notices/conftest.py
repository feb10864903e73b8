"""Sample notices for the parser and writer tests (no Django, no database)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import docx
import pytest

from xuncha.notices.model import Notice
from xuncha.notices.parse import parse_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "notices"
SEED = FIXTURES / "seed-changji-r5.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_notice(seed_text: str) -> Notice:
    return parse_text(seed_text)


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def make_docx() -> Callable[..., bytes]:
    """Build a real .docx with python-docx: a paragraph per line, then optional table rows."""

    def build(lines: Iterable[str], table: list[list[str]] | None = None) -> bytes:
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        if table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for row, cells in zip(grid.rows, table, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    return build
