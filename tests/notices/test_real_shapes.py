from __future__ import annotations

import pytest

from tests.notices.real_shapes import expected_for, field_results, notice_files

CASES = [
    pytest.param(path, name, id=f"{path.name}:{name}")
    for path in notice_files()
    for name in expected_for(path)
]


def test_there_are_at_least_twenty_notices_each_with_its_facts():
    files = notice_files()
    assert len(files) >= 20
    assert sum("reject" in expected_for(path) for path in files) >= 6


@pytest.mark.parametrize(("path", "name"), CASES)
def test_it_reads_each_field_right(path, name):
    want, got = field_results(path)[name]
    assert got == want


NOTICES = [path for path in notice_files()
           if "reject" not in expected_for(path) and path.suffix == ".txt"]


@pytest.mark.parametrize("path", NOTICES, ids=lambda path: path.name)
def test_a_capture_cut_anywhere_after_its_opening_keeps_the_round_facts(path):
    from xuncha.notices.decode import decode
    from xuncha.notices.normalize import normalize_lines
    from xuncha.notices.parse import parse_text
    from xuncha.notices.shapes.base import split_preamble

    text = decode(path.read_bytes(), path.name)
    whole = parse_text(text)
    lines = text.splitlines()
    normalised = normalize_lines(text)
    # A round summary is all opening: cut within its last line at least.
    body = normalised[min(split_preamble(normalised).body_start, len(normalised) - 1)].number - 1
    for cut in range(body, len(lines)):
        for end in (len(lines[cut]) // 2, len(lines[cut])):
            part = parse_text("\n".join([*lines[:cut], lines[cut][:end]]))
            assert (part.title, part.issuer, part.term, part.round, part.feedback_date) == (
                whole.title, whole.issuer, whole.term, whole.round, whole.feedback_date), cut
            assert [unit.name for unit in part.units] == [
                unit.name for unit in whole.units][:len(part.units)]
