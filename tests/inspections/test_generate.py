"""`xuncha generate`: counts as asked, a history that verifies, scopes that hold, same data for
the same seed. Run on SQLite and PostgreSQL (XUNCHA_DATABASE_URL)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F

from tests.workflow.test_audit_tampering import verify
from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.generate import generate
from xuncha.inspections.models import Inspection, Measure, Problem, ProgressReport, Region
from xuncha.workflow.models import ChainHead, Event

pytestmark = pytest.mark.django_db


def test_generate_makes_what_it_says_and_the_history_verifies() -> None:
    out = io.StringIO()
    call_command("generate", "--problems", "600", "--seed", "3", stdout=out)
    assert Problem.objects.count() == 600
    assert "600 个问题" in out.getvalue()
    measures = Measure.objects.count()
    assert 2 * 600 <= measures <= 4 * 600
    assert ProgressReport.objects.exists()
    assert Event.objects.count() == ChainHead.objects.get().count > 0
    # A region tree: prefectures → counties → townships, each unit in a township.
    assert Region.objects.filter(level="township", parent__level="county").exists()
    assert not Inspection.objects.filter(unit__region__level__in=["county", "prefecture"]).exists()
    # Every problem belongs to an inspection of its round (what every scope is built on).
    assert not Problem.objects.exclude(unit__inspections__round=F("round")).exists()
    code, report = verify()
    assert code == 0, report


def test_generated_accounts_see_their_scope_only() -> None:
    generate(400, seed=5)
    users = get_user_model().objects.select_related("profile")
    unit_user = users.filter(profile__role=Role.UNIT, profile__unit__problems__isnull=False).first()
    office = users.filter(profile__role=Role.OFFICE).first()
    group = users.filter(profile__role=Role.GROUP).first()
    assert unit_user is not None and office is not None and group is not None
    seen = access.problems_for(unit_user)
    assert seen.exists()
    assert set(seen.values_list("unit_id", flat=True)) == {unit_user.profile.unit_id}
    committee = office.profile.committee_id
    assert committee is not None
    assert access.problems_for(office).count() == Problem.objects.filter(
        round__committee_id=committee
    ).count()
    assert set(access.problems_for(group).values_list("round_id", flat=True)) == {
        group.profile.group.round_id
    }


def _texts_of_a_run(seed: int) -> list[tuple[str, str]]:
    with transaction.atomic():
        generate(150, seed=seed)
        texts = list(Problem.objects.order_by("id").values_list("text", "status"))
        transaction.set_rollback(True)
    return texts


def test_the_same_seed_gives_the_same_data() -> None:
    first = _texts_of_a_run(7)
    assert len(first) == 150
    assert _texts_of_a_run(7) == first
    assert _texts_of_a_run(8) != first
