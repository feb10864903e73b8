"""Every URL × every role, with the expected outcome.

The matrix must name every URL pattern the site has (admin aside): adding a page without
deciding who may see it fails here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.web.factories import clue_handed_over, measure_under_review
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.demo import _assign_groups
from xuncha.inspections.models import Problem, Round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_root(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_ROOT = tmp_path / "evidence"

ROLES = ["anonymous", "office", "other_group", "unit_a", "unit_b", "supervisor"]
OK, LOGIN, NOT_FOUND = 200, 302, 404
FORBIDDEN, INVALID, NOT_ALLOWED = 403, 400, 405


def _users(round_: Round) -> dict[str, Client]:
    _assign_groups(round_)
    clients = {"anonymous": Client()}
    specs = {
        "office": (Role.OFFICE, {}),
        # 第二巡察组 inspected 奇台县七户乡, not unit A (木垒县东城镇).
        "other_group": (Role.GROUP, {"group": "第二巡察组"}),
        "unit_a": (Role.UNIT, {"unit": "木垒县东城镇党委"}),
        "unit_b": (Role.UNIT, {"unit": "奇台县七户乡党委"}),
        "supervisor": (Role.SUPERVISOR, {"body": "纪委监委"}),
    }
    for name, (role, scope) in specs.items():
        client = Client()
        client.force_login(create_user(name, role, **scope).user)  # type: ignore[arg-type]
        clients[name] = client
    return clients


def _matrix(round_: Round) -> dict[str, tuple[str, dict[str, int]]]:
    """url name -> (an URL of it, expected status per role) for a GET."""
    a, a2 = _unit_a_problems(round_)
    measure = a2.measures.get()
    everyone = dict.fromkeys(ROLES, OK) | {"anonymous": LOGIN}
    unit_a_only = {"anonymous": LOGIN, "office": OK, "other_group": NOT_FOUND, "unit_a": OK,
                   "unit_b": NOT_FOUND, "supervisor": OK}
    office_only = {"anonymous": LOGIN, "office": OK, "other_group": NOT_FOUND,
                   "unit_a": NOT_FOUND, "unit_b": NOT_FOUND, "supervisor": OK}
    user_admin = dict.fromkeys(ROLES, NOT_FOUND) | {"anonymous": LOGIN, "office": OK}
    sets_up = dict.fromkeys(ROLES, FORBIDDEN) | {"anonymous": LOGIN, "office": OK}
    return {
        "home": (reverse("home"), dict.fromkeys(ROLES, 302)),
        "login": (reverse("login"), dict.fromkeys(ROLES, 302) | {"anonymous": OK}),
        "logout": (reverse("logout"), dict.fromkeys(ROLES, 405)),
        "round-list": (reverse("round-list"), everyone),
        "round-detail": (reverse("round-detail", args=[round_.pk]), everyone),
        "unit-detail": (reverse("unit-detail", args=[round_.pk, a.unit_id]), unit_a_only),
        "problem-detail": (reverse("problem-detail", args=[a.pk]), unit_a_only),
        "round-notice": (reverse("round-notice", args=[round_.pk, "txt"]), office_only),
        "unit-notice": (reverse("unit-notice", args=[round_.pk, a.unit_id, "txt"]), unit_a_only),
        "evidence-download": (
            reverse("evidence-download", args=[measure.evidence.get().pk]), unit_a_only
        ),
        "user-list": (reverse("user-list"), user_admin),
        "notification-list": (reverse("notification-list"), everyone),
        "overdue-board": (reverse("overdue-board"), dict.fromkeys(ROLES, OK) | {
            "anonymous": LOGIN, "unit_a": NOT_FOUND, "unit_b": NOT_FOUND}),
        "todo": (reverse("todo"), everyone),
        # --- search ---
        "search": (reverse("search") + "?q=资金", everyone),
        "round-dashboard": (reverse("round-dashboard", args=[round_.pk]), everyone),
        "dashboard": (reverse("dashboard"), everyone),
        # --- evaluation --- (rows are scoped inside the page: see tests/web/test_evaluation.py)
        "round-evaluation": (reverse("round-evaluation", args=[round_.pk]), everyone),
        "round-evaluation-xlsx": (reverse("round-evaluation-xlsx", args=[round_.pk]), everyone),
        "evaluation-weights": (reverse("evaluation-weights"), user_admin),
        "clue-register": (reverse("clue-register"), everyone | {
            "unit_a": NOT_FOUND, "unit_b": NOT_FOUND}),
        "board-items": (reverse("board-items") + "?kind=pending", everyone | {
            "unit_a": NOT_FOUND, "unit_b": NOT_FOUND}),
        # Edit pages: out of scope is 404, in scope but the wrong role is 403.
        "problem-edit": (reverse("problem-edit", args=[a.pk]), unit_a_only | {
            "unit_a": FORBIDDEN, "supervisor": FORBIDDEN}),
        "measure-edit": (reverse("measure-edit", args=[measure.pk]), unit_a_only | {
            "office": FORBIDDEN, "supervisor": FORBIDDEN}),
        # --- users ---
        "password-change": (reverse("password-change"), everyone),
        "user-edit": (reverse("user-edit", args=[_managed_user().pk]), user_admin),
        "user-import": (reverse("user-import"), user_admin),
        "user-import-template": (reverse("user-import-template"), user_admin),
        "favicon": (reverse("favicon"), dict.fromkeys(ROLES, 302)),
        # Setting up a round: the office's; everyone else who sees the round is refused.
        "round-create": (reverse("round-create"), user_admin),
        "round-edit": (reverse("round-edit", args=[round_.pk]), sets_up),
        "group-edit": (reverse("group-edit", args=[round_.groups.first().pk]), sets_up),
        "unit-register": (reverse("unit-register"), user_admin),
        # --- publishing: the diff pages need a published version; /gongkai/ is public ---
        "round-release-diff": (
            reverse("round-release-diff", args=[_published(round_).round_id]), office_only),
        "unit-release-diff": (
            reverse("unit-release-diff",
                    args=[round_.pk, _published(round_, a).inspection.unit_id]),
            unit_a_only),
        "unit-report": (reverse("unit-report", args=[round_.pk, a.unit_id, "docx"]), unit_a_only),
        "gongkai-index": (reverse("gongkai-index"), dict.fromkeys(ROLES, OK)),
        "gongkai-notice": (
            reverse("gongkai-notice", args=[_published(round_).pk]), dict.fromkeys(ROLES, OK)),
        "gongkai-file": (
            reverse("gongkai-file", args=[_published(round_).pk, "txt"]), dict.fromkeys(ROLES, OK)),
        # --- API tokens (issue 8) ---
        "own-tokens": (reverse("own-tokens"), everyone),
        "user-tokens": (reverse("user-tokens", args=[_managed_user().pk]), user_admin),
        # --- ledgerweb: ledger import is the office's; a job is seen by its office ---
        "ledger-upload": (reverse("ledger-upload", args=[round_.pk]), sets_up),
        "ledger-preview": (reverse("ledger-preview", args=[_ledger_job(round_, "draft").pk]),
                           user_admin),
        "job-detail": (reverse("job-detail", args=[_ledger_job(round_, "queued").pk]),
                       user_admin),
        "job-download": (reverse("job-download", args=[_ledger_job(round_, "done").pk]),
                         user_admin),
        # --- similar ---
        "similar-round-common": (reverse("similar-round-common", args=[round_.pk]), everyone),
        "similar-settings": (reverse("similar-settings"), user_admin),
    }


def _actions(round_: Round) -> dict[str, tuple[str, dict[str, int]]]:
    """url name -> (an URL of it, expected status per role) for an empty POST.

    Out of scope is 404; in scope with the wrong role 403; the right role gets the form back
    with what is missing (400), so nothing here ever changes anything.
    """
    a, a2 = _unit_a_problems(round_)
    measure = a2.measures.get()
    handover = a2.handovers.get()
    evidence = measure.evidence.get().pk
    unit = [round_.pk, a.unit_id]
    region = a.unit.region_id
    on_a = {"anonymous": LOGIN, "other_group": NOT_FOUND, "unit_b": NOT_FOUND}
    by_unit = on_a | {"office": FORBIDDEN, "unit_a": INVALID, "supervisor": FORBIDDEN}
    by_reviewer = on_a | {"office": INVALID, "unit_a": FORBIDDEN, "supervisor": FORBIDDEN}
    by_office = dict.fromkeys(ROLES, NOT_FOUND) | {"anonymous": LOGIN, "office": INVALID}
    in_round = dict.fromkeys(ROLES, FORBIDDEN) | {"anonymous": LOGIN, "office": INVALID}
    by_supervisor = on_a | {"office": FORBIDDEN, "unit_a": NOT_FOUND, "supervisor": INVALID}
    return {
        "round-deadlines": (reverse("round-deadlines", args=[round_.pk]), in_round),
        "problem-add": (reverse("problem-add", args=unit), by_reviewer),
        "unit-plans-submit": (reverse("unit-plans-submit", args=unit), by_unit),
        "unit-plans-approve": (reverse("unit-plans-approve", args=unit), by_reviewer),
        "measure-add": (reverse("measure-add", args=[a.pk]), by_unit),
        "plan-submit": (reverse("plan-submit", args=[a.pk]), by_unit),
        "plan-decide": (reverse("plan-decide", args=[a.pk]), by_reviewer),
        "clue-handover": (reverse("clue-handover", args=[a.pk]), by_reviewer),
        "progress-report": (reverse("progress-report", args=[measure.pk]), by_unit),
        "measure-review": (reverse("measure-review", args=[measure.pk]), by_reviewer),
        "clue-outcome": (reverse("clue-outcome", args=[handover.pk]), by_supervisor),
        "user-create": (reverse("user-create"), by_office),
        # --- users ---
        "user-active": (reverse("user-active", args=[_managed_user().pk]), by_office),
        "user-password-reset": (
            reverse("user-password-reset", args=[_managed_user().pk]), by_office
        ),
        "user-unlock": (reverse("user-unlock", args=[_managed_user().pk]), by_office),
        "user-import-passwords": (reverse("user-import-passwords"), by_office),
        "user-import-discard": (reverse("user-import-discard"), by_office),
        # The unit's empty POST: no file to replace with (400); the measure awaits review, so
        # nothing may be withdrawn (400).
        "evidence-supersede": (reverse("evidence-supersede", args=[evidence]), by_unit),
        "evidence-withdraw": (reverse("evidence-withdraw", args=[evidence]), by_unit),
        # No 按 (by) in the form: 400 for the board's roles, nothing is queued.
        "board-export": (reverse("board-export"), on_a | {
            "office": INVALID, "other_group": INVALID, "unit_a": NOT_FOUND,
            "supervisor": INVALID}),
        "board-supervise": (reverse("board-supervise"), in_round | {
            "unit_a": NOT_FOUND, "unit_b": NOT_FOUND}),
        "board-review": (reverse("board-review"), in_round | {
            "other_group": INVALID, "unit_a": NOT_FOUND, "unit_b": NOT_FOUND}),
        "group-add": (reverse("group-add", args=[round_.pk]), in_round),
        "inspection-add": (reverse("inspection-add", args=[round_.pk]), in_round),
        "inspection-dates": (reverse("inspection-dates", args=unit), by_reviewer),
        "problems-paste": (reverse("problems-paste", args=unit), by_reviewer),
        "unit-create": (reverse("unit-create"), by_office),
        "unit-rename": (reverse("unit-rename", args=[a.unit_id]), by_office),
        "unit-merge": (reverse("unit-merge", args=[a.unit_id]), by_office),
        "region-create": (reverse("region-create"), by_office),
        "region-rename": (reverse("region-rename", args=[region]), by_office),
        "region-merge": (reverse("region-merge", args=[region]), by_office),
        # --- publishing ---
        "problem-rectification": (reverse("problem-rectification", args=[a.pk]), on_a | {
            "office": INVALID, "unit_a": INVALID, "supervisor": FORBIDDEN}),
        "problem-disclosure": (reverse("problem-disclosure", args=[a.pk]), on_a | {
            "office": INVALID, "unit_a": FORBIDDEN, "supervisor": FORBIDDEN}),
        "round-release": (reverse("round-release", args=[round_.pk]), in_round),
        # --- evaluation ---
        "flag-dismiss": (reverse("flag-dismiss", args=[a.pk]), on_a | {
            "office": INVALID, "unit_a": FORBIDDEN, "supervisor": FORBIDDEN}),
        "unit-release": (reverse("unit-release", args=unit), on_a | {
            "office": INVALID, "unit_a": FORBIDDEN, "supervisor": FORBIDDEN}),
        # --- ledgerweb: an export starts a job and leads to its page (302) ---
        "round-ledger-export": (reverse("round-ledger-export", args=[round_.pk]), in_round | {
            "office": 302, "supervisor": 302}),
        "unit-ledger-export": (reverse("unit-ledger-export", args=unit), on_a | {
            "office": 302, "unit_a": 302, "supervisor": 302}),
        # --- similar ---
        "similar-round-common-raise": (
            reverse("similar-round-common-raise", args=[round_.pk]), in_round),
    }


def _published(round_: Round, problem: Problem | None = None):  # type: ignore[no-untyped-def]
    """The round's (or, with a problem, its unit's) first published version, released by an
    office account of its own on first call."""
    import datetime

    from xuncha.inspections.models import PublishedNotice
    from xuncha.workflow.publishing import release

    inspection = (round_.inspections.get(unit_id=problem.unit_id) if problem is not None
                  else None)
    found = PublishedNotice.objects.filter(round=round_, inspection=inspection).first()
    if found is not None:
        return found
    from django.contrib.auth import get_user_model

    publisher = (get_user_model().objects.filter(username="publisher").first()
                 or create_user("publisher", Role.OFFICE).user)
    return release(publisher, round_, inspection, issued=datetime.date(2024, 6, 20))


def _ledger_job(round_: Round, state: str):  # type: ignore[no-untyped-def]
    """An office colleague's ledger job (ledgerweb): a draft import, a queued export or a
    finished export, created on first call."""
    from django.contrib.auth import get_user_model

    from tests.jobs.ledger import office_ledger
    from xuncha.jobs import services
    from xuncha.jobs.models import Job

    colleague = (get_user_model().objects.filter(username="colleague").first()
                 or create_user("colleague", Role.OFFICE).user)
    kind = Job.Kind.LEDGER_IMPORT if state == "draft" else Job.Kind.LEDGER_EXPORT
    found = Job.objects.filter(kind=kind, message=state).first()
    if found is not None:
        return found
    if state == "draft":
        job = services.upload_ledger(colleague, round_, "台账.xlsx", office_ledger(round_))
        services.preview_now(job)  # previewed: the preview page shows its mapping
    else:
        job = services.start_export(colleague, round_)
        if state == "done":
            services.run_export(job.pk, "matrix")
    Job.objects.filter(pk=job.pk).update(message=state)
    job.refresh_from_db()
    return job


def _managed_user():  # type: ignore[no-untyped-def]
    """A unit B account for the office's user actions, created on first call."""
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(username="managed").first()
    return found or create_user("managed", Role.UNIT, unit="奇台县七户乡党委").user


