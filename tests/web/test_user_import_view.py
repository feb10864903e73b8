"""The office's bulk import page, and the password sheet that can be downloaded once."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.accounts.test_bulk_import import xlsx
from xuncha.accounts import services

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]

SHEET = [
    ["用户名", "姓名", "角色", "单位"],
    ["dc_new", "=HYPERLINK(\"http://x\")", "被巡察单位", "木垒县东城镇党委"],
    ["@qh_new", "钱七", "被巡察单位", "奇台县七户乡党委"],
]


def _upload(client: Client, data: bytes) -> Any:
    return client.post(reverse("user-import"), {
        "file": SimpleUploadedFile("users.xlsx", data)})


def _fixed_passwords(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    passwords = ["=SUM(1,2)", "+8613800001111", "-rm", "@A1"]
    supply = iter(passwords)
    monkeypatch.setattr(services, "generate_password", lambda: next(supply))
    return passwords


def _text_sheet(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert all(cell.data_type == "s" for row in rows for cell in row)
    return [[cell.value for cell in row] for row in rows]


def test_a_good_sheet_shows_passwords_once_and_downloads_them_once(
    as_: As, people: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    passwords = _fixed_passwords(monkeypatch)
    client = as_("office")
    # A formula cell in the upload would be refused; a text cell that looks like one is a name.
    sheet = [list(row) for row in SHEET]
    response = _upload(client, _as_text(xlsx(sheet)))
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "已创建 2 个用户" in html
    assert "=SUM(1,2)" in html and "+8613800001111" in html
    users = get_user_model().objects.filter(username__in=["dc_new", "@qh_new"])
    assert users.count() == 2
    assert get_user_model().objects.get(username="dc_new").check_password(passwords[0])
    # The session (a database row) holds no usable password.
    for session in Session.objects.all():
        assert "8613800001111" not in str(session.get_decoded())
    key = html.split('name="key" value="')[1].split('"')[0]
    sheet_response = client.post(reverse("user-import-passwords"), {"key": key})
    assert sheet_response.status_code == 200
    assert "no-store" in sheet_response["Cache-Control"]
    rows = _text_sheet(sheet_response.content)
    assert [row[0] for row in rows] == ["dc_new", "@qh_new"]
    assert [row[4] for row in rows] == passwords[:2]
    assert rows[0][1] == "=HYPERLINK(\"http://x\")"
    again = client.post(reverse("user-import-passwords"), {"key": key})
    assert again.status_code == 400 and "无法再次下载" in again.content.decode()


def _as_text(data: bytes) -> bytes:
    """The sheet with every cell stored as text, as a clerk typing '=... would get."""
    book = load_workbook(io.BytesIO(data))
    for row in book.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_leaving_the_result_page_drops_the_password_sheet(
    as_: As, people: Any
) -> None:
    client = as_("office")
    html = _upload(client, _as_text(xlsx(SHEET))).content.decode()
    key = html.split('name="key" value="')[1].split('"')[0]
    assert client.post(reverse("user-import-discard"), {"key": ""}).status_code == 204
    assert client.post(reverse("user-import-passwords"), {"key": key}).status_code == 400


def test_visiting_the_users_page_drops_the_password_sheet(as_: As, people: Any) -> None:
    client = as_("office")
    html = _upload(client, _as_text(xlsx(SHEET))).content.decode()
    key = html.split('name="key" value="')[1].split('"')[0]
    client.get(reverse("user-list"))
    assert client.post(reverse("user-import-passwords"), {"key": key}).status_code == 400


def test_a_wrong_key_downloads_nothing(as_: As, people: Any) -> None:
    client = as_("office")
    _upload(client, _as_text(xlsx(SHEET)))
    assert client.post(reverse("user-import-passwords"), {"key": "x" * 44}).status_code == 400


def test_bad_rows_are_listed_and_nothing_is_created(as_: As, people: Any) -> None:
    before = get_user_model().objects.count()
    response = _upload(as_("office"), xlsx([
        ["用户名", "角色", "单位"],
        ["fine", "被巡察单位", "木垒县东城镇党委"],
        ["unit_b", "被巡察单位", "奇台县七户乡党委"],
        ["x2", "被巡察单位", None],
        ["x3", "=1+1", "木垒县东城镇党委"],
    ]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "没有创建任何用户" in html
    assert "第4行，单位：被巡察单位用户须指定被巡察单位" in html
    assert "第5行，角色：单元格是公式，请直接填写文字" in html
    assert get_user_model().objects.count() == before


def test_an_unreadable_file_is_refused(as_: As, people: Any) -> None:
    response = _upload(as_("office"), b"%PDF-1.4 not a sheet")
    assert response.status_code == 400
    assert "无法读取该文件" in response.content.decode()


def test_the_template_downloads(as_: As, people: Any) -> None:
    response = as_("office").get(reverse("user-import-template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ["用户名", "姓名", "角色", "单位", "巡察组", "机关"]


def test_only_the_office_imports(as_: As, people: Any) -> None:
    for name in ["group1", "unit_a", "supervisor"]:
        assert _upload(as_(name), xlsx(SHEET)).status_code == 404
    assert not get_user_model().objects.filter(username="dc_new").exists()
