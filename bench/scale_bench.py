# ruff: noqa: S608  (the raw floors name tables from the models, values are parameters)
"""Server time of the pages and commands that must scale, on a generated database (issue 9).

Fills the database with ``xuncha generate`` when it holds fewer problems than asked, then
times each page through Django's test client (server time: no network, no browser) and each
command in-process: median and p95 over repeats, and the query count of one run. Where the
issue asks for a ratio, the raw SQL the database needs for the same answer (the floor) is timed
too and the ratio printed.

  XUNCHA_BENCH_PROBLEMS   problems to generate (default 100000)
  XUNCHA_BENCH_REPEATS    repeats per page (default 7)
  XUNCHA_DATABASE_URL     PostgreSQL (default: SQLite under var/bench-<N>/)
  XUNCHA_BENCH_FULL_VERIFY=0  skip the full `audit verify` (minutes at a million)

At a million, on each database (the generation takes minutes; later runs reuse the data):

  XUNCHA_BENCH_PROBLEMS=1000000 make bench
  XUNCHA_BENCH_PROBLEMS=1000000 \\
    XUNCHA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/xuncha_bench_1m make bench

Results are also written as JSON to var/bench-results-<database>-<N>.json.
"""

from __future__ import annotations

import io
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
if not os.environ.get("XUNCHA_DATABASE_URL"):
    os.environ.setdefault("XUNCHA_DATA_DIR", str(ROOT / "var" / f"bench-{PROBLEMS}"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("axes").setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from xuncha.inspections.generate import generate  # noqa: E402
from xuncha.inspections.models import Inspection, Measure, Problem, Round  # noqa: E402
from xuncha.workflow.models import Notification, ReminderDigest, today  # noqa: E402

RESULTS: list[dict[str, Any]] = []


def timed(name: str, run: Callable[[], Any], repeats: int = REPEATS,
          floor: Callable[[], Any] | None = None) -> None:
    """Median and p95 of ``run`` (seconds → ms), its query count, and the floor's ratio."""
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper, not CaptureQueriesContext: each request start clears the captured log.
    with connection.execute_wrapper(count):
        run()  # warm-up, and the query count
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    row: dict[str, Any] = {
        "name": name,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(sorted(times)[min(len(times) - 1, int(len(times) * 0.95))] * 1000, 1),
        "queries": len(queries),
    }
    if floor is not None:
        floor()
        floors = []
        for _ in range(repeats):
            start = time.perf_counter()
            floor()
            floors.append(time.perf_counter() - start)
        row["floor_ms"] = round(statistics.median(floors) * 1000, 1)
        row["ratio"] = round(row["median_ms"] / max(row["floor_ms"], 0.01), 1)
    RESULTS.append(row)
    extra = f"  floor {row['floor_ms']} ms  ×{row['ratio']}" if floor is not None else ""
    print(f"{name:<44} p50 {row['median_ms']:>9} ms  p95 {row['p95_ms']:>9} ms  "
          f"{row['queries']:>5} queries{extra}", flush=True)


def board_export(client: Client) -> Callable[[], Any]:
    """导出 Excel on the board: queue the job, run it here as the worker would, download."""
    from xuncha.jobs import services as jobs

    def run() -> Any:
        response = client.post("/board/export/", {"by": "unit", "sort": "overdue"})
        job_id = int(response["Location"].rstrip("/").split("/")[-1])
        jobs.run_board_export(job_id, "bench")
        return get(client, f"/jobs/{job_id}/download/")()

    return run


def get(client: Client, url: str) -> Callable[[], Any]:
    def run() -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:  # type: ignore[attr-defined]
                pass
        return response
    return run


def sql(text: str, params: list[Any] | None = None) -> Callable[[], Any]:
    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(text, params or [])
            return cursor.fetchall()
    return run


def prepare_database() -> int:
    """Migrate, fill an empty database with PROBLEMS generated problems, and return how many
    problems it holds (the other benches share this database)."""
    call_command("migrate", verbosity=0)
    have = Problem.objects.count()
    if have < PROBLEMS * 0.99:
        if have:
            raise SystemExit(f"数据库已有 {have} 个问题（少于 {PROBLEMS}）：请用空数据库")
        print(generate(PROBLEMS).summary(), flush=True)
    return Problem.objects.count()


def main() -> None:
    prepare_database()
    vendor = connection.vendor
    print(f"== {vendor}, {Problem.objects.count()} problems, load {os.getloadavg()} ==")
    users = get_user_model().objects.select_related("profile")
    newest = Round.objects.filter(problems__isnull=False).order_by("-feedback_date", "-id").first()
    assert newest is not None
    committee = newest.committee_id
    office = users.get(username=f"gen-office-{committee}")
    inspection = Inspection.objects.filter(round=newest).order_by("id").first()
    assert inspection is not None
    problem = Problem.objects.filter(round=newest, unit=inspection.unit_id).order_by("id").first()
    assert problem is not None
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(office)
    scoped = Problem.objects.filter(round__committee_id=committee).count()
    last_page = max(1, -(-scoped // 50))
    table = Problem._meta.db_table
    rounds_table = Round._meta.db_table

    # Server time to render: the page cache (xuncha.pagecache) off, then a cached visit.
    settings.PAGE_CACHE_ENTRIES = 0
    timed("round page", get(client, f"/rounds/{newest.pk}/"))
    unit_url = f"/rounds/{newest.pk}/units/{inspection.unit_id}/"
    timed("unit page", get(client, unit_url))
    settings.PAGE_CACHE_ENTRIES = 2000
    timed("unit page from the page cache", get(client, unit_url))
    timed("overdue board per leader from the page cache", get(client, "/board/?by=leader"))
    settings.PAGE_CACHE_ENTRIES = 0
    timed("problem page", get(client, f"/problems/{problem.pk}/"))
    timed("rounds list (web)", get(client, "/rounds/"))
    timed("GET /api/rounds", get(client, "/api/rounds"))
    timed("users page", get(client, "/users/"))
    page_floor = (
        f'SELECT p.id, p.text FROM {table} p JOIN {rounds_table} r ON r.id = p.round_id '
        f'WHERE r.committee_id = %s ORDER BY p.round_id, p.unit_id, p."order", p.id '
        f'LIMIT 50 OFFSET %s'
    )
    for label, page in (("unfiltered", 1), ("page 100", 100), ("last page", last_page)):
        timed(f"GET /api/problems {label}", get(client, f"/api/problems?page={page}"),
              floor=sql(page_floor, [committee, (page - 1) * 50]))
    deep = (Problem.objects.filter(round__committee_id=committee)
            .order_by("round_id", "unit_id", "order", "id")
            .values_list("round_id", "unit_id", "order", "id")[max(0, (last_page - 1) * 50 - 1)])
    cursor = "-".join(str(v) for v in deep)
    timed("GET /api/problems after= (last page)", get(client, f"/api/problems?after={cursor}"))
    timed("GET /api/problems?round=", get(client, f"/api/problems?round={newest.pk}"))
    board_floor = sql(
        f"SELECT p.unit_id, COUNT(*) FROM {Measure._meta.db_table} m "
        f"JOIN {table} p ON p.id = m.problem_id JOIN {rounds_table} r ON r.id = p.round_id "
        "WHERE r.committee_id = %s AND m.status NOT IN ('signed_off','pending_review',"
        "'long_term_review') AND m.due_date <= %s GROUP BY p.unit_id",
        [committee, today().isoformat()],
    )
    timed("overdue board per unit", get(client, "/board/?by=unit"), repeats=3, floor=board_floor)
    timed("overdue board per leader", get(client, "/board/?by=leader"), repeats=3)
    timed("overdue board per leader, last page", get(client, "/board/?by=leader&page=last"),
          repeats=3)
    timed("overdue board xlsx export (the background job's work)", board_export(client),
          repeats=1)

    day = today()
    ReminderDigest.objects.filter(day=day).delete()
    Notification.objects.filter(kind=Notification.Kind.DIGEST).delete()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        call_command("remind", stdout=io.StringIO())
        seconds = time.perf_counter() - start
    RESULTS.append({"name": "xuncha remind", "median_ms": round(seconds * 1000, 1),
                    "queries": len(queries)})
    print(f"{'xuncha remind':<44} {seconds * 1000:>13.1f} ms  {len(queries):>5} queries")
    body = Notification.objects.filter(user=office).order_by("-id").first()
    size = len(body.body) if body else 0
    print(f"{'  office digest body':<44} {size} characters")
    timed("notifications page after digest", get(client, "/notifications/"))

    anchor = ROOT / "var" / f"bench-anchor-{vendor}-{PROBLEMS}.json"
    runs: list[tuple[str, list[str]]] = [
        ("xuncha audit verify --since-anchor", ["--since-anchor", str(anchor)])
    ]
    if os.environ.get("XUNCHA_BENCH_FULL_VERIFY", "1") != "0":
        runs.insert(0, ("xuncha audit verify", []))
    for label, args in runs:
        if args:
            call_command("audit", "anchor", "-o", str(anchor), stdout=io.StringIO())
        start = time.perf_counter()
        try:
            call_command("audit", "verify", *args, stdout=io.StringIO())
        except SystemExit as exit_:
            print(f"{label}: exit {exit_.code}")
        seconds = time.perf_counter() - start
        RESULTS.append({"name": label, "median_ms": round(seconds * 1000, 1)})
        print(f"{label:<44} {seconds * 1000:>13.1f} ms")

    out = ROOT / "var" / f"bench-results-{vendor}-{PROBLEMS}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"database": vendor, "problems": PROBLEMS,
                               "load": os.getloadavg(), "results": RESULTS},
                              ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
