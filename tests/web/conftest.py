"""Fixtures for the web views: the workflow's named people, logged-in clients, a private
evidence directory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.workflow.conftest import people, problem_a  # noqa: F401 - fixtures shared as-is


@pytest.fixture
def as_(people: dict[str, Any]) -> Callable[[str], Client]:  # noqa: F811
    """as_("unit_a") is a client logged in as that person."""

    def client_for(name: str) -> Client:
        client = Client()
        client.force_login(people[name])
        return client

    return client_for
