"""Schemathesis against /api/openapi.json: every operation, a bounded number of generated
requests (fixed seed, derandomized) as the office on the seed round, answered without a 5xx,
with a documented status code and a body that matches the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import approved_measure, real_pdf, token_for
from xuncha.inspections.models import Problem, Round
from xuncha.workflow import publishing, services
from xuncha.workflow.models import Evidence

# The schema as /api/openapi.json serves it (that URL needs a login; the generator does not).
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Requests go through the real WSGI handler, whose end-of-request signal closes the
    database connection (and with it the test's transaction on PostgreSQL); Django's test
    client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def office_token(seed_round: Round, people: dict[str, Any]) -> str:
    return token_for("office")


@pytest.fixture
def real_ids(seed_round: Round, people: dict[str, Any]) -> dict[str, int]:
    """Ids that exist on the seed round: half the generated requests use them, so the checks
    reach past "not found" into the handlers."""
    problem = Problem.objects.filter(round=seed_round, unit__name="木垒县东城镇党委").first()
    assert problem is not None
    measure = approved_measure(people, problem)
    services.report_progress(people["unit_a"], measure, content="推进", status="in_progress",
                             files=[("签到表.pdf", real_pdf())])
    unit = problem.unit
    published = publishing.release(people["office"], seed_round)
    return {
        "round_id": seed_round.pk, "unit_id": unit.pk, "problem_id": problem.pk,
        "measure_id": measure.pk, "evidence_id": Evidence.objects.get().pk,
        "group_id": seed_round.groups.first().pk,  # type: ignore[union-attr]
        "user_id": people["unit_b"].pk, "region_id": unit.region_id or 1,
        "publication_id": published.pk,
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=20, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(
    case: Any, office_token: str, real_ids: dict[str, int]
) -> None:
    for name, value in (case.path_parameters or {}).items():
        if name in real_ids and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = real_ids[name]
    case.call_and_validate(headers={"Authorization": f"Bearer {office_token}"}, checks=CHECKS)
