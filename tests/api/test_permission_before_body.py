"""A wrong role gets 403 (out of scope 404) before its body is looked at: an invalid body
from someone who may not act never learns what a valid one looks like (never a 400)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_permissions import ROLES, _client, _matrix
from xuncha.inspections.models import Round

pytestmark = pytest.mark.django_db


def _invalid(body: dict[str, Any] | None) -> dict[str, Any]:
    """Every field of a valid body given a value of the wrong kind."""
    return {key: "\x7f" * 5000 if not isinstance(value, str) else ["不是文字"]
            for key, value in (body or {"x": 1}).items()}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_a_wrong_role_with_an_invalid_body_is_refused_for_its_role(
    seed_round: Round, people: dict[str, Any], role: str
) -> None:
    client = _client(role)
    wrong = []
    rows = _matrix(seed_round, people)
    # An endpoint whose body chooses the action (a plan: submit or approve) is the role's to
    # use when it may take one of them; its invalid body is then a 400.
    usable = {(row.name, row.method) for row in rows if row.expected[role] < 400}
    for row in rows:
        if row.method not in ("post", "patch") or row.expected[role] not in (403, 404):
            continue
        if (row.name, row.method) in usable:
            continue
        body = _invalid(row.body) if row.format == "json" else {"status": "乱写"}
        response = getattr(client, row.method)(row.url, body, format=row.format)
        if response.status_code != row.expected[role]:
            wrong.append((row.name, row.method, response.status_code, row.expected[role]))
        else:
            assert response.json()["error"], row.name
    assert not wrong, wrong
