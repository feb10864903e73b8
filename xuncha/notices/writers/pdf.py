"""A notice as a PDF in the GB/T 9704 layout of 公文, with the Chinese fonts embedded.

The layout is the .docx writer's (see ``xuncha.notices.writers.docx``): A4, margins 37/35/28/26
mm, 22 lines of 28 characters, title 22 pt, body 16 pt, "— 1 —" page numbers at the outer edge.
The fonts the standard names (方正小标宋, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) are not free, so
each role takes the first free font of its kind installed on the machine (``FONT_CHOICES``) and
embeds the glyphs it uses; the same file therefore looks the same everywhere. Without any
Chinese font the writer refuses with ``MissingFontError`` naming the Debian packages to install.

Line breaking is done here, not by the PDF library: Chinese breaks between any two characters
except that closing punctuation never starts a line (it may hang into the margin, as WPS and
Word allow) and opening punctuation never ends one; runs of digits and Latin letters stay whole.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from xuncha.notices.model import Notice
from xuncha.notices.writers.compose import Paragraph, Role, break_title, official_document

_MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * _MM, 297 * _MM
TOP, BOTTOM, LEFT, RIGHT = 37 * _MM, 35 * _MM, 28 * _MM, 26 * _MM
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = 28.95
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = 22.0, 16.0, 14.0
#: Each body character 0.207 pt narrower than its 16 pt so that 28 fill the 156 mm line.
CHAR_SPACING = TEXT_WIDTH / CHARS_PER_LINE - BODY_SIZE
#: The page number's line starts 7 mm below the type area (GB/T 9704 7.5).
PAGE_NUMBER_TOP = PAGE_HEIGHT - BOTTOM + 7 * _MM

#: Debian packages that provide the preferred fonts (installed by scripts/ensure-fonts.sh).
FONT_PACKAGES = ("fonts-arphic-gbsn00lp", "fonts-arphic-gkai00mp", "fonts-wqy-microhei")
FONT_DIRS = (
    Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts", Path.home() / ".fonts",
)


@dataclass(frozen=True)
class FontChoice:
    """A font file a role may use: its file name, the face in a collection, what it is."""

    file: str
    index: int
    name: str


_SONG = (
    FontChoice("gbsn00lp.ttf", 0, "AR PL SungtiL GB (文鼎简报宋)"),
    FontChoice("uming.ttc", 0, "AR PL UMing (文鼎明体)"),
    FontChoice("NotoSerifCJK-Regular.ttc", 2, "Noto Serif CJK SC"),
)
_KAI = (
    FontChoice("gkai00mp.ttf", 0, "AR PL KaitiM GB (文鼎简中楷)"),
    FontChoice("ukai.ttc", 0, "AR PL UKai (文鼎楷书)"),
)
_HEI = (
    FontChoice("wqy-microhei.ttc", 0, "WenQuanYi Micro Hei (文泉驿微米黑)"),
    FontChoice("wqy-zenhei.ttc", 0, "WenQuanYi Zen Hei (文泉驿正黑)"),
    FontChoice("NotoSansCJK-Regular.ttc", 2, "Noto Sans CJK SC"),
)

#: What each role is meant to look like and the free fonts that stand in for it, best first.
#: A role whose fonts are all missing borrows the first font found for any role.
FONT_CHOICES: dict[str, tuple[str, tuple[FontChoice, ...]]] = {
    "title": ("方正小标宋简体（标题）", (*_SONG,)),
    "body": ("仿宋_GB2312（正文）", (*_SONG, *_KAI)),
    "heading": ("黑体（一级标题）", _HEI),
    "subheading": ("楷体_GB2312（二级标题）", (*_KAI, *_SONG)),
    "page": ("宋体（页码）", _SONG),
}
_ROLE_FONT = {
    Role.TITLE: "title", Role.BODY: "body", Role.HEADING: "heading",
    Role.SUBHEADING: "subheading", Role.SIGNATURE: "body", Role.DATE: "body",
}

_NO_LINE_START = frozenset("，。、；：？！）》」』”’…—・%,.;:?!)]}")
_NO_LINE_END = frozenset("（《「『“‘([{")


class MissingFontError(ValueError):
    """No Chinese font to embed; ``message`` says in Chinese what to install."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ResolvedFont:
    role: str
    path: Path
    index: int
    name: str
    #: Whether the role got one of its own fonts rather than another role's.
    own: bool


