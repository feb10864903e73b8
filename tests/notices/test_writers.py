from __future__ import annotations

import pytest

from xuncha.notices.writers import WRITERS, render


def test_it_has_a_writer_per_format():
    assert set(WRITERS) == {"txt", "html"}


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_it_renders_each_format(fmt, seed_notice):
    assert "木垒县东城镇党委" in render(seed_notice, fmt)


def test_it_refuses_a_format_it_has_no_writer_for(seed_notice):
    with pytest.raises(ValueError, match="不支持的输出格式：pdf"):
        render(seed_notice, "pdf")
