"""Files we refuse, each with one clear line in Chinese naming the file."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from tests.ledgers import offices
from xuncha.ledgers.model import LedgerError
from xuncha.ledgers.read import read_ledger

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def refusal(data: bytes, name: str = "台账.xlsx") -> str:
    with pytest.raises(LedgerError) as caught:
        read_ledger(data, name)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(name)
    return message


def test_empty_bytes() -> None:
    assert "文件是空的" in refusal(b"")


def test_old_xls() -> None:
    assert "旧版 Excel（.xls）" in refusal(OLE + b"Workbook".decode().encode("utf-16-le"))


def test_password_protected() -> None:
    encrypted = OLE + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    assert "密码" in refusal(encrypted)


def test_csv() -> None:
    assert "CSV" in refusal("反馈问题,整改措施\n问题甲,措施甲\n".encode())


def test_html_pretending_to_be_xls() -> None:
    assert "网页" in refusal(b"<html><table><tr><td>x</td></tr></table></html>")


def test_random_bytes() -> None:
    assert "不是 Excel 工作簿" in refusal(bytes(range(256)) * 4)


def test_broken_zip() -> None:
    assert "损坏" in refusal(b"PK\x03\x04" + b"\x00" * 100)


def test_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Word 文档" in refusal(buffer.getvalue())


def test_workbook_without_any_cell() -> None:
    assert "没有任何内容" in refusal(offices.save(Workbook()))


def test_formulas_without_cached_values() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["反馈问题", "整改措施"])
    sheet.append(["=Sheet2!A1", "=Sheet2!B1"])
    message = refusal(offices.save(book))
    assert "只有公式" in message and "工作表“Sheet”" in message


def test_formulas_only_everywhere() -> None:
    book = Workbook()
    book.active.append(["=A2", "=B2"])
    assert "只有公式" in refusal(offices.save(book))


def test_no_recognisable_header() -> None:
    book = Workbook()
    book.active.title = "花名册"
    book.active.append(["姓名", "性别", "年龄"])
    book.active.append(["张三", "男", 40])
    message = refusal(offices.save(book))
    assert "花名册" in message and "没有找到可识别的表头" in message


def test_header_without_problem_column() -> None:
    book = Workbook()
    book.active.append(["整改措施", "责任领导", "完成时限"])
    book.active.append(["措施甲", "张三", "2024年3月"])
    assert "没有“反馈问题”列" in refusal(offices.save(book))


def test_header_and_nothing_under_it() -> None:
    book = Workbook()
    book.active.append(["反馈问题", "整改措施"])
    assert "表头下没有任何数据" in refusal(offices.save(book))


def test_bad_override_is_refused() -> None:
    data = offices.township()
    with pytest.raises(LedgerError, match="列号“1A”无效"):
        read_ledger(data, overrides={"Sheet1": {"measure": "1A"}})
    with pytest.raises(LedgerError, match="未知的列名"):
        read_ledger(data, overrides={"Sheet1": {"nonsense": "A"}})
