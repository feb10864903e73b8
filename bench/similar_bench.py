# ruff: noqa: S608  (the raw floors name tables from the models, values are parameters)
"""共性 groups and 屡查屡犯 links at scale (issue 9), on a generated database.

Uses the same database as ``scale_bench.py`` (generated there, or here when missing) and its
timing helpers. Prints, for the newest round of 30 units:

- 共性 groups for the round (the function, and ``GET /api/rounds/{id}/common-problems``),
  with the floor: reading the round's band keys;
- 屡查屡犯 links for the round (``recurrence_links``: every problem against earlier problems
  of its place) and ``recurrence_counts``, with the floor: the band key self-join;
- the problem page and ``GET /api/problems/{id}`` with ``related``;
- ``xuncha similar rebuild`` over every problem (XUNCHA_BENCH_REBUILD=0 skips it).

  XUNCHA_BENCH_PROBLEMS=1000000 XUNCHA_DATA_DIR=… python bench/similar_bench.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client

# Imported first of the project's: it sets up Django on the benchmark database.
from scale_bench import PROBLEMS, RESULTS, ROOT, get, prepare_database, sql, timed

from xuncha.inspections.models import Inspection, Problem, Round
from xuncha.similar.index import rebuild
from xuncha.similar.models import BandKey
from xuncha.similar.queries import common_groups, recurrence_counts, recurrence_links


def main() -> None:
    have = prepare_database()
    vendor = connection.vendor
    print(f"== similar: {vendor}, {have} problems, {BandKey.objects.count()} band keys, "
          f"load {os.getloadavg()} ==", flush=True)
    # The newest round of ordinary size (30 units, about 8 problems each): the generator gives
    # the last unit of its last round every problem left over, which no real round looks like.
    newest = next(
        r for r in Round.objects.filter(problems__isnull=False).order_by("-feedback_date", "-id")
        .annotate(n=Count("problems"))[:20] if r.n <= 12 * 30
    )
    units = Inspection.objects.filter(round=newest).count()
    problems = Problem.objects.filter(round=newest).count()
    print(f"newest round {newest.pk}: {units} units, {problems} problems")
    office = get_user_model().objects.get(username=f"gen-office-{newest.committee_id}")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(office)
    table = BandKey._meta.db_table

    everything = Problem.objects.all()
    groups = common_groups(newest, everything)
    print(f"  共性 groups: {len(groups)}; largest "
          f"{max((len(g.units) for g in groups), default=0)} of {units} units")
    timed("共性 groups for a round (function)", lambda: common_groups(newest, everything),
          floor=sql(f"SELECT problem_id, key FROM {table} WHERE round_id = %s", [newest.pk]))
    timed("GET /api/rounds/{id}/common-problems",
          get(client, f"/api/rounds/{newest.pk}/common-problems"))
    timed("共性 page", get(client, f"/rounds/{newest.pk}/common/"))

    links = recurrence_links(newest)
    linked = len({link.problem for link in links})
    print(f"  屡查屡犯: {linked} of {problems} problems linked, {len(links)} links")
    join = (f"SELECT DISTINCT a.problem_id, b.problem_id, b.round_id FROM {table} a "
            f"JOIN {table} b ON b.key = a.key AND b.place = a.place "
            "WHERE a.round_id = %s AND b.round_id <> %s")
    timed("屡查屡犯 links for a round", lambda: recurrence_links(newest),
          floor=sql(join, [newest.pk, newest.pk]))
    timed("recurrence_counts for a round", lambda: recurrence_counts(newest))
    problem = Problem.objects.filter(pk=links[0].problem).get() if links else (
        Problem.objects.filter(round=newest).order_by("id").first())
    assert problem is not None
    timed("problem page (with 屡查屡犯)", get(client, f"/problems/{problem.pk}/"))
    timed("GET /api/problems/{id} (with related)", get(client, f"/api/problems/{problem.pk}"))

    if os.environ.get("XUNCHA_BENCH_REBUILD", "1") != "0":
        start = time.perf_counter()
        rows = rebuild()
        seconds = time.perf_counter() - start
        RESULTS.append({"name": "xuncha similar rebuild", "median_ms": round(seconds * 1000),
                        "rows": rows})
        print(f"{'xuncha similar rebuild':<44} {seconds:>10.1f} s  {rows} rows  "
              f"load {os.getloadavg()}", flush=True)

    out = ROOT / "var" / f"bench-similar-{vendor}-{PROBLEMS}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"database": vendor, "problems": PROBLEMS,
                               "load": os.getloadavg(), "results": RESULTS},
                              ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
