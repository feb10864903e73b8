from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from xuncha.similar.models import BandKey
from xuncha.similar.queries import recurrence_counts


def test_rebuild_restores_keys_lost_by_a_bulk_write(seed_round: Any, later_round: Any) -> None:
    before = sorted(BandKey.objects.values_list("problem_id", "key"))
    counts = recurrence_counts(later_round)
    BandKey.objects.all().delete()
    assert recurrence_counts(later_round) == {}
    out = StringIO()
    call_command("similar", "rebuild", "--batch", "5", stdout=out)
    assert "相似问题索引已重建：336 条" in out.getvalue()
    assert sorted(BandKey.objects.values_list("problem_id", "key")) == before
    assert recurrence_counts(later_round) == counts
