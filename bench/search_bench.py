# ruff: noqa: S608  (the raw floors name the index tables, words are parameters)
"""Search server time at scale (issue 9): ``GET /api/search`` through Django's test client
against the database's own full-text query for the same words (the floor).

A realistic mix: two-character words (资金, 党建, 两委), mixed words (3A, 2023年), two-word
queries, rare and very common words, the filters round/unit/county/category/status, the first
page and a deep page, and a unit user's scope. For each: p50 and p95 of the API's server time,
the query count of one request, the count it answered (">" when more rows match than the
cap), and the floor: the raw full-text count plus first page, on the full-text index alone
(FTS5 MATCH / tsvector @@). Totals: p50 and p95 over every request of the mix, and their ratio
to the floor's.

  XUNCHA_BENCH_PROBLEMS   problems to generate when the database holds fewer (default 100000)
  XUNCHA_BENCH_REPEATS    timed repeats per query (default 7)
  XUNCHA_BENCH_INDEX_FLOOR=0  skip the index-alone count (seconds per word on PostgreSQL at 1M)
  XUNCHA_DATABASE_URL     PostgreSQL (default: SQLite under var/bench-<N>/, or XUNCHA_DATA_DIR)

At a million (see docs/scale.md; the index build takes minutes):

  XUNCHA_BENCH_PROBLEMS=1000000 XUNCHA_DATA_DIR=/path/to/dir .venv/bin/python bench/search_bench.py
  XUNCHA_BENCH_PROBLEMS=1000000 XUNCHA_DATABASE_URL=postgres://…/db \\
    .venv/bin/python bench/search_bench.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PROBLEMS = int(os.environ.get("XUNCHA_BENCH_PROBLEMS", "100000"))
REPEATS = int(os.environ.get("XUNCHA_BENCH_REPEATS", "7"))
#: The index-alone count (informative; seconds per common word on PostgreSQL at 1M).
INDEX_FLOOR = os.environ.get("XUNCHA_BENCH_INDEX_FLOOR", "1") != "0"
if not os.environ.get("XUNCHA_DATABASE_URL"):
    os.environ.setdefault("XUNCHA_DATA_DIR", str(ROOT / "var" / f"bench-{PROBLEMS}"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("axes").setLevel(logging.WARNING)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from xuncha.analysis.text import fts5_query, query_terms, tsquery  # noqa: E402
from xuncha.inspections.generate import generate  # noqa: E402
from xuncha.inspections.models import Problem, Round  # noqa: E402
from xuncha.search import queries  # noqa: E402
from xuncha.search.bulk import rebuild_all  # noqa: E402
from xuncha.search.models import SearchDoc  # noqa: E402
from xuncha.search.queries import FILTERS  # noqa: E402

TARGET_P50, TARGET_P95, TARGET_RATIO = 50.0, 150.0, 1.5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def floor(words: str) -> Callable[[], Any] | None:
    """The database's own full-text query for the same words: count, then a first page."""
    terms = query_terms(words)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        match = "tokens_tsv @@ to_tsquery('simple'::regconfig, %s)"
        params = [tsquery(terms)]
        count = f"SELECT count(*) FROM search_searchdoc WHERE {match}"
        page = f"SELECT id FROM search_searchdoc WHERE {match} LIMIT 20"
    else:
        params = [fts5_query(terms)]
        count = "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s"
        page = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s LIMIT 20"

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(count, params)
            cursor.fetchone()
            cursor.execute(page, params)
            return cursor.fetchall()

    return run


def match_floor(user: Any, params: dict[str, Any]) -> Callable[[], Any] | None:
    """The raw SQL the database runs for the request's match set (the scope's problems, the
    full-text index and/or the exact test, scope, filters, newest first): captured from
    ``xuncha.search.queries`` once, then replayed on a bare cursor. What a request adds
    over it is the application's share: ranking, facets, the page's texts, HTTP."""
    terms = query_terms(str(params.get("q", "")))
    filters = {name: params[name] for name in FILTERS if params.get(name) not in (None, "")}
    if not terms and not filters:
        return None
    captured: list[tuple[str, Any]] = []

    def grab(execute: Any, sql: str, args: Any, many: bool, context: Any) -> Any:
        captured.append((sql, args))
        return execute(sql, args, many, context)

    with connection.execute_wrapper(grab):
        queries._match(user, terms, filters, queries._scope_problems(user))

    def run() -> None:
        with connection.cursor() as cursor:
            for sql, args in captured:
                cursor.execute(sql, args)
                cursor.fetchall()

    return run


