"""Bytes of an uploaded notice to text: plain text, web pages, Word documents and PDFs."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import PurePath
from typing import Any, NamedTuple

import docx
import lxml.html
import pdfminer.high_level
import pdfminer.layout
import pdfminer.pdfdocument
import pdfminer.pdfparser
import pdfminer.psexceptions
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from xuncha.notices.model import NoticeError
from xuncha.zipguard import ArchiveError, check_archive

EMPTY = "文件为空"
BINARY = "文件为二进制内容，不是文本通报"
UNKNOWN_ENCODING = "无法识别的文件编码（仅支持 UTF-8 与 GB18030）"
OLD_WORD = "不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再上传"
SCANNED_PDF = "这是扫描件 PDF（没有文字层），无法读取文字，请上传 .docx、文本或可复制文字的 PDF"
ENCRYPTED_PDF = "PDF 已加密，无法读取文字，请解除密码后再上传"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_MAGIC = b"%PDF-"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_HTML_SNIFF = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# C0 controls that never occur in a text document (tab, newlines and form feed do).
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0e-\x1f]")
_XML_INCOMPATIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
_SOURCE_WHITESPACE = re.compile(r"[ \t\r\n]+")
# Page numbers as 公文 and office software print them: "— 1 —", "- 1 -", "第 1 页 共 3 页", "1/3".
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–―-]+\s*\d{1,4}\s*[—–―-]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$"
)
_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# Word, WPS and LibreOffice set a small gap between Chinese text and digits or Latin letters
# ("2023 年"); text extraction reads it as a space that the document does not contain.
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
_AUTOSPACE = re.compile(rf"(?<=[{_CJK}]) (?=[0-9A-Za-z])|(?<=[0-9A-Za-z%]) (?=[{_CJK}])")

# GB2312 holds the characters of everyday Chinese; text that only decodes as GB18030 by using its
# rare extension areas is far more likely another encoding (Shift-JIS, Latin-1) read wrongly.
_GB2312_SHARE = 0.95

_BLOCK_TAGS = frozenset({
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "tr", "td", "th", "table", "section", "article", "blockquote", "pre", "hr", "center",
    "main", "figure", "figcaption", "caption",
})
_DROPPED_TAGS = frozenset({
    "head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside",
    "form", "iframe", "button", "select", "textarea", "object", "svg",
})
# How page titles separate the article's title from the site's name.
_TITLE_SEPARATOR = re.compile(r"_+|\s+[-－—–|｜]+\s+|[|｜]|——|--")
_NOTICE_TITLE = re.compile(r"整改.{0,12}(?:情况|通报|公告|公示)")
_ARTICLE_PARTS = frozenset({"header", "footer"})
# Site chrome announced by class or id on government pages that do not use <nav>/<footer>.
_CHROME = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|copyright"
                     r"|share|toolbar|sidebar)(?:$|[\s_-])", re.IGNORECASE)


def decode(data: bytes, filename: str) -> str:
    """Text of an uploaded notice, one paragraph (or hard-wrapped line) per line.

    The kind is taken from the file name's extension (.txt, .html/.htm, .docx, .pdf) and
    sniffed from the content otherwise. Raises NoticeError with a Chinese reason when the bytes
    are empty, binary, in an unsupported encoding, a damaged document or a scanned PDF.
    """
    if not data.strip():
        raise NoticeError(EMPTY)
    reader = _reader_for(data, filename)
    try:
        return reader(data)
    except NoticeError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError,
            OverflowError, RecursionError, NotImplementedError, EOFError, OSError,
            UnicodeError, zlib.error) as error:
        # Third-party readers fail on damaged input in ways no list foresees; the user gets
        # one line saying the file cannot be read, never a traceback.
        reason = type(error).__name__
        raise NoticeError(f"无法读取该文件：文件已损坏或格式不受支持（{reason}）") from None


def decode_text(data: bytes) -> str:
    """Plain text: UTF-8 (with or without BOM), UTF-16 with a BOM, else strict GB18030."""
    if data.startswith(_UTF16_BOMS):
        return _decode_utf16(data)
    if _CONTROL.search(data):
        raise NoticeError(BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise NoticeError(UNKNOWN_ENCODING) from None
    if not _looks_chinese(text):
        raise NoticeError(UNKNOWN_ENCODING)
    return text


def decode_html(data: bytes) -> str:
    """The visible text of a web page, a line per block element or <br>."""
    source = _html_source(data)
    source = _XML_DECLARATION.sub("", source, count=1)
    # lxml refuses text with characters XML cannot hold (vertical tab, form feed, other C0
    # controls); a browser shows them as spaces, and so do we.
    source = _XML_INCOMPATIBLE.sub(" ", _CHARACTER_REFERENCE.sub(_xml_safe_reference, source))
    try:
        root = lxml.html.document_fromstring(source)
    except Exception as error:  # lxml raises several unrelated types for unusable input
        raise NoticeError(f"无法读取网页内容：{error}") from None
    head_title = _head_title(root)
    try:
        _drop_chrome(root)
        _mark_blocks(root)
        text = "".join(root.itertext())
    except ValueError as error:  # text lxml cannot hold, from a source no filter foresaw
        raise NoticeError(f"无法读取网页内容：{error}") from None
    if head_title and _bare(head_title) not in _bare(text):
        # Many pages print the notice's title only in <title>: keep it as the first line.
        return f"{head_title}\n{text}"
    return text


def _xml_safe_reference(match: re.Match[str]) -> str:
    """A character reference (&#11;) to a character XML cannot hold becomes a space."""
    hex_digits, digits = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(digits)
    if code > 0x10FFFF or _XML_INCOMPATIBLE.match(chr(code)) or 0xD800 <= code <= 0xDFFF:
        return " "
    return match.group(0)


def decode_docx(data: bytes) -> str:
    """Paragraphs and table cells of a Word document, a line each, in document order."""
    try:
        check_archive(data)
    except ArchiveError as error:
        raise NoticeError(str(error)) from None
    try:
        document = docx.Document(io.BytesIO(data))
        return "\n".join(_docx_lines(document))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise NoticeError(f"无法打开 Word 文档：文件已损坏或不是 .docx 格式（{error}）") from None
    except Exception as error:  # damaged XML inside a sound zip surfaces as lxml's own errors
        if type(error).__module__.startswith(("lxml", "docx")):
            raise NoticeError(f"无法打开 Word 文档：文档内容已损坏（{error}）") from None
        raise


def decode_pdf(data: bytes) -> str:
    """The text layer of a PDF, a line per paragraph, without page numbers.

    Lines are read with their positions: a line that reaches the right edge of the text and is
    followed by one that starts at the left edge (not indented, no gap above it) is one
    paragraph wrapped, and the two are joined. Running headers and footers (the same line at
    the head or foot of every page) and page numbers ("— 1 —") are dropped. A PDF without text
    (a scan) or one that needs a password is refused with a Chinese reason.
    """
    try:
        pages = [_pdf_lines(page) for page in
                 pdfminer.high_level.extract_pages(io.BytesIO(data), laparams=_LAYOUT)]
    except pdfminer.pdfdocument.PDFPasswordIncorrect:
        raise NoticeError(ENCRYPTED_PDF) from None
    except (pdfminer.pdfparser.PDFSyntaxError, pdfminer.psexceptions.PSException,
            pdfminer.pdfdocument.PDFException, ValueError, KeyError, TypeError,
            OSError) as error:
        reason = str(error) or type(error).__name__
        raise NoticeError(f"无法打开 PDF：文件已损坏或不是 PDF 格式（{reason}）") from None
    pages = [[line for line in page if not _PAGE_NUMBER.match(line.text)] for page in pages]
    lines = [line for page in _without_running_lines(pages) for line in page]
    if not _WORDS.search("".join(line.text for line in lines)):
        raise NoticeError(SCANNED_PDF)
    return "\n".join(_AUTOSPACE.sub("", paragraph) for paragraph in _pdf_paragraphs(lines))


class _PdfLine(NamedTuple):
    text: str
    left: float
    right: float
    top: float
    bottom: float
    #: Pages before this line's, to tell a line at the top of a page from one further down.
    page: int


_LAYOUT = pdfminer.layout.LAParams(line_margin=0.3, char_margin=4.0)


def _pdf_lines(page: pdfminer.layout.LTPage) -> list[_PdfLine]:
    found: list[_PdfLine] = []
    stack: list[Any] = [page]
    while stack:
        item = stack.pop()
        if isinstance(item, pdfminer.layout.LTTextLine):
            text = item.get_text().rstrip("\n")
            if text.strip():
                found.append(_PdfLine(text.rstrip(), item.x0, item.x1, item.y1, item.y0,
                                      page.pageid))
        elif isinstance(item, pdfminer.layout.LTContainer):
            stack.extend(item)
    # Top to bottom; lines on one baseline left to right.
    return sorted(found, key=lambda line: (-round(line.bottom), line.left))


def _without_running_lines(pages: list[list[_PdfLine]]) -> list[list[_PdfLine]]:
    """Drop a first or last line that every page (of three or more) repeats."""
    if len(pages) < 3:
        return pages
    for position in (0, -1):
        edges = {page[position].text.strip() if page else None for page in pages}
        if len(edges) == 1 and None not in edges:
            pages = [page[1:] if position == 0 else page[:-1] for page in pages]
    return pages


def _pdf_paragraphs(lines: list[_PdfLine]) -> Iterator[str]:
    if not lines:
        return
    heights = sorted(line.top - line.bottom for line in lines)
    size = heights[len(heights) // 2]
    left = min(line.left for line in lines)
    # The right edge of the text: where most full lines end (a few hang punctuation past it).
    rights = sorted(line.right for line in lines)
    right = rights[len(rights) * 9 // 10]
    paragraph = ""
    previous: _PdfLine | None = None
    for line in lines:
        text = line.text.strip(" \u3000")
        indented = line.text[0] in " \u3000" or line.left > left + size * 0.5
        continues = (
            previous is not None
            # A number or Latin word moved down whole leaves its line a few characters short.
            and previous.right >= right - size * 3.2
            and not indented
            and (line.page != previous.page or previous.bottom - line.top < size * 1.5)
        )
        if continues:
            paragraph += text
        else:
            if paragraph:
                yield paragraph
            # The indent is kept for the normaliser, which reads it as a paragraph start.
            paragraph = ("\u3000\u3000" if indented else "") + text
        previous = line
    yield paragraph


def _reader_for(data: bytes, filename: str) -> Callable[[bytes], str]:
    suffix = PurePath(filename).suffix.lower()
    if suffix in {".html", ".htm", ".xhtml", ".shtml"}:
        return decode_html
    if suffix == ".docx":
        return decode_docx
    if suffix == ".doc" or data.startswith(_OLE_MAGIC):
        raise NoticeError(OLD_WORD)
    if suffix == ".pdf" or data.startswith(_PDF_MAGIC):
        return decode_pdf
    if suffix in {".txt", ".text", ".md"}:
        return decode_text
    if data.startswith(_ZIP_MAGIC):
        return decode_docx
    if _HTML_SNIFF.match(data[:4096].removeprefix(b"\xef\xbb\xbf")):
        return decode_html
    return decode_text


def _decode_utf16(data: bytes) -> str:
    # Binary data may start with what looks like a byte order mark.
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise NoticeError(BINARY) from None
    if _CONTROL_CHARACTER.search(text):
        raise NoticeError(BINARY)
    return text


def _looks_chinese(text: str) -> bool:
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if non_ascii == 0:
        return True
    unusual = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    return unusual <= non_ascii * (1 - _GB2312_SHARE)


def _html_source(data: bytes) -> str:
    if data.startswith((b"\xef\xbb\xbf", *_UTF16_BOMS)):
        return decode_text(data)
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        # Pages labelled GB2312 or GBK routinely use characters only GB18030 has.
        if charset in {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936"}:
            charset = "gb18030"
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _head_title(root: Any) -> str:
    """The page's <title> without the site name, when it names a rectification notice.

    "…整改进展情况的通报_某市纪委监委网站" and "… - 某某网" give the notice's title; a generic
    page title ("巡察整改", "某某网") gives "" so it never stands in for the notice's own.
    """
    element = root.find(".//title")
    if element is None:
        return ""
    text = _SOURCE_WHITESPACE.sub(" ", element.text_content()).strip()
    parts = [part.strip() for part in _TITLE_SEPARATOR.split(text) if part.strip()]
    for part in parts:
        if _NOTICE_TITLE.search(part):
            return part.replace(" ", "")
    return ""


def _bare(text: str) -> str:
    """Text without whitespace, to see whether a title is printed anywhere in the body."""
    return "".join(text.split())


def _drop_chrome(root: Any) -> None:
    doomed = [element for element in root.iter() if _is_chrome(element)]
    for element in doomed:
        element.drop_tree()


def _is_chrome(element: Any) -> bool:
    if not isinstance(element.tag, str):
        return False
    if element.tag in _ARTICLE_PARTS and element.xpath("ancestor::article|ancestor::main"):
        return False  # an article's own header holds its title, its footer the signature
    if element.tag in _DROPPED_TAGS:
        return True
    return _CHROME.search(f"{element.get('class', '')} {element.get('id', '')}") is not None


def _mark_blocks(root: Any) -> None:
    """Collapse source whitespace and put a line break around every block element."""
    for element in root.iter():
        if element.tag != "pre" and isinstance(element.tag, str):
            element.text = _collapse(element.text)
        element.tail = _collapse(element.tail)
        if element.tag in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")


def _collapse(text: str | None) -> str | None:
    return None if text is None else _SOURCE_WHITESPACE.sub(" ", text)


def _docx_lines(document: WordDocument) -> Iterator[str]:
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_lines(block)
        else:
            yield block.text


def _table_lines(table: Table) -> Iterator[str]:
    seen: set[object] = set()
    for row in table.rows:
        for cell in row.cells:
            # A merged cell appears once per grid column it spans; its XML element is shared.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            for paragraph in cell.paragraphs:
                yield paragraph.text
