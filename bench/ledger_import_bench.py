"""Ledger import of N measure rows into the seed round, on a fresh database.

Run: XUNCHA_DATA_DIR=/tmp/xuncha-bench python bench/ledger_import_bench.py [rows]
(SQLite in that directory; set XUNCHA_DATABASE_URL for PostgreSQL — the database is migrated
and the seed round imported first, so use a throw-away database.)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from ledger_bench import make_ledger  # noqa: E402

from xuncha.inspections.importer import import_notice  # noqa: E402
from xuncha.inspections.ledger import import_ledger  # noqa: E402
from xuncha.inspections.models import Inspection  # noqa: E402
from xuncha.ledgers.read import read_ledger  # noqa: E402
from xuncha.ledgers.write import write_ledger  # noqa: E402
from xuncha.notices.parse import parse_document  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "notices" / "seed-changji-r5.txt"


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    call_command("migrate", verbosity=0)
    data = SEED.read_bytes()
    round_ = import_notice(parse_document(data, SEED.name), filename=SEED.name,
                           content=data).round
    units = [i.unit.name for i in Inspection.objects.filter(round=round_).select_related("unit")]
    ledger = make_ledger(rows, units=len(units))
    for index, unit in enumerate(ledger.units):
        unit.name = units[index % len(units)]
    workbook = write_ledger(ledger, flat=False)
    start = time.perf_counter()
    result = read_ledger(workbook)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    report = import_ledger(None, round_, result)
    import_s = time.perf_counter() - start
    print(f"{ledger.measure_count()} measure rows on {django.db.connection.vendor}")
    print(f"read {read_s:.1f} s + import {import_s:.1f} s = {read_s + import_s:.1f} s")
    print(report.summary())
    start = time.perf_counter()
    again = import_ledger(None, round_, read_ledger(workbook))
    print(f"re-import (read + compare): {time.perf_counter() - start:.1f} s; {again.summary()}")


if __name__ == "__main__":
    main()
