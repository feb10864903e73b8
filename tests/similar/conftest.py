"""The seed notice imported twice, as 第五轮 (2023) and a later 第六轮 (2025) of the same units."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SEED


def later_round_bytes() -> bytes:
    text = SEED.read_text(encoding="utf-8")
    return text.replace("第五轮", "第六轮").replace("2023年", "2025年").encode("utf-8")


@pytest.fixture
def later_round(seed_round: Any) -> Any:
    from xuncha.inspections.importer import import_notice
    from xuncha.notices.parse import parse_document

    data = later_round_bytes()
    notice = parse_document(data, "changji-12-6.txt")
    return import_notice(notice, filename="changji-12-6.txt", content=data).round
