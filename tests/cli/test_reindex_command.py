"""`xuncha reindex` rebuilds the search index from the data and says how many rows."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from xuncha.inspections.models import Round
from xuncha.search.models import SearchDoc

pytestmark = pytest.mark.django_db


def test_reindex_rebuilds_what_was_lost(seed_round: Round) -> None:
    before = set(SearchDoc.objects.values_list("kind", "source_id", "tokens"))
    assert len(before) == 42  # the seed round's 21 problems and 21 published rectifications
    SearchDoc.objects.all().delete()
    out = StringIO()
    call_command("reindex", "--batch", "10", stdout=out)
    assert set(SearchDoc.objects.values_list("kind", "source_id", "tokens")) == before
    assert "检索索引已重建：42 条" in out.getvalue()
    assert "已索引 10 条" in out.getvalue()
