"""API fixtures: the workflow's named users, each with a token-authenticated client."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.documents import real_pdf
from tests.workflow.conftest import MEASURE, PDF, people, problem_a
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services

__all__ = ["MEASURE", "PDF", "people", "problem_a", "real_pdf"]

Api = Callable[[str], APIClient]


@pytest.fixture(autouse=True)
def evidence_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to the test's own directory, never the project's var/."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


def token_for(username: str) -> str:
    """A token as a script gets one: the last line `xuncha token USER` prints."""
    out = StringIO()
    call_command("token", username, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def api(people: dict[str, Any]) -> Api:
    """api("unit_a") -> a client signed in with a fresh token of that user."""
    return lambda name: bearer(token_for(name))


def approved_measure(people: dict[str, Any], problem: Problem) -> Measure:
    """A measure of ``problem`` whose plan the office has approved: ready for progress."""
    measure = services.add_measure(people["unit_a"], problem, MEASURE)
    services.submit_plan(people["unit_a"], problem)
    services.decide_plan(people["office"], problem, "approve")
    return measure
