"""整改评估 on a generated database: the evaluation page, its xlsx and API, and the round page
(per-unit quality flags), for the round with the most problems. Server time through Django's
test client, median and p95 over repeats, and the query count of one run (which must not grow
with the data).

  XUNCHA_BENCH_EVAL_PROBLEMS  problems to generate (default 20000)
  XUNCHA_BENCH_REPEATS        repeats per page (default 5)
  XUNCHA_DATABASE_URL         PostgreSQL (default: SQLite under var/bench-eval-<N>/)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PROBLEMS = int(os.environ.get("XUNCHA_BENCH_EVAL_PROBLEMS", "20000"))
REPEATS = int(os.environ.get("XUNCHA_BENCH_REPEATS", "5"))
if not os.environ.get("XUNCHA_DATABASE_URL"):
    os.environ.setdefault("XUNCHA_DATA_DIR", str(ROOT / "var" / f"bench-eval-{PROBLEMS}"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("axes").setLevel(logging.WARNING)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from xuncha.inspections.generate import generate  # noqa: E402
from xuncha.inspections.models import Problem, Round  # noqa: E402


def timed(name: str, run: Callable[[], Any]) -> None:
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        run()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    p95 = sorted(times)[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{name:<40} p50 {statistics.median(times) * 1000:>8.1f} ms  "
          f"p95 {p95 * 1000:>8.1f} ms  {len(queries):>4} queries", flush=True)


def get(client: Client, url: str) -> Callable[[], Any]:
    def run() -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response
    return run


def main() -> None:
    call_command("migrate", verbosity=0)
    if Problem.objects.count() < PROBLEMS * 0.99:
        print(generate(PROBLEMS).summary(), flush=True)
    round_ = (Round.objects.annotate(n=Count("problems")).order_by("-n", "-id").first())
    assert round_ is not None
    units = round_.inspections.count()
    print(f"== {connection.vendor}, {Problem.objects.count()} problems; round {round_.pk}: "
          f"{round_.n} problems, {units} units; load {os.getloadavg()} ==")
    office = get_user_model().objects.get(username=f"gen-office-{round_.committee_id}")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(office)
    timed("evaluation page", get(client, f"/rounds/{round_.pk}/evaluation/"))
    timed("evaluation xlsx", get(client, f"/rounds/{round_.pk}/evaluation.xlsx"))
    timed("GET /api/rounds/{id}/evaluation", get(client, f"/api/rounds/{round_.pk}/evaluation"))
    timed("round page (quality flag counts)", get(client, f"/rounds/{round_.pk}/"))


if __name__ == "__main__":
    main()
