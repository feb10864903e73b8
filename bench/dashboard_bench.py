# ruff: noqa: S608  (the raw floors name tables from the models, values are parameters)
"""Server time of the round and committee dashboards (issue 9: round ≤ 300 ms, committee ≤ 1 s
at 1,000,000 problems), uncached and cached, with their query counts and the raw SQL floor.

Runs on the database ``scale_bench`` uses (same environment variables; it fills an empty one
with ``xuncha generate``). Each dashboard is timed through Django's test client (server time):

- uncached: ``STATS_CACHE_SECONDS=0``, every aggregate runs (what the first visitor after a
  change waits for);
- cached: the figures kept until the history moves (what everyone else waits for);
- the floor: the grouped status counts and deadline-level counts the page cannot do without,
  as raw SQL.

The committee dashboard is timed for a committee's office (its own rounds) and for a
province-wide office (every round: the whole million); ``XUNCHA_BENCH_PROVINCE=0`` skips the
province (its uncached figures take minutes on a loaded machine).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datetime
import json
import os
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from scale_bench import PROBLEMS, RESULTS, ROOT, get, prepare_database, sql, timed

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Measure, Problem, Round
from xuncha.workflow.models import today

CLOSED = "('signed_off','pending_review','long_term_review')"


def _floor(group: str, where: str, params: list[Any]) -> Any:
    """The two grouped counts a dashboard's main table needs: statuses over problems and
    deadline levels over open measures."""
    problems, measures = Problem._meta.db_table, Measure._meta.db_table
    rounds = Round._meta.db_table
    day = today()
    horizon = day + datetime.timedelta(days=settings.DEADLINE_NOTICE_DAYS)
    status = sql(f"SELECT p.{group}, p.status, COUNT(*) FROM {problems} p "
                 f"JOIN {rounds} r ON r.id = p.round_id WHERE {where} GROUP BY 1, 2", params)
    levels = sql(
        f"SELECT p.{group}, SUM(CASE WHEN m.due_date < %s THEN 1 ELSE 0 END), COUNT(*) "
        f"FROM {measures} m JOIN {problems} p ON p.id = m.problem_id "
        f"JOIN {rounds} r ON r.id = p.round_id WHERE {where} AND m.status NOT IN {CLOSED} "
        f"AND m.due_date <= %s GROUP BY 1", [day.isoformat(), *params, horizon.isoformat()])

    def run() -> None:
        status()
        levels()
    return run


def _both(name: str, client: Client, url: str, floor: Any, repeats: int | None = None) -> None:
    """``repeats``: of the uncached run (the cached one repeats as usual)."""
    extra = {} if repeats is None else {"repeats": repeats}
    settings.STATS_CACHE_SECONDS = 0
    timed(f"{name} (uncached)", get(client, url), floor=floor, **extra)
    settings.STATS_CACHE_SECONDS = 600
    cache.clear()
    timed(f"{name} (cached)", get(client, url))


def main() -> None:
    have = prepare_database()
    vendor = connection.vendor
    print(f"== dashboards: {vendor}, {have} problems, "
          f"load {os.getloadavg()} ==", flush=True)
    users = get_user_model().objects.select_related("profile")
    newest = Round.objects.filter(problems__isnull=False).order_by("-feedback_date", "-id").first()
    assert newest is not None
    committee = newest.committee_id
    office = users.get(username=f"gen-office-{committee}")
    if not users.filter(username="bench-province-office").exists():
        create_user("bench-province-office", Role.OFFICE)
    province = users.get(username="bench-province-office")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(office)
    wide = Client(HTTP_HOST="127.0.0.1")
    wide.force_login(province)
    in_round = Problem.objects.filter(round=newest).count()
    print(f"round {newest.pk}: {in_round} problems; committee {committee}: "
          f"{Problem.objects.filter(round__committee_id=committee).count()} problems", flush=True)
    year = newest.inspection_start.year if newest.inspection_start else today().year

    _both("round dashboard", client, f"/rounds/{newest.pk}/dashboard/",
          _floor("unit_id", "p.round_id = %s", [newest.pk]))
    _both("GET /api/rounds/{id}/stats", client, f"/api/rounds/{newest.pk}/stats", None)
    settings.STATS_CACHE_SECONDS = 0
    timed("round dashboard xlsx (uncached)",
          get(client, f"/rounds/{newest.pk}/dashboard/?export=xlsx"))
    _both("committee dashboard, committee office", client, "/dashboard/",
          _floor("round_id", "r.committee_id = %s", [committee]))
    if os.environ.get("XUNCHA_BENCH_PROVINCE", "1") == "0":
        _write(vendor)
        return
    _both("committee dashboard, province, all years", wide, "/dashboard/",
          _floor("round_id", "1 = %s", [1]), repeats=2)
    _both(f"committee dashboard, province, {year}", wide, f"/dashboard/?year={year}",
          _floor("round_id", "r.inspection_start >= %s AND r.inspection_start < %s",
                 [f"{year}-01-01", f"{year + 1}-01-01"]), repeats=2)
    _both("GET /api/stats, province", wide, "/api/stats", None, repeats=1)
    settings.STATS_CACHE_SECONDS = 0
    timed("committee dashboard xlsx, province (uncached)",
          get(wide, "/dashboard/?export=xlsx"), repeats=1)

    _write(vendor)


def _write(vendor: str) -> None:
    out = ROOT / "var" / f"bench-dashboards-{vendor}-{PROBLEMS}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"database": vendor, "problems": PROBLEMS,
                               "load": os.getloadavg(), "results": RESULTS},
                              ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