def _unit_a_problems(round_: Round) -> tuple[Problem, Problem]:
    """Unit A's first problem (a draft plan, no measures) and its second (an approved plan with
    a measure asking for sign-off, evidence and a handed-over clue), created on first call."""
    problems = Problem.objects.filter(round=round_, unit__name="木垒县东城镇党委").order_by("order")
    a, a2 = problems[0], problems[1]
    if not a2.measures.exists():
        measure_under_review(a2)
        clue_handed_over(a2)
    return a, a2


def _url_names(patterns: list[URLPattern | URLResolver], skip: Callable[[str], bool]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if not skip(str(pattern.pattern)):
                names |= _url_names(pattern.url_patterns, skip)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_the_matrix_covers_every_url(seed_round: Round) -> None:
    site = _url_names(get_resolver().url_patterns, skip=lambda p: p.startswith(("admin/", "api/")))
    pages, actions = set(_matrix(seed_round)), set(_actions(seed_round))
    assert not pages & actions
    assert site == pages | actions


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(seed_round: Round, role: str) -> None:
    client = _users(seed_round)[role]
    for name, (url, expected) in _matrix(seed_round).items():
        assert client.get(url).status_code == expected[role], (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says_for_actions(seed_round: Round, role: str) -> None:
    client = _users(seed_round)[role]
    for name, (url, expected) in _actions(seed_round).items():
        assert client.post(url).status_code == expected[role], (name, role)


def test_actions_take_no_get(seed_round: Round) -> None:
    clients = _users(seed_round)
    for name, (url, _expected) in _actions(seed_round).items():
        assert clients["anonymous"].get(url).status_code == LOGIN, name
        assert clients["office"].get(url).status_code == NOT_ALLOWED, name


def test_a_unit_user_sees_only_its_own_unit_on_the_round_page(seed_round: Round) -> None:
    client = _users(seed_round)["unit_a"]
    html = client.get(reverse("round-detail", args=[seed_round.pk])).content.decode()
    assert "木垒县东城镇党委" in html
    assert "奇台县七户乡党委" not in html


def test_the_round_list_counts_only_what_the_user_sees(seed_round: Round) -> None:
    client = _users(seed_round)["unit_b"]
    html = client.get(reverse("round-list")).content.decode()
    assert '<td class="num">3</td>' in html
    assert '<td class="num">21</td>' not in html


def test_a_user_without_a_role_sees_no_rounds(seed_round: Round) -> None:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.create_user("norole", password="x"))
    assert client.get(reverse("round-detail", args=[seed_round.pk])).status_code == 404
