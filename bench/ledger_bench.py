"""Ledger write and read of N measure rows, against openpyxl merely loading the same file.

Run: python bench/ledger_bench.py [rows]   (default 100,000)
"""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402

from xuncha.ledgers.model import Deadline, Ledger, Measure, Problem  # noqa: E402
from xuncha.ledgers.read import read_ledger  # noqa: E402
from xuncha.ledgers.write import write_ledger  # noqa: E402

STATUSES = ("not_started", "in_progress", "basically_done", "pending_review", "signed_off")


def make_ledger(rows: int, measures_per_problem: int = 3, units: int = 30) -> Ledger:
    """A ledger of `rows` measures: `units` units, problems of three measures each."""
    ledger = Ledger("十二届昌吉州党委第五轮巡察反馈问题整改台账")
    problems = rows // measures_per_problem
    per_unit = max(1, problems // units)
    day = datetime.date(2024, 3, 31)
    for p in range(problems):
        unit = ledger.unit(f"第{p // per_unit + 1}镇党委")
        measures = [
            Measure(f"针对问题{p}的第{m}项整改措施，建立健全相关制度并抓好落实", leader="王书记",
                    department="党政办", deadline=Deadline.on(day + datetime.timedelta(days=m)),
                    standard="制度印发并执行", progress="已召开专题会议研究部署",
                    status=STATUSES[(p + m) % len(STATUSES)])
            for m in range(measures_per_problem)]
        unit.problems.append(Problem(f"反馈问题{p}：理论学习流于形式，学用结合不够紧密",
                                     number=str(len(unit.problems) + 1), group="第一巡察组",
                                     category="政治建设", measures=measures))
    return ledger


def timed(label: str, work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:7.2f} s")
    return result, seconds


def load_only(data: bytes) -> None:
    """The floor: openpyxl streaming every cell of every sheet, doing nothing with them."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            pass
    book.close()


# VmHWM, not ru_maxrss: a child's ru_maxrss starts from its parent's (it survives exec).
PEAK = """
import sys
sys.path.insert(0, {root!r})
from xuncha.ledgers.read import read_ledger
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
data = open({path!r}, "rb").read()
base = hwm()
if {read}:
    result = read_ledger(data)
print(hwm() - base)
"""


def peak_mb(path: str, read: bool) -> float:
    """Peak memory (MB) a fresh process adds while reading the file (beyond loading it)."""
    code = PEAK.format(root=str(ROOT), path=path, read=read)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                         check=True).stdout
    return int(out) / 1024


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    ledger = make_ledger(rows)
    print(f"{ledger.measure_count()} measure rows, {len(ledger.units)} units")
    data, write_s = timed("write (merged sheet + flat sheet)", lambda: write_ledger(ledger))
    merged_only, _ = timed("write (merged sheet only)", lambda: write_ledger(ledger, flat=False))
    print(f"file size: {len(data) / 1e6:.1f} MB (merged only {len(merged_only) / 1e6:.1f} MB)")
    result, read_s = timed("read_ledger (both sheets; flat one deduplicated)",
                           lambda: read_ledger(data))
    assert result.ledger.measure_count() == ledger.measure_count()
    _, floor_s = timed("openpyxl read_only load of the same file", lambda: load_only(data))
    _, merged_read_s = timed("read_ledger (merged sheet only)", lambda: read_ledger(merged_only))
    _, merged_floor_s = timed("openpyxl read_only load (merged only)",
                              lambda: load_only(merged_only))
    print(f"read / openpyxl load: {read_s / floor_s:.2f} (merged only: "
          f"{merged_read_s / merged_floor_s:.2f})")
    print(f"write / openpyxl load: {write_s / floor_s:.2f}")
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(merged_only)
        handle.flush()
        print(f"memory while reading the merged-only file ({len(merged_only) / 1e6:.1f} MB): "
              f"+{peak_mb(handle.name, True):.0f} MB peak")


if __name__ == "__main__":
    main()
