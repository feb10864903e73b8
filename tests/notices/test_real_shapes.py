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
