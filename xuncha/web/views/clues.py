"""The clue register (问题线索台账): every handed-over clue in scope, by receiver and status."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xuncha import access
from xuncha.workflow.clues import ClueStatus, filter_clues, status_of
from xuncha.workflow.deadlines import level
from xuncha.workflow.models import ClueHandover, today


@login_required
@require_GET
def clue_register(request: HttpRequest) -> HttpResponse:
    if not access.sees_clues(request.user):
        raise Http404
    day = today()
    receiver = request.GET.get("receiver") or None
    status = request.GET.get("status") or None
    try:
        handovers = filter_clues(access.handovers_for(request.user), day,
                                 receiver=receiver, status=status)
    except ValueError:
        raise Http404 from None
    handovers = handovers.select_related("problem__unit", "problem__round__committee").order_by(
        "follow_up_due", "id"
    )
    page = Paginator(handovers, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"handover": h, "status": status_of(h, day),
         "level": level(None if h.outcome else h.follow_up_due, day),
         "mine": access.can_record_outcome(request.user, h)}
        for h in page.object_list
    ]
    return render(request, "web/clues.html", {
        "page": page, "rows": rows, "receiver": receiver or "", "status": status or "",
        "receivers": ClueHandover.Receiver.choices,
        "statuses": [(s.value, s.label) for s in ClueStatus],
    })
