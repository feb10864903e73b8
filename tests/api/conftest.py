"""API fixtures: the workflow's named users, each with a token-authenticated client."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.workflow.conftest import MEASURE, PDF, people, problem_a
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services

__all__ = ["MEASURE", "PDF", "people", "problem_a"]

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


def real_pdf(line: str = "Training sign-in sheet") -> bytes:
    """A small but complete PDF (one page of text, a correct xref table)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )
    return bytes(out)


def approved_measure(people: dict[str, Any], problem: Problem) -> Measure:
    """A measure of ``problem`` whose plan the office has approved: ready for progress."""
    measure = services.add_measure(people["unit_a"], problem, MEASURE)
    services.submit_plan(people["unit_a"], problem)
    services.decide_plan(people["office"], problem, "approve")
    return measure
