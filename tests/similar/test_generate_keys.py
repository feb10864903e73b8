from __future__ import annotations

import pytest

from xuncha.inspections.generate import generate
from xuncha.inspections.models import Round
from xuncha.similar.index import rebuild
from xuncha.similar.models import BandKey
from xuncha.similar.queries import recurrence_counts

pytestmark = pytest.mark.django_db


def test_generate_writes_the_same_keys_a_rebuild_makes() -> None:
    generate(800, seed=5)
    written = sorted(BandKey.objects.values_list("problem_id", "round_id", "place", "key"))
    assert written
    rebuild()
    assert sorted(BandKey.objects.values_list("problem_id", "round_id", "place", "key")) == written
    # Generated texts recombine the seed's clauses, so later rounds find earlier twins.
    latest = Round.objects.order_by("-inspection_start", "-id").first()
    assert latest is not None
    assert sum(recurrence_counts(latest).values()) > 0