def resolve_fonts(dirs: tuple[Path, ...] | None = None) -> dict[str, ResolvedFont]:
    """The font each role will embed, found under ``dirs`` (default ``FONT_DIRS``).

    Raises MissingFontError when there is no Chinese font at all.
    """
    installed = _installed_fonts(FONT_DIRS if dirs is None else dirs)
    found: dict[str, ResolvedFont] = {}
    for role, (_, choices) in FONT_CHOICES.items():
        for choice in choices:
            if choice.file in installed:
                found[role] = ResolvedFont(role, installed[choice.file], choice.index,
                                           choice.name, own=True)
                break
    if not found:
        wanted = "、".join(looks for looks, _ in FONT_CHOICES.values())
        raise MissingFontError(
            f"无法生成 PDF：本机没有可嵌入的中文字体（需要 {wanted} 的替代字体）。"
            f"请安装 Debian 软件包：apt-get install {' '.join(FONT_PACKAGES)}"
        )
    spare = next(iter(found.values()))
    for role in FONT_CHOICES:
        if role not in found:
            found[role] = ResolvedFont(role, spare.path, spare.index, spare.name, own=False)
    return found


def font_warnings(fonts: dict[str, ResolvedFont]) -> list[str]:
    """A line in Chinese per role that had to borrow another role's font."""
    return [
        f"PDF 中{FONT_CHOICES[role][0]}缺少合适字体，暂用 {font.name}；"
        f"安装 {' '.join(FONT_PACKAGES)} 可改善"
        for role, font in fonts.items()
        if not font.own
    ]


def render(notice: Notice, issued: datetime.date | None = None) -> bytes:
    """The notice as PDF bytes; ``issued`` (default today) is the date under the signature.

    Raises MissingFontError when the machine has no Chinese font to embed.
    """
    issued = issued or datetime.datetime.now().astimezone().date()
    return render_document(official_document(notice, issued), author=notice.issuer or "",
                           issued=issued)


def render_document(parts: list[Paragraph], *, author: str, issued: datetime.date) -> bytes:
    """Any 公文 given as its paragraphs (title lines first) as PDF bytes, in this layout.

    Other documents (a unit's 整改情况报告, say) compose their paragraphs and come here.
    Raises MissingFontError when the machine has no Chinese font to embed.
    """
    with _quiet_font_tools():
        pdf = _Document(resolve_fonts())
    pdf.set_title("".join(part.text for part in parts if part.role is Role.TITLE))
    pdf.set_author(author)
    pdf.set_creator("xuncha")
    pdf.set_lang("zh-CN")
    # A fixed date keeps the bytes of one document on one day the same.
    pdf.set_creation_date(datetime.datetime.combine(issued, datetime.time(),
                                                    tzinfo=datetime.UTC))
    with _quiet_font_tools():
        pdf.lay_out(parts)
        return bytes(pdf.output())


