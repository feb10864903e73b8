"""Per field, how many of the real-shapes notices the parser reads right.

Run: python bench/real_shapes.py
The notices are written for the project in the shapes published pages come in (see
tests/fixtures/notices/real-shapes and docs/notices.md); each has its expected facts beside it.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.notices.real_shapes import field_results, notice_files  # noqa: E402


def main() -> None:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: list[str] = []
    files = notice_files()
    for path in files:
        for name, (want, got) in field_results(path).items():
            total[name] += 1
            if want == got:
                right[name] += 1
            else:
                wrong.append(f"  {path.name} {name}: expected {want!r}, got {got!r}")
    print(f"{len(files)} notices")
    for name in total:
        print(f"  {name:20} {right[name]:3d} / {total[name]:3d}")
    print(f"all fields: {sum(right.values())} / {sum(total.values())}")
    if wrong:
        print("wrong:", *wrong, sep="\n")


if __name__ == "__main__":
    main()
