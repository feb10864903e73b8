"""A notice as a self-contained HTML5 page: the round-level shape (A) of the seed, or a unit's
own notice (B)."""

from __future__ import annotations

from html import escape

from xuncha.notices.model import Notice
from xuncha.notices.normalize import official_punctuation
from xuncha.notices.writers.compose import (
    Paragraph,
    Role,
    official_document,
    opening_paragraph,
    title_lines,
    unit_blocks,
)

# Inline so the page stands alone: it is published as one file and may be read offline.
_STYLE = """
body { margin: 0 auto; max-width: 46em; padding: 2em 1.5em; line-height: 1.9;
       font-family: "FangSong", "STFangsong", "仿宋", serif; font-size: 16pt; color: #111; }
h1 { font-family: "SimHei", "STHeiti", "黑体", sans-serif; font-size: 20pt; font-weight: normal;
     text-align: center; line-height: 1.5; margin: 0 0 1.2em; }
h2 { font-family: "SimHei", "STHeiti", "黑体", sans-serif; font-size: 16pt; font-weight: normal;
     margin: 1em 0 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
.label { font-weight: bold; }
h3 { font-family: "KaiTi", "STKaiti", "楷体", serif; font-size: 16pt; font-weight: normal;
     margin: 0; text-indent: 2em; }
.signature { text-align: right; text-indent: 0; margin-top: 2em; }
"""


def render(notice: Notice) -> str:
    """A complete HTML5 page (lang="zh-CN", no external assets); all text is escaped.

    A notice of any shape but "A" is written as a unit's own notice, signed by the unit.
    """
    if notice.shape != "A":
        return _page([notice.title], _unit_body(official_document(notice, None)))
    body = [f"<p>{_text(opening_paragraph(notice))}</p>"]
    for block in unit_blocks(notice):
        body.append(f"<h2>{_text(block.heading)}</h2>")
        for field in block.fields:
            first, *rest = field.paragraphs
            label = f'<span class="label">{_text(field.label + ":")}</span>'
            body.append(f"<p>{label}{_text(first)}</p>")
            body.extend(f"<p>{_text(paragraph)}</p>" for paragraph in rest)
    return _page(title_lines(notice), body)


def _page(title: list[str], body: list[str]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(''.join(title))}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<article>",
        f"<h1>{'<br>'.join(_text(line) for line in title)}</h1>",
        *body,
        "</article>", "</body>", "</html>", "",
    ]
    return "\n".join(parts)


_UNIT_TAGS = {Role.BODY: "p", Role.HEADING: "h2", Role.SUBHEADING: "h3"}


def _unit_body(parts: list[Paragraph]) -> list[str]:
    body = []
    for part in parts:
        if part.role is Role.TITLE:
            continue
        # official_document's text is already in official punctuation; it only needs escaping.
        text = escape(part.text, quote=True)
        if part.role in (Role.SIGNATURE, Role.DATE):
            body.append(f'<p class="signature">{text}</p>')
        else:
            tag = _UNIT_TAGS[part.role]
            body.append(f"<{tag}>{text}</{tag}>")
    return body


def _text(text: str) -> str:
    return escape(official_punctuation(text), quote=True)
