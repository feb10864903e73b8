"""User management in real headless Chromium: a lock-out lifted, a password reset, a bulk
import whose password sheet downloads once, and a user changing their own password."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.accounts.test_bulk_import import xlsx
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form[action='/login/'] button[type=submit]")


def test_the_office_manages_users_and_a_user_changes_its_password(
    live_server: Any, page: Any, browser: Any, shot: Any, seed_round: Round, alice: Any,
    settings: Any, tmp_path: Path,
) -> None:
    create_user("dongcheng", Role.UNIT, unit="木垒县东城镇党委", password="Dongcheng-pw-2024")

    # dongcheng mistypes its password until locked out; the page says for how long.
    other = browser.new_context(locale="zh-CN")
    unit_page = other.new_page()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(unit_page, live_server.url, "dongcheng", "wrong-password")
    unit_page.wait_for_selector("#locked-out")
    assert "15 分钟" in unit_page.inner_text("#locked-out")

    # The office sees the lock-out with the time left and lifts it.
    _login(page, live_server.url, "alice", "alice-office-pw-1")
    page.wait_for_selector(".site-user")
    page.click("nav >> text=用户管理")
    page.select_option("#user-filters select[name=role]", "unit")
    page.click("#user-filters button[type=submit]")
    row = page.locator("#users tr", has_text="dongcheng")
    assert "已锁定（剩余 15 分钟）" in row.inner_text()
    shot("1-locked-out-user")
    row.locator("button", has_text="解除锁定").click()
    page.wait_for_selector(".messages li.success:has-text('已解除用户“dongcheng”的登录锁定')")

    # A password reset shows the new password once.
    page.locator("#users tr", has_text="dongcheng").locator("button", has_text="重置密码").click()
    page.wait_for_selector("#password-reset")
    new_password = page.inner_text("#new-password").strip()
    shot("2-password-reset")

    # Bulk import: the result page shows the passwords; the sheet downloads once.
    sheet = tmp_path / "users.xlsx"
    sheet.write_bytes(xlsx([["用户名", "姓名", "单位"], ["qh1", "七户乡 李", "奇台县七户乡党委"],
                            ["qh2", "七户乡 张", "奇台县七户乡党委"]]))
    page.goto(f"{live_server.url}/users/import/")
    page.set_input_files("#id_file", str(sheet))
    page.click("#user-import button[type=submit]")
    page.wait_for_selector("#import-result")
    shown = page.locator("#imported-users code").all_inner_texts()
    assert len(shown) == 2
    shot("3-imported")
    with page.expect_download() as download_info:
        page.click("#passwords-download button")
    book = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert [row[4].value for row in book.active.iter_rows(min_row=2)] == shown
    page.wait_for_selector("#passwords-download button:disabled")

    # dongcheng signs in with the reset password and changes it from the header.
    _login(unit_page, live_server.url, "dongcheng", new_password)
    unit_page.wait_for_selector(".site-user")
    unit_page.click(".site-user >> text=修改密码")
    unit_page.fill("#id_old_password", new_password)
    unit_page.fill("#id_new_password1", "Dongcheng-new-2025")
    unit_page.fill("#id_new_password2", "Dongcheng-new-2025")
    unit_page.click("#password-change button[type=submit]")
    unit_page.wait_for_selector(".messages li.success:has-text('密码已修改')")
    other.close()
