"""Rendering the 公文 notice of a large round: 30 units, 3 problems each.

The .docx must render in under 1 s (issue 7); the .pdf, which embeds subsets of three Chinese
fonts, is timed too for reference. Exits 1 if the .docx is too slow.

Run: python bench/notice_bench.py [repeats]
"""

from __future__ import annotations

import datetime
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xuncha.notices.model import Notice, PartialDate, ProblemPair, UnitSection  # noqa: E402
from xuncha.notices.parse import parse_text  # noqa: E402
from xuncha.notices.writers import docx, pdf  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "notices" / "seed-changji-r5.txt"
DOCX_LIMIT_SECONDS = 1.0
UNITS, PAIRS = 30, 3


def synthetic_round() -> Notice:
    """30 units of 3 problem/rectification pairs each, the texts taken from the seed round."""
    seed = parse_text(SEED.read_text(encoding="utf-8"))
    pairs = [pair for unit in seed.units for pair in unit.problems]
    units = [
        UnitSection(f"某县第{number}镇党委", "某县",
                    [ProblemPair(pairs[(number * PAIRS + i) % len(pairs)].problem,
                                 pairs[(number * PAIRS + i) % len(pairs)].rectification)
                     for i in range(PAIRS)])
        for number in range(1, UNITS + 1)
    ]
    return seed.replace(units=units, inspection_start=PartialDate(2023, 8, 29))


def best_of(repeats: int, work: Callable[[], bytes]) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        size = len(work())
        times.append(time.perf_counter() - start)
    return min(times), size


def main() -> int:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    notice = synthetic_round()
    issued = datetime.date(2024, 6, 20)
    docx_seconds, docx_size = best_of(repeats, lambda: docx.render(notice, issued))
    pdf_seconds, pdf_size = best_of(max(1, repeats // 2), lambda: pdf.render(notice, issued))
    print(f"notice of {UNITS} units x {PAIRS} problems:")
    print(f"  docx: {docx_seconds:.3f} s ({docx_size // 1024} KB), limit {DOCX_LIMIT_SECONDS} s")
    print(f"  pdf:  {pdf_seconds:.3f} s ({pdf_size // 1024} KB), fonts embedded as subsets")
    if docx_seconds >= DOCX_LIMIT_SECONDS:
        print("docx notice is too slow", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
