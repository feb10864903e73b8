"""Rendered pages kept per user, path and data version: a page is rendered once per write.

A read page (the rounds, a round, a unit, a problem) is a function of who asks, what they ask
for, the day (deadline colours) and the data. ``cached_page`` keys the rendered HTML by exactly
that — the user's id, the host, the full path with its query, today's date, and the data
version (``xuncha.pagecache.version``, which every write moves) — so a write is visible on the
next request, and one user or unit never gets another's page. What differs per request is put
back on the way out: the CSRF token (kept as a placeholder, replaced by this request's token)
and the header's messages (a request with messages to show is rendered afresh, never stored).

Entries live in the ``pages`` cache (per process by default, XUNCHA_PAGE_CACHE_ENTRIES of
them; 0 turns caching off); an entry no later request can hit just ages out.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from xuncha.pagecache import version
from xuncha.workflow.models import today

PLACEHOLDER = "xuncha-csrf-placeholder-0f3c9a"
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
#: Response header saying whether the page came from the cache (for benchmarks and tests).
HEADER = "X-Xuncha-Page-Cache"

View = Callable[..., HttpResponse]


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENTRIES", 0))


def _key(request: HttpRequest, data_version: int) -> str:
    return (f"page:{data_version}:{today().isoformat()}:{request.user.pk}:"
            f"{request.get_host()}:{request.get_full_path()}")


def _has_messages(request: HttpRequest) -> bool:
    # len() looks at the stored and queued messages without marking them shown.
    return bool(len(messages.get_messages(request)))


def cached_page(view: View) -> View:
    """Serve a signed-in user's GET page from the cache; render and keep it otherwise."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (request.method != "GET" or not enabled() or not request.user.is_authenticated
                or _has_messages(request)):
            return view(request, *args, **kwargs)
        data_version = version.current()  # before the data: see xuncha.pagecache.version
        if data_version is None:
            return view(request, *args, **kwargs)
        request.xuncha_data_version = data_version  # type: ignore[attr-defined]
        store = caches["pages"]
        key = _key(request, data_version)
        kept = store.get(key)
        if kept is None:
            # One render per page at a time in this process: the other threads asking for
            # the same page wait for it instead of all rendering it at once.
            with _lock_for(key):
                kept = store.get(key)
                if kept is None:
                    return _render_and_keep(view, request, key, *args, **kwargs)
        content_type, body = kept
        response = HttpResponse(
            body.replace(PLACEHOLDER.encode(), get_token(request).encode()),
            content_type=content_type,
        )
        response[HEADER] = "hit"
        return response

    return wrapped


def _render_and_keep(view: View, request: HttpRequest, key: str, *args: Any,
                     **kwargs: Any) -> HttpResponse:
    response = view(request, *args, **kwargs)
    if (response.status_code == 200 and not response.streaming
            and not response.has_header("Content-Disposition")
            and not _has_messages(request)):
        body = _TOKEN.sub(rf"\g<1>{PLACEHOLDER}\g<3>", response.content.decode())
        caches["pages"].set(key, (response["Content-Type"], body.encode()))
        response[HEADER] = "miss"
    return response


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextlib.contextmanager
def _lock_for(key: str) -> Iterator[None]:
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    try:
        with lock:
            yield
    finally:
        with _locks_guard:
            if not lock.locked():
                _locks.pop(key, None)
