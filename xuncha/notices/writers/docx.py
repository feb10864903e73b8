"""A notice as a Word document (.docx) in the GB/T 9704 layout of Party and government 公文.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a document grid of 22 lines of
28 characters; title 2号 方正小标宋简体 centred; body 3号 仿宋_GB2312; "一、" headings 黑体,
"（一）" headings 楷体_GB2312; page numbers "— 1 —" in 4号 宋体, odd pages right and even pages
left; the signature and date at the end. The document names these fonts (WPS and Word use them
where installed, and substitute otherwise); it embeds none.
"""

from __future__ import annotations

import datetime
import io
import zipfile

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run

from xuncha.notices.model import Notice
from xuncha.notices.writers.compose import Paragraph, Role, break_title, official_document

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TEXT_WIDTH = Mm(156)
#: 22 lines in the 225 mm type area: an exact line pitch of 28.95 pt.
LINE_PITCH = Pt(28.95)
#: 28 characters of 16 pt in the 156 mm (442.2 pt) text width: each character condensed by
#: 0.25 pt (Word counts in twentieths of a point; 0.2 pt would leave 442.4 pt, one too many).
#: Set on the text rather than as a character grid (docGrid linesAndChars), which LibreOffice
#: lays out as 17 characters a line.
CHAR_SPACING_TWIPS = -5
#: Word counts indents in hundredths of a character: two characters for a first line.
_TWO_CHARACTERS = 200

_FONTS = {
    Role.TITLE: (TITLE_FONT, TITLE_SIZE),
    Role.BODY: (BODY_FONT, BODY_SIZE),
    Role.HEADING: (HEADING_FONT, BODY_SIZE),
    Role.SUBHEADING: (SUBHEADING_FONT, BODY_SIZE),
    Role.SIGNATURE: (BODY_FONT, BODY_SIZE),
    Role.DATE: (BODY_FONT, BODY_SIZE),
}


#: What follows w:spacing in a run's properties (CT_RPr in the OOXML schema).
_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
    "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)


def render(notice: Notice, issued: datetime.date | None = None) -> bytes:
    """The notice as .docx bytes; ``issued`` (default today) is the date under the signature."""
    issued = issued or datetime.datetime.now().astimezone().date()
    return render_document(official_document(notice, issued), author=notice.issuer or "",
                           issued=issued)


def render_document(parts: list[Paragraph], *, author: str, issued: datetime.date) -> bytes:
    """Any 公文 given as its paragraphs (title lines first) as .docx bytes, in this layout.

    Other documents (a unit's 整改情况报告, say) compose their paragraphs and come here.
    """
    document = docx.Document()
    _set_up_page(document)
    _set_default_style(document)
    _add_page_numbers(document)
    title = "".join(part.text for part in parts if part.role is Role.TITLE)
    # A line per title line, broken between words rather than wherever Word runs out of room.
    for line in break_title(title, _title_fits):
        _add_paragraph(document, Paragraph(Role.TITLE, line))
    _add_paragraph(document, Paragraph(Role.BODY, ""))  # a blank line under the title
    for part in parts:
        if part.role is Role.TITLE:
            continue
        if part.role is Role.SIGNATURE:
            for _ in range(2):
                _add_paragraph(document, Paragraph(Role.BODY, ""))
        _add_paragraph(document, part)
    core = document.core_properties
    core.title = title
    core.author = author
    # Fixed times keep the bytes of one notice on one day the same, so they can be compared.
    moment = datetime.datetime.combine(issued, datetime.time())
    core.created = core.modified = moment
    core.last_modified_by = ""
    core.revision = 1
    # python-docx's template carries a thumbnail of an English sample page; file managers
    # would show it as this notice's preview.
    relationships = document.part.package.rels
    for key, relationship in list(relationships.items()):
        if relationship.reltype.endswith("/thumbnail"):
            del relationships[key]
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_fixed_times(buffer.getvalue(), moment)