class _Document(FPDF):
    def __init__(self, fonts: dict[str, ResolvedFont]) -> None:
        super().__init__(unit="pt", format=(PAGE_WIDTH, PAGE_HEIGHT))
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(False)
        self.set_compression(True)
        # One embedded font per file, however many roles share it: loading one costs 0.3 s.
        self.families: dict[str, str] = {}
        loaded: dict[tuple[Path, int], str] = {}
        for role, font in fonts.items():
            key = (font.path, font.index)
            if key not in loaded:
                loaded[key] = f"cjk{len(loaded)}"
                self.add_font(loaded[key], "", str(font.path), collection_font_number=font.index)
            self.families[role] = loaded[key]
        # Cells add no padding: text starts at the margin, as the grid expects.
        self.c_margin = 0
        self.grid_line = LINES_PER_PAGE  # the grid line the next text goes on; full: a new page
        self.widths: dict[tuple[str, float, float, str], float] = {}

    def footer(self) -> None:
        self.set_font(self.families["page"], size=PAGE_NUMBER_SIZE)
        self.set_char_spacing(0)
        text = f"— {self.page_no()} —"
        self.set_xy(LEFT + PAGE_NUMBER_SIZE, PAGE_NUMBER_TOP)
        # Odd pages right, even pages left, a character in from the edge of the type area.
        align = "R" if self.page_no() % 2 else "L"
        self.cell(TEXT_WIDTH - 2 * PAGE_NUMBER_SIZE, PAGE_NUMBER_SIZE * 1.2, text, align=align)

    def lay_out(self, parts: list[Paragraph]) -> None:
        title = "".join(part.text for part in parts if part.role is Role.TITLE)
        self.set_font(self.families["title"], size=TITLE_SIZE)
        self.set_char_spacing(0)
        for line in break_title(title, lambda text: self.width_of(text) <= TEXT_WIDTH + 0.01):
            self.put_line(line, TEXT_WIDTH, "C")
        self.skip_lines(1)
        for part in parts:
            if part.role is Role.TITLE:
                continue
            if part.role is Role.SIGNATURE:
                self.skip_lines(2)
            self.paragraph(part)
        if self.page == 0:
            self.add_page()

    def skip_lines(self, count: int) -> None:
        # Blank lines at the top of a page are dropped, as a typesetter would.
        self.grid_line = min(self.grid_line + count, LINES_PER_PAGE) if self.grid_line else 0

    def paragraph(self, part: Paragraph) -> None:
        font = self.families[_ROLE_FONT[part.role]]
        self.set_font(font, size=BODY_SIZE)
        spacing = CHAR_SPACING
        self.set_char_spacing(spacing)
        width = TEXT_WIDTH
        if part.role in (Role.SIGNATURE, Role.DATE):
            width -= BODY_SIZE * (4 if part.role is Role.DATE else 2)
            self.put_line(part.text, width, "R")
            return
        indent = 2 * (BODY_SIZE + spacing)
        for number, line in enumerate(self.break_lines(part.text, width, indent)):
            # The first line's indent is written as two ideographic spaces so that text
            # extracted from the PDF still shows where each paragraph begins.
            self.put_line(("\u3000\u3000" if number == 0 else "") + line, width, "L")

    def put_line(self, text: str, width: float, align: str) -> None:
        if self.grid_line >= LINES_PER_PAGE:
            # The footer of the finished page sets its own font; the text goes on in its own.
            family, size, spacing = self.font_family, self.font_size_pt, self.char_spacing
            self.add_page()
            self.set_font(family, size=size)
            self.set_char_spacing(spacing)
            self.grid_line = 0
        self.set_xy(LEFT, TOP + self.grid_line * LINE_PITCH)
        self.cell(width, LINE_PITCH, text, align=align)
        self.grid_line += 1

    def break_lines(self, text: str, width: float, indent: float) -> Iterator[str]:
        """Lines of at most ``width`` points, the first ``indent`` narrower (see module doc).

        One closing mark may stand past the edge rather than start a line; where a second
        would, the character before them moves down with them.
        """
        line: list[str] = []
        used, limit = 0.0, width - indent
        for token in _tokens(text):
            advance = self.width_of(token)
            if line and used + advance > limit + 0.01:
                closing = token in _NO_LINE_START
                if closing and used <= limit + 0.01:
                    line.append(token)
                    used += advance
                    continue
                carried: list[str] = []
                if closing:
                    while line and line[-1] in _NO_LINE_START:
                        carried.insert(0, line.pop())
                    if line:
                        carried.insert(0, line.pop())
                while line and line[-1] in _NO_LINE_END:
                    carried.insert(0, line.pop())
                if not line:  # nothing breaks well here: break where the width says
                    line, carried = carried, []
                yield "".join(line)
                line, limit = carried, width
                used = sum(self.width_of(carry) for carry in carried)
            line.append(token)
            used += advance
        if line:
            yield "".join(line)

    def width_of(self, token: str) -> float:
        """The advance of ``token`` in the current font, character spacing included."""
        key = (self.font_family, self.font_size_pt, self.char_spacing, token)
        width = self.widths.get(key)
        if width is None:
            width = self.widths[key] = self.get_string_width(token)
        return width


#: Longer runs of digits and letters may break anywhere, so no line ends far short of the edge.
_LONGEST_WHOLE_WORD = 6


def _tokens(text: str) -> Iterator[str]:
    """Characters, except that a short run of ASCII letters and digits ("2023", "87.2") is one."""
    word = ""
    for char in text:
        if char.isascii() and (char.isalnum() or (word and char in ".%")):
            word += char
            if len(word) == _LONGEST_WHOLE_WORD:
                yield word
                word = ""
            continue
        if word:
            yield word
            word = ""
        yield char
    if word:
        yield word


def _installed_fonts(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Font files by file name under ``dirs``; the first directory to hold a name wins."""
    wanted = {choice.file for _, choices in FONT_CHOICES.values() for choice in choices}
    found: dict[str, Path] = {}
    for directory in dirs:
        try:
            paths = sorted(directory.rglob("*")) if directory.is_dir() else []
        except OSError:
            continue
        for path in paths:
            if path.name in wanted and path.name not in found and path.is_file():
                found[path.name] = path
    return found


@contextlib.contextmanager
def _quiet_font_tools() -> Iterator[None]:
    """fontTools logs a warning for every harmless oddity of the AR PL fonts; not ours to fix."""
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
