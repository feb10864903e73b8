"""Notices as files: the round's notice and a unit's own notice, in every format."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from xuncha import access
from xuncha.inspections.publishing import unit_notice_of
from xuncha.notices import writers
from xuncha.notices.model import Notice


def notice_response(notice: Notice, fmt: str, stem: str) -> HttpResponse:
    """The notice as a download named ``stem.fmt``; 404 for a format with no writer."""
    if fmt not in writers.WRITERS:
        raise Http404
    try:
        body = writers.render_bytes(notice, fmt)
    except writers.MissingFontError as error:
        # The machine lacks the Chinese fonts a PDF embeds: say which, rather than fail.
        return HttpResponse(error.message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type=writers.CONTENT_TYPES[fmt])
    # Word files are saved; text, pages and PDFs open in the browser.
    disposition = "attachment" if fmt == "docx" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{stem}.{fmt}"'
    return response


@require_GET
@login_required
def unit_notice_download(
    request: HttpRequest, round_id: int, unit_id: int, fmt: str
) -> HttpResponse:
    # Whoever may see the unit may have its notice (shape B): it holds only its own problems.
    inspection = access.access_inspection(request.user, round_id, unit_id)
    return notice_response(unit_notice_of(inspection), fmt,
                           f"round-{round_id}-unit-{unit_id}-notice")
