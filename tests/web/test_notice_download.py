"""The round page's notice downloads in every format, 公文 formats as files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.inspections.models import Round
from xuncha.inspections.publishing import round_notice
from xuncha.notices.parse import parse_document
from xuncha.notices.writers import CONTENT_TYPES, pdf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fmt", "content_type", "disposition"),
    [
        ("txt", "text/plain; charset=utf-8", "inline"),
        ("html", "text/html; charset=utf-8", "inline"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "attachment"),
        ("pdf", "application/pdf", "inline"),
    ],
)
def test_each_format_downloads_and_reads_back(
    alice_client: Client, seed_round: Round, fmt: str, content_type: str, disposition: str
) -> None:
    response = alice_client.get(reverse("round-notice", args=[seed_round.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    filename = f"round-{seed_round.pk}-notice.{fmt}"
    assert response["Content-Disposition"] == f'{disposition}; filename="{filename}"'
    assert parse_document(response.content, filename) == round_notice(seed_round)


def test_the_round_page_links_the_official_formats(alice_client: Client, seed_round: Round) -> None:
    html = alice_client.get(reverse("round-detail", args=[seed_round.pk])).content.decode()
    for fmt in ("docx", "pdf"):
        assert reverse("round-notice", args=[seed_round.pk, fmt]) in html


def test_without_chinese_fonts_the_pdf_download_says_what_to_install(
    alice_client: Client, seed_round: Round, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "FONT_DIRS", (tmp_path,))
    response = alice_client.get(reverse("round-notice", args=[seed_round.pk, "pdf"]))
    assert response.status_code == 503
    assert "fonts-arphic-gbsn00lp" in response.content.decode()


@pytest.mark.parametrize("fmt", ["docx", "pdf", "txt"])
def test_a_unit_downloads_its_own_notice(client: Client, seed_round: Round, fmt: str) -> None:
    from xuncha.accounts.models import Role
    from xuncha.accounts.services import create_user
    from xuncha.inspections.models import Inspection
    from xuncha.inspections.publishing import unit_notice_of

    client.force_login(create_user("dongcheng", Role.UNIT, unit="木垒县东城镇党委").user)  # type: ignore[arg-type]
    inspection = Inspection.objects.get(round=seed_round, unit__name="木垒县东城镇党委")
    page = client.get(reverse("unit-detail", args=[seed_round.pk, inspection.unit_id]))
    url = reverse("unit-notice", args=[seed_round.pk, inspection.unit_id, fmt])
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    notice = parse_document(response.content, f"unit.{fmt}")
    assert notice == unit_notice_of(inspection)
    assert [unit.name for unit in notice.units] == ["木垒县东城镇党委"]
    assert notice.problem_count == 3
