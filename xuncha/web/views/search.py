"""The search page behind the search box in every page's header."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xuncha.search.queries import FILTERS, search

PAGE_SIZE = 20
MAX_PAGE = 500
FACET_TITLES = {"round": "轮次", "unit": "被巡察单位", "county": "县市", "category": "问题类别",
                "status": "整改状态"}


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if 0 < number < 2**63 else default


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The filters from the query string; a value that is not an id is ignored."""
    filters: dict[str, Any] = {}
    for name in FILTERS:
        raw = request.GET.get(name, "").strip()
        if raw:
            filters[name] = raw[:32] if name == "status" else _int(raw)
    return {name: value for name, value in filters.items() if value is not None}


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    filters = _filters(request)
    page = min(_int(request.GET.get("page"), 1) or 1, MAX_PAGE)
    result = search(request.user, query, filters, page, PAGE_SIZE)

    def link(**changes: Any) -> str:
        params = {"q": query, **filters, **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    facets = [
        {
            "name": name, "title": FACET_TITLES[name],
            "values": [
                {**entry, "active": str(filters.get(name)) == str(entry["value"]),
                 "url": link(**{name: None if str(filters.get(name)) == str(entry["value"])
                                else entry["value"]}, page=None)}
                for entry in result.facets.get(name, [])
            ],
        }
        for name in FILTERS
    ]
    pages = max(1, -(-result.count // PAGE_SIZE))
    return render(request, "web/search.html", {
        "query": query, "search_query": query, "result": result, "facets": facets,
        "filtered": bool(filters),
        "clear_url": link(**dict.fromkeys(filters), page=None),
        "pages": pages,
        "previous_url": link(page=page - 1) if page > 1 else None,
        "next_url": link(page=page + 1) if page < min(pages, MAX_PAGE) else None,
    })