def timed(run: Callable[[], Any]) -> list[float]:
    run()
    out = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        out.append((time.perf_counter() - start) * 1000)
    return out


def measure(client: Client, user: Any, params: dict[str, Any]) -> dict[str, Any]:
    executed: list[str] = []

    def counted(execute: Any, sql: str, args: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, args, many, context)

    with connection.execute_wrapper(counted):
        body = client.get("/api/search", params).json()  # warm-up and query count
    times = []
    cpu = []
    for _ in range(REPEATS):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get("/api/search", params)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.content[:200]
    raw = floor(params.get("q", "")) if INDEX_FLOOR else None
    floor_times = timed(raw) if raw is not None else []
    match = match_floor(user, params)
    match_times = timed(match) if match is not None else []
    return {"times": times, "cpu": cpu, "floor": floor_times, "match": match_times,
            "queries": len(executed),
            "count": body["count"], "exact": body["count_exact"]}


def main() -> None:
    if Problem.objects.count() < PROBLEMS * 0.99:
        call_command("migrate", verbosity=0)
        print(f"generating {PROBLEMS} problems …", flush=True)
        print(generate(PROBLEMS - Problem.objects.count()).summary(), flush=True)
    if not SearchDoc.objects.exists():
        started = time.perf_counter()
        rows = rebuild_all()
        print(f"search index built: {rows} rows in {time.perf_counter() - started:.0f} s")
    users = get_user_model().objects.select_related("profile")
    office = users.filter(username__startswith="gen-office-").order_by("pk").first()
    unit_user = users.filter(username__startswith="gen-unit-").order_by("pk").first()
    assert office is not None and unit_user is not None, "a generated database is needed"
    committee = office.profile.committee_id or 0
    # The newest round with problems (a generated committee's last round may have none yet).
    newest = Round.objects.filter(committee_id=committee, problems__isnull=False).order_by(
        "-pk").first()
    assert newest is not None
    problem = Problem.objects.filter(round=newest).select_related("unit__region").first()
    assert problem is not None
    unit = problem.unit
    county = unit.county
    category = (Problem.objects.filter(round=newest).exclude(category=None)
                .values_list("category_id", flat=True).first())
    rare = problem.text[3:9]  # six characters of one problem: a handful of rows
    province = users.filter(is_superuser=True).order_by("pk").first()
    if province is None:
        province = get_user_model().objects.create_superuser(
            "bench-province", password=None)  # sees everything, as a province's office
    clients = {}
    people = {"office": office, "unit": unit_user, "province": province}
    for name, user in people.items():
        clients[name] = Client(HTTP_HOST="127.0.0.1")
        clients[name].force_login(user)
    mix: list[tuple[str, str, dict[str, Any]]] = [
        ("资金", "office", {"q": "资金"}),
        ("党建", "office", {"q": "党建"}),
        ("两委", "office", {"q": "两委"}),
        ("3A", "office", {"q": "3A"}),
        ("2023年", "office", {"q": "2023年"}),
        ("资金 管理 (two words)", "office", {"q": "资金 管理"}),
        ("村级，后备 (full-width comma)", "office", {"q": "村级，后备"}),
        (f"rare: {rare}", "office", {"q": rare}),
        ("absent: 巡视组长", "office", {"q": "巡视组长"}),
        ("very common: 整改", "office", {"q": "整改"}),
        ("very common: 问题", "office", {"q": "问题"}),
        ("资金 + round", "office", {"q": "资金", "round": newest.pk}),
        ("党建 + unit", "office", {"q": "党建", "unit": unit.pk}),
        ("整改 + county", "office", {"q": "整改", "county": county.pk if county else ""}),
        ("资金 + category", "office", {"q": "资金", "category": category or ""}),
        ("问题 + status", "office", {"q": "问题", "status": "in_progress"}),
        ("整改 page 40", "office", {"q": "整改", "page": 40}),
        ("资金 page 10 of 50", "office", {"q": "资金", "page": 10, "page_size": 50}),
        ("unit user: 资金", "unit", {"q": "资金"}),
        ("unit user: 整改", "unit", {"q": "整改"}),
        ("round filter, no words", "office", {"round": newest.pk}),
    ]
    # The whole province's data (no scope to narrow by): reported apart from the mix above,
    # which is what an office of one of the generated prefectures sees.
    wide: list[tuple[str, str, dict[str, Any]]] = [
        ("province: 资金", "province", {"q": "资金"}),
        ("province: 2023年", "province", {"q": "2023年"}),
        ("province: 两委", "province", {"q": "两委"}),
        (f"province: rare {rare}", "province", {"q": rare}),
        ("province: absent 巡视组长", "province", {"q": "巡视组长"}),
    ]
    docs = SearchDoc.objects.count()
    print(f"\n== search on {connection.vendor}, {Problem.objects.count():,} problems, "
          f"{docs:,} index rows, {REPEATS} repeats ==")
    print(f"{'query':34} {'count':>7} {'q':>3} {'p50':>8} {'p95':>8} {'cpu p50':>8} "
          f"{'match p50':>10} {'ratio':>6} {'index p50':>10}")
    results = []
    all_times: list[float] = []
    all_floor: list[float] = []
    wide_times: list[float] = []
    all_match: list[float] = []
    wide_match: list[float] = []
    all_cpu: list[float] = []
    for label, who, params in [*mix, *wide]:
        row = measure(clients[who], people[who], params)
        times, floor_times, match_times = row["times"], row["floor"], row["match"]
        if who == "province":
            wide_times += times
            wide_match += match_times
        else:
            all_times += times
            all_floor += floor_times
            all_match += match_times
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        f50 = statistics.median(floor_times) if floor_times else None
        m50 = statistics.median(match_times) if match_times else None
        ratio = f"{p50 / m50:.2f}" if m50 else "–"
        count = f"{'>' if not row['exact'] else ''}{row['count']}"
        c50 = statistics.median(row["cpu"])
        all_cpu += row["cpu"]
        print(f"{label:34} {count:>7} {row['queries']:>3} {p50:8.1f} {p95:8.1f} {c50:8.1f} "
              f"{(f'{m50:.1f}' if m50 is not None else '–'):>10} {ratio:>6} "
              f"{(f'{f50:.1f}' if f50 is not None else '–'):>10}", flush=True)
        results.append({"query": label, "params": params, "count": row["count"],
                        "count_exact": row["exact"], "queries": row["queries"],
                        "p50_ms": p50, "p95_ms": p95, "cpu_p50_ms": c50,
                        "match_p50_ms": m50, "index_p50_ms": f50})
    p50, p95 = statistics.median(all_times), percentile(all_times, 0.95)
    f50, f95 = (statistics.median(all_floor), percentile(all_floor, 0.95)) if all_floor else (
        0.0, 0.0)
    m50, m95 = statistics.median(all_match), percentile(all_match, 0.95)
    print(f"\nall requests: p50 {p50:.1f} ms (target ≤ {TARGET_P50:.0f}), "
          f"p95 {p95:.1f} ms (target ≤ {TARGET_P95:.0f})")
    print(f"floor (the match set's raw SQL): p50 {m50:.1f} ms, p95 {m95:.1f} ms; "
          f"ratio p50 {p50 / m50:.2f}×, p95 {p95 / m95:.2f}× (target ≤ {TARGET_RATIO}×)")
    print(f"index alone (raw full-text count + first page, no scope, no exact test): "
          f"p50 {f50:.1f} ms, p95 {f95:.1f} ms")
    print(f"this process's CPU per request (all of it on SQLite; the client side on "
          f"PostgreSQL): p50 {statistics.median(all_cpu):.1f} ms; load average "
          f"{os.getloadavg()[0]:.1f}")
    w50, w95 = statistics.median(wide_times), percentile(wide_times, 0.95)
    wm50, wm95 = statistics.median(wide_match), percentile(wide_match, 0.95)
    print(f"province (whole database in scope): p50 {w50:.1f} ms, p95 {w95:.1f} ms; its "
          f"match SQL p50 {wm50:.1f} ms, p95 {wm95:.1f} ms")
    out = ROOT / "var" / f"bench-search-{connection.vendor}-{PROBLEMS}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"results": results, "p50_ms": p50, "p95_ms": p95,
                               "match_p50_ms": m50, "match_p95_ms": m95,
                               "index_p50_ms": f50, "index_p95_ms": f95,
                               "province_p50_ms": w50, "province_p95_ms": w95}, indent=1,
                              ensure_ascii=False))


if __name__ == "__main__":
    main()
