from __future__ import annotations

import datetime

import pytest

from xuncha.notices.writers import CONTENT_TYPES, TEXT_FORMATS, WRITERS, render, render_bytes


def test_it_has_a_writer_and_a_content_type_per_format():
    assert set(WRITERS) == set(CONTENT_TYPES) == {"txt", "html", "docx", "pdf"}
    assert {"txt", "html"} == TEXT_FORMATS


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_it_renders_each_text_format(fmt, seed_notice):
    text = render(seed_notice, fmt)
    assert "木垒县东城镇党委" in text
    assert render_bytes(seed_notice, fmt) == text.encode("utf-8")


@pytest.mark.parametrize(("fmt", "magic"), [("docx", b"PK\x03\x04"), ("pdf", b"%PDF-")])
def test_it_renders_the_official_formats_as_bytes(fmt, magic, seed_notice):
    issued = datetime.date(2024, 6, 20)
    data = render_bytes(seed_notice, fmt, issued=issued)
    assert data.startswith(magic)
    with pytest.raises(ValueError, match=f"{fmt} 是二进制格式"):
        render(seed_notice, fmt)


def test_it_refuses_a_format_it_has_no_writer_for(seed_notice):
    for call in (render, render_bytes):
        with pytest.raises(ValueError, match="不支持的输出格式：odt"):
            call(seed_notice, "odt")
