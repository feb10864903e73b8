"""The office publishes the seed round in a real browser; an anonymous visitor then finds it
at /gongkai/, reads it and downloads the PDF — all under the strict CSP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_csp import refusals
from xuncha.inspections.models import PublishedNotice, Round
from xuncha.notices.parse import parse_document
from xuncha.workflow.publishing import current_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_publishes_and_the_public_reads_and_downloads(
    live_server: Any, browser: Any, page: Any, shot: Any, seed_round: Round, alice: Any
) -> None:
    refused = refusals(page)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-office-pw-1")
    page.click("button[type=submit]")
    page.wait_for_selector("#nav-todo")
    page.goto(f"{live_server.url}/rounds/{seed_round.pk}/")
    page.wait_for_selector("#publication-none")
    page.on("dialog", lambda dialog: dialog.accept())  # 发布 asks first (data-confirm)
    page.click("#release-form button")
    page.wait_for_selector("#publication-current")
    assert "已发布第1版" in page.inner_text("#publication-current")
    shot("1-published")
    assert refused == []

    visitor = browser.new_context(locale="zh-CN", accept_downloads=True)
    public = visitor.new_page()
    public_refused = refusals(public)
    public.goto(f"{live_server.url}/gongkai/")
    public.wait_for_selector("text=昌吉州党委")
    public.click("ul.gongkai-list a")
    public.wait_for_selector("#gongkai-notice")
    body = public.inner_text("#gongkai-notice")
    assert "木垒县东城镇党委" in body and "整改情况" in body
    with public.expect_download() as waiting:
        # The PDF opens inline in a browser; ask for it as a download to check its bytes.
        public.evaluate("""() => { const a = document.querySelector(
            '#gongkai-downloads a[href$=".pdf"]'); a.setAttribute('download', '');
            a.click(); }""")
    data = Path(waiting.value.path()).read_bytes()
    published = PublishedNotice.objects.get()
    assert data == bytes(published.files.get(format="pdf").content)
    assert parse_document(data, "notice.pdf") == current_notice(seed_round)
    assert public_refused == []
    visitor.close()
