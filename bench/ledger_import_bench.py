"""Ledger import and export of N measure rows in the seed round, on a fresh database.

Run: XUNCHA_DATA_DIR=/tmp/xuncha-bench python bench/ledger_import_bench.py [rows]
(SQLite in that directory; set XUNCHA_DATABASE_URL for PostgreSQL — the database is migrated
and the seed round imported first, so use a throw-away database.)

Prints wall time and this process's CPU time (the machine may be shared: CPU time is what the
import itself costs), the import's ratio to openpyxl merely reading the same file (the floor),
then checks the signed history still verifies and times the export of the same round.
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
from ledger_bench import load_only, make_ledger  # noqa: E402

from xuncha.inspections.importer import import_notice  # noqa: E402
from xuncha.inspections.ledger import export_round, import_ledger  # noqa: E402
from xuncha.inspections.models import Inspection  # noqa: E402
from xuncha.ledgers.read import read_ledger  # noqa: E402
from xuncha.ledgers.write import write_ledger  # noqa: E402
from xuncha.notices.parse import parse_document  # noqa: E402
from xuncha.workflow.history import verify_chain  # noqa: E402


class Clock:
    """Wall and CPU seconds of one step."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.1f} s (CPU {self.cpu:.1f} s)"

SEED = ROOT / "tests" / "fixtures" / "notices" / "seed-changji-r5.txt"


def server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend so far, when the server runs on
    this machine (its /proc entry is readable); None elsewhere and on SQLite."""
    if django.db.connection.vendor != "postgresql":
        return None
    with django.db.connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    with Clock() as floor:
        load_only(workbook)
    with Clock() as reading:
        result = read_ledger(workbook)
    server_before = server_cpu()
    with Clock() as storing:
        report = import_ledger(None, round_, result)
    server_after = server_cpu()
    total_wall, total_cpu = reading.wall + storing.wall, reading.cpu + storing.cpu
    print(f"{ledger.measure_count()} measure rows on {django.db.connection.vendor}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"openpyxl read-only read (floor): {floor}")
    print(f"import: read {reading} + store {storing} = {total_wall:.1f} s (CPU {total_cpu:.1f} s)"
          f"; {total_wall / floor.wall:.2f}x the floor (CPU {total_cpu / floor.cpu:.2f}x)")
    if server_before is not None and server_after is not None:
        print(f"PostgreSQL backend CPU during the store: {server_after - server_before:.1f} s")
    print(report.summary())
    if os.environ.get("LEDGER_BENCH_IMPORT_ONLY"):
        return
    with Clock() as verifying:
        breaks = list(verify_chain())
    print(f"audit verify after the import: {len(breaks)} breaks, {verifying}")
    with Clock() as again_clock:
        again = import_ledger(None, round_, read_ledger(workbook))
    print(f"re-import (read + compare): {again_clock}; {again.summary()}")
    with Clock() as exporting:
        data = export_round(round_, lists=False)
    print(f"export of the round ({ledger.measure_count()} rows, query + merged and flat sheets, "
          f"{len(data) / 1e6:.1f} MB): {exporting}")


if __name__ == "__main__":
    main()
