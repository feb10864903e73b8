"""待办: the landing page after login, what waits for the user (``xuncha.workflow.todo``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xuncha import access
from xuncha.workflow.models import today
from xuncha.workflow.todo import LIMIT, kinds_for, todo_counts, todo_for


@login_required
@require_GET
def todo_list(request: HttpRequest) -> HttpResponse:
    access.profile_of(request.user)
    day = today()
    items = todo_for(request.user, day)
    counts = todo_counts(request.user, day)
    sections = [
        {"kind": kind, "count": counts[kind], "items": [i for i in items if i.kind == kind]}
        for kind in kinds_for(request.user)
    ]
    return render(request, "web/todo.html", {
        "sections": sections, "today": day, "limit": LIMIT, "total": sum(counts.values()),
    })
