"""The round page links to the round's notice only for those the download answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.inspections.models import Round

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]


@pytest.mark.parametrize("name", ["office", "supervisor", "group1", "unit_a"])
def test_every_link_shown_works_and_none_is_shown_that_would_not(
    as_: As, people: dict[str, Any], seed_round: Round, name: str
) -> None:
    client = as_(name)
    html = client.get(reverse("round-detail", args=[seed_round.pk])).content.decode()
    links = [reverse("round-notice", args=[seed_round.pk, fmt]) for fmt in ("html", "txt")]
    shown = [link for link in links if f'href="{link}"' in html]
    for link in links:
        status = client.get(link).status_code
        assert (link in shown) == (status == 200), (name, link, status)
    assert bool(shown) == (name in ("office", "supervisor"))
