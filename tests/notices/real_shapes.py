"""The notices written for the project in the shapes real pages come in, and what each states.

Each ``tests/fixtures/notices/real-shapes/NAME`` has ``NAME-without-suffix.json`` beside it:
either ``{"reject": "<reason>"}`` or the facts a reader must find. ``field_results`` compares
one file field by field, for the test and for ``bench/real_shapes.py``'s per-field counts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xuncha.notices.model import Notice, NoticeError
from xuncha.notices.parse import parse_document

REAL_SHAPES = Path(__file__).resolve().parent.parent / "fixtures" / "notices" / "real-shapes"


def notice_files() -> list[Path]:
    return sorted(path for path in REAL_SHAPES.iterdir() if path.suffix != ".json")


def expected_for(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return result


def field_results(path: Path) -> dict[str, tuple[Any, Any]]:
    """{field: (expected, got)} for every field the expected file names."""
    want = expected_for(path)
    try:
        notice = parse_document(path.read_bytes(), path.name)
    except NoticeError as error:
        if "reject" in want:
            return {"reject": (want["reject"], error.message)}
        return {name: (value, f"拒绝: {error.message}") for name, value in want.items()}
    if "reject" in want:
        return {"reject": (want["reject"], None)}
    return {name: (value, _got(notice, name, value)) for name, value in want.items()}


def _got(notice: Notice, name: str, want: Any) -> Any:
    data = notice.to_json()
    items = [pair for unit in notice.units for pair in unit.problems]
    if name == "units":
        return [unit.name for unit in notice.units]
    if name == "problems":
        return notice.problem_count
    if name in ("first_problem", "first_rectification"):
        text = getattr(items[0], name.removeprefix("first_")) if items else None
        # The start of the text is what is checked: the rest is the notice's own words.
        return want if text is not None and text.startswith(want) else text
    if name == "headings":
        return [pair.heading for pair in items]
    if name == "figures":
        figures = notice.figures.to_json()
        # Figures the file does not name must not have been found either.
        return {key: value for key, value in figures.items() if value is not None}
    if name in ("complete", "missing", "warnings"):
        return data["completeness"][name]
    return data[name]
