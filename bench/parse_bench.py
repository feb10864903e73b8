"""Parser throughput on the sample notices, against just decoding and normalising them.

Run: python bench/parse_bench.py [seconds]
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xuncha.notices.decode import decode  # noqa: E402
from xuncha.notices.model import NoticeError  # noqa: E402
from xuncha.notices.normalize import normalize  # noqa: E402
from xuncha.notices.parse import parse_document  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "notices"


def load(folder: Path = FIXTURES) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes())
            for path in sorted(folder.iterdir()) if path.is_file() and path.suffix != ".json"]


def parse(name: str, data: bytes) -> None:
    # Entry announcements, news and list pages are meant to be rejected; that is work too.
    with contextlib.suppress(NoticeError):
        parse_document(data, name)


def baseline(name: str, data: bytes) -> None:
    with contextlib.suppress(NoticeError):  # the empty and binary files
        normalize(decode(data, name)).splitlines()


def throughput(files: list[tuple[str, bytes]], work: Callable[[str, bytes], None],
               seconds: float) -> float:
    """MB/s of input bytes, repeating the whole set for about `seconds`."""
    size = sum(len(data) for _, data in files)
    rounds = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for name, data in files:
            work(name, data)
        rounds += 1
    return size * rounds / elapsed / 1e6


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    files = load()
    throughput(files, parse, 0.2)  # warm up imports and regex caches
    parser = throughput(files, parse, seconds)
    base = throughput(files, baseline, seconds)
    print(f"{len(files)} files, {sum(len(d) for _, d in files) / 1024:.1f} KiB per pass")
    print(f"parser:   {parser:6.2f} MB/s")
    print(f"baseline: {base:6.2f} MB/s (decode + normalise + splitlines)")
    print(f"parser / baseline: {parser / base:.2f}")
    # Short page captures and refusals: per-file work weighs more than per-byte work here.
    shapes = load(FIXTURES / "real-shapes")
    throughput(shapes, parse, 0.2)
    print(f"real-shapes set ({len(shapes)} files, "
          f"{sum(len(d) for _, d in shapes) / 1024:.1f} KiB): "
          f"parser {throughput(shapes, parse, seconds):6.2f} MB/s, "
          f"baseline {throughput(shapes, baseline, seconds):6.2f} MB/s")


if __name__ == "__main__":
    main()
