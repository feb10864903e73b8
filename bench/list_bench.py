"""Server time of every long list at its first and deepest page (issue 9: problem lists ≤ 100 ms
at any page depth at 1,000,000 problems; the users and notifications pages ≤ 100–300 ms).

Runs on the database ``scale_bench`` uses (same environment variables; it fills an empty one
with ``xuncha generate``). Each page is timed through Django's test client with the page cache
off, as a committee's office (its own rounds: about 4,000 problems at any size of the province)
and as a province-wide office (every round: the whole million). Besides the wall-clock median it
prints the CPU this process spent per request (Django's share; on SQLite the database's too),
which says more than wall time on a machine shared with other work.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import json
import os
import statistics
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from scale_bench import PROBLEMS, REPEATS, ROOT, get, prepare_database

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Measure, Problem, Round

RESULTS: list[dict[str, Any]] = []


def timed(name: str, client: Client, url: str, repeats: int = REPEATS) -> None:
    """Median wall and CPU time per request (ms) and the query count of one request."""
    run = get(client, url)
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        run()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    row = {"name": name, "url": url, "median_ms": round(statistics.median(walls) * 1000, 1),
           "p95_ms": round(sorted(walls)[min(len(walls) - 1, int(len(walls) * 0.95))] * 1000, 1),
           "cpu_ms": round(statistics.median(cpus) * 1000, 1), "queries": len(queries)}
    RESULTS.append(row)
    print(f"{name:<52} p50 {row['median_ms']:>8} ms  p95 {row['p95_ms']:>8} ms  "
          f"CPU {row['cpu_ms']:>7} ms  {row['queries']:>3} queries", flush=True)


def _cursor(problems: Any, index: int) -> str:
    row = problems.order_by("round_id", "unit_id", "order", "id").values_list(
        "round_id", "unit_id", "order", "id")[index]
    return "-".join(str(value) for value in row)


def _lists(who: str, user: Any, problems: Any, size: int = 50) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    total = problems.count()
    last = max(1, -(-total // size))
    timed(f"{who}: rounds list", client, "/rounds/")
    rounds = client.get("/api/rounds").json()["count"]
    last_rounds = max(1, -(-rounds // size))
    timed(f"{who}: rounds list, last page", client, f"/rounds/?page={last_rounds}")
    timed(f"{who}: GET /api/rounds", client, "/api/rounds")
    timed(f"{who}: GET /api/rounds, last page", client, f"/api/rounds?page={last_rounds}")
    timed(f"{who}: GET /api/problems", client, "/api/problems")
    timed(f"{who}: GET /api/problems page 100", client, f"/api/problems?page={min(100, last)}")
    timed(f"{who}: GET /api/problems last page (offset)", client, f"/api/problems?page={last}")
    deep = _cursor(problems, max(0, total - size - 1))
    timed(f"{who}: GET /api/problems after= (last page)", client, f"/api/problems?after={deep}")
    timed(f"{who}: GET /api/problems before= (last page)", client,
          f"/api/problems?before={_cursor(problems, total - 1)}")
    timed(f"{who}: board items overdue", client, "/board/items/?kind=overdue")
    timed(f"{who}: board items overdue, last page", client,
          "/board/items/?kind=overdue&cursor=last")
    middle = (Measure.objects.filter(problem__in=problems).order_by("due_date", "id")
              .values_list("due_date", "id")[min(20_000, total)])
    timed(f"{who}: board items overdue, cursor deep", client,
          f"/board/items/?kind=overdue&cursor=a_{middle[0].isoformat()}_{middle[1]}")
    timed(f"{who}: board items late plans", client, "/board/items/?kind=late_plan")
    timed(f"{who}: users page", client, "/users/")
    accounts = max(1, -(-access.users_for(user).count() // settings.PAGE_SIZE))
    timed(f"{who}: users page, last page", client, f"/users/?page={accounts}")
    timed(f"{who}: notifications page", client, "/notifications/")


def main() -> None:
    have = prepare_database()
    vendor = connection.vendor
    print(f"== lists: {vendor}, {have} problems, load {os.getloadavg()} ==", flush=True)
    settings.PAGE_CACHE_ENTRIES = 0
    users = get_user_model().objects.select_related("profile")
    newest = Round.objects.filter(problems__isnull=False).order_by("-feedback_date", "-id").first()
    assert newest is not None
    committee = newest.committee_id
    if not users.filter(username="bench-province-office").exists():
        create_user("bench-province-office", Role.OFFICE)
    _lists("committee office", users.get(username=f"gen-office-{committee}"),
           Problem.objects.filter(round__committee_id=committee))
    _lists("province office", users.get(username="bench-province-office"),
           Problem.objects.all())
    if not users.filter(username="bench-admin").exists():
        get_user_model().objects.create_superuser("bench-admin", password=None)
    admin = Client(HTTP_HOST="127.0.0.1")
    admin.force_login(users.get(username="bench-admin"))
    timed("admin problem list", admin, "/admin/inspections/problem/")
    timed("admin problem list, page 1000", admin, "/admin/inspections/problem/?p=1000")
    out = ROOT / "var" / f"bench-lists-{vendor}-{PROBLEMS}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"database": vendor, "problems": PROBLEMS,
                               "load": os.getloadavg(), "results": RESULTS},
                              ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written {out}, load {os.getloadavg()}")


if __name__ == "__main__":
    main()