def _title_fits(text: str) -> bool:
    """Whether ``text`` fits one 22 pt title line (Chinese a full em, digits and Latin half)."""
    ems = sum(0.5 if char.isascii() else 1.0 for char in text)
    return ems * TITLE_SIZE.pt <= TEXT_WIDTH.pt


def _with_fixed_times(data: bytes, moment: datetime.datetime) -> bytes:
    """The package re-zipped with every member dated ``moment`` rather than the clock's now."""
    stamp = (moment.year, moment.month, moment.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member))
    return out.getvalue()


def _set_up_page(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The page number sits 7 mm below the type area (GB/T 9704 7.5).
    section.footer_distance = Mm(28)
    section.header_distance = Mm(15)
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    sect_pr.append(grid)
    # <w:evenAndOddHeaders/>: odd and even pages take their own footers.
    document.settings.odd_and_even_pages_header_footer = True


def _set_default_style(document: docx.document.Document) -> None:
    # The document defaults too: the character grid counts from their size (Word and
    # LibreOffice alike), and they say the text is Chinese.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(round(BODY_SIZE.pt * 2)))
    rpr.find(qn("w:rFonts")).attrib.clear()
    _set_fonts(rpr, BODY_FONT)
    language = rpr.find(qn("w:lang"))
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    style = document.styles["Normal"]
    _set_fonts(style.element.get_or_add_rPr(), BODY_FONT)
    style.font.size = BODY_SIZE
    style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    style.paragraph_format.line_spacing = LINE_PITCH
    style.paragraph_format.widow_control = False


def _add_page_numbers(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: WordParagraph, alignment: WD_ALIGN_PARAGRAPH) -> None:
    """"— 1 —", a character in from the outer edge.

    GB/T 9704: 单页码居右空一字, 双页码居左空一字.
    """
    paragraph.alignment = alignment
    indent = "right" if alignment == WD_ALIGN_PARAGRAPH.RIGHT else "left"
    setattr(paragraph.paragraph_format, f"{indent}_indent", PAGE_NUMBER_SIZE)
    paragraph.paragraph_format.line_spacing = 1.0
    _run(paragraph, "— ")
    field_start = _run(paragraph, "")
    _field_char(field_start, "begin")
    instruction = _run(paragraph, "")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instruction._r.append(text)
    _field_char(_run(paragraph, ""), "separate")
    _run(paragraph, "1")
    _field_char(_run(paragraph, ""), "end")
    _run(paragraph, " —")


def _run(paragraph: WordParagraph, text: str) -> Run:
    run = paragraph.add_run(text)
    run.font.size = PAGE_NUMBER_SIZE
    _set_fonts(run._r.get_or_add_rPr(), PAGE_NUMBER_FONT)
    return run


def _field_char(run: Run, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _add_paragraph(document: docx.document.Document, part: Paragraph) -> None:
    paragraph = document.add_paragraph()
    form = paragraph.paragraph_format
    if part.role is Role.TITLE:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # A 22 pt title needs more than the body's pitch; it is set solid, outside the grid.
        form.line_spacing = Pt(35)
    elif part.role in (Role.SIGNATURE, Role.DATE):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        # The date stands four characters in from the right edge, the signature above it.
        form.right_indent = BODY_SIZE * (4 if part.role is Role.DATE else 2)
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        form.first_line_indent = BODY_SIZE * 2
        # In characters too, so the indent follows the grid's narrower characters.
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(
            qn("w:firstLineChars"), str(_TWO_CHARACTERS))
    if not part.text:
        return
    font, size = _FONTS[part.role]
    run = paragraph.add_run(part.text)
    run.font.size = size
    _set_fonts(run._r.get_or_add_rPr(), font)
    if part.role is not Role.TITLE:
        condensed = OxmlElement("w:spacing")
        condensed.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
        # Word refuses run properties out of the schema's order: w:spacing goes before w:sz.
        run._r.get_or_add_rPr().insert_element_before(condensed, *_AFTER_SPACING)


def _set_fonts(rpr: object, font: str) -> None:
    """Name the font for every script: Chinese text takes the eastAsia one in Word and WPS."""
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)
