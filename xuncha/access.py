"""The one place that decides what a user may see.

Every view and API endpoint fetches through these functions, so a permission check cannot be
forgotten: anything outside the user's scope is simply not found (404), never a hint that it
exists.

Scopes, by role (``xuncha.accounts.models.Role``):
- office and supervisor: every round of their committee (all committees when none is set);
- group member: the units inspected by the groups they lead or belong to (``GroupMember``),
  and by their profile's group;
- unit user: their own unit's problems, in every round that inspected it.
Superusers see everything; signed-in users without a role see nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from xuncha.accounts.models import Profile, Role
from xuncha.inspections.models import (
    GroupMember,
    Inspection,
    InspectionGroup,
    Measure,
    PartyOrganisation,
    Problem,
    PublishedFile,
    PublishedNotice,
    Region,
    Round,
)
from xuncha.jobs.models import Job
from xuncha.workflow.models import Action, ClueHandover, Event, Evidence

User = AbstractBaseUser | AnonymousUser


def profile_of(user: User) -> Profile | None:
    """The user's role and scope; Http404 for anonymous or inactive users."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    try:
        return user.profile  # type: ignore[attr-defined]
    except Profile.DoesNotExist:
        return None


def role_of(user: User) -> Role | None:
    if getattr(user, "is_superuser", False):
        return Role.OFFICE
    profile = profile_of(user)
    return Role(profile.role) if profile is not None else None


def require_role(user: User, *roles: Role) -> Role:
    """The user's role if it is one of ``roles``; Http404 otherwise (nothing to hint at)."""
    role = role_of(user)
    if role is None or role not in roles:
        raise Http404
    return role


def _sees_all(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False))


def inspections_for(user: User) -> QuerySet[Inspection]:
    """The (round, unit) pairs in the user's scope: the root of every other scope."""
    inspections = Inspection.objects.all()
    profile = profile_of(user)
    if _sees_all(user):
        return inspections
    if profile is None:
        return inspections.none()
    if profile.role in (Role.OFFICE, Role.SUPERVISOR):
        if profile.committee_id is None:
            return inspections
        return inspections.filter(round__committee_id=profile.committee_id)
    if profile.role == Role.GROUP:
        return inspections.filter(_group_scope(user, profile))
    if profile.role == Role.UNIT:
        return inspections.filter(unit_id=profile.unit_id)
    return inspections.none()  # pragma: no cover - every role is handled above


def _group_scope(user: User, profile: Profile) -> Q:
    """A group user's units: those of the groups they lead or belong to, and their profile's."""
    member = GroupMember.objects.filter(group_id=OuterRef("group_id"), user_id=user.pk or 0)
    return Q(group_id=profile.group_id) | Q(Exists(member))


def rounds_for(user: User) -> QuerySet[Round]:
    scope = _committee_scope(user)
    if not scope:
        # Every round, those without units too (a figures-only notice imports one): an empty
        # Q would vanish from the OR below and leave only rounds with units.
        return Round.objects.all()
    return Round.objects.filter(
        Exists(inspections_for(user).filter(round=OuterRef("pk"))) | scope
    )


def _committee_scope(user: User) -> Q:
    """Office users also see their committee's rounds before any unit is attached to them."""
    if _sees_all(user):
        return Q()
    profile = profile_of(user)
    if profile is not None and profile.role == Role.OFFICE:
        return Q(committee_id=profile.committee_id) if profile.committee_id else Q()
    return Q(pk__in=[])


def problems_for(user: User) -> QuerySet[Problem]:
    if _sees_all(user):
        profile_of(user)
        return Problem.objects.all()
    profile = profile_of(user)
    if profile is not None and profile.role in (Role.OFFICE, Role.SUPERVISOR) and (
            profile.committee_id is None):
        # A province-wide office sees every inspection, so every problem: no condition, which
        # would be tested on each of a million rows and hide the indexes' order.
        return Problem.objects.all()
    scope = inspections_for(user).filter(round=OuterRef("round"), unit=OuterRef("unit"))
    return Problem.objects.filter(_problem_index_range(user), Exists(scope))


def _problem_index_range(user: User) -> Q:
    """A condition implied by the scope that the databases can look up in an index.

    The scope alone is a correlated EXISTS, which both databases test on every problem (a
    million of them for an office of 4,000): naming the rounds (or the unit) first lets them
    read only the scope's problems, through the (round, unit, order) or unit index.
    """
    profile = profile_of(user)
    if profile is None:
        return Q()
    if profile.role in (Role.OFFICE, Role.SUPERVISOR):
        if profile.committee_id is None:
            return Q()  # province-wide: every round
        return Q(round_id__in=Round.objects.filter(committee_id=profile.committee_id)
                 .values("pk"))
    if profile.role == Role.UNIT:
        return Q(unit_id=profile.unit_id)
    if profile.role == Role.GROUP:
        return Q(round_id__in=inspections_for(user).values("round_id"))
    return Q()


def access_round(user: User, round_id: int) -> Round:
    try:
        return rounds_for(user).select_related("committee").get(pk=round_id)
    except Round.DoesNotExist:
        raise Http404 from None


def access_inspection(user: User, round_id: int, unit_id: int) -> Inspection:
    try:
        return (
            inspections_for(user)
            .select_related("round__committee", "unit__region__parent", "group")
            .get(round_id=round_id, unit_id=unit_id)
        )
    except Inspection.DoesNotExist:
        raise Http404 from None


def access_unit_inspection(user: User, unit_id: int) -> Inspection:
    """The unit's latest inspection in the user's scope (the board lists units across rounds)."""
    inspection = (
        inspections_for(user).select_related("round", "unit")
        .filter(unit_id=unit_id)
        .order_by(F("round__inspection_start").desc(nulls_last=True), "-round_id")
        .first()
    )
    if inspection is None:
        raise Http404
    return inspection


def access_problem(user: User, problem_id: int) -> Problem:
    try:
        return (
            problems_for(user)
            .select_related("round__committee", "unit__region", "category", "source")
            .get(pk=problem_id)
        )
    except Problem.DoesNotExist:
        raise Http404 from None


def access_group(user: User, group_id: int) -> InspectionGroup:
    """A group of a round the user sees."""
    try:
        return InspectionGroup.objects.select_related("round__committee").get(
            pk=group_id, round__in=rounds_for(user)
        )
    except InspectionGroup.DoesNotExist:
        raise Http404 from None


def units_for(user: User) -> QuerySet[PartyOrganisation]:
    """The unit register as the user sees it: all of it for the office and supervisors, else
    the units in the user's scope (and a unit user's own unit, inspected or not yet)."""
    units = PartyOrganisation.objects.all()
    if role_of(user) in (Role.OFFICE, Role.SUPERVISOR):
        return units
    profile = profile_of(user)
    if profile is None:
        return units.none()
    scope = Q(Exists(inspections_for(user).filter(unit=OuterRef("pk"))))
    if profile.unit_id is not None:
        scope |= Q(pk=profile.unit_id)
    return units.filter(scope)


def access_unit(user: User, unit_id: int) -> PartyOrganisation:
    try:
        return units_for(user).select_related("region").get(pk=unit_id)
    except PartyOrganisation.DoesNotExist:
        raise Http404 from None


def regions_for(user: User) -> QuerySet[Region]:
    """The region tree: place names, public to anyone with a role."""
    return Region.objects.all() if role_of(user) is not None else Region.objects.none()


def access_region(user: User, region_id: int) -> Region:
    try:
        return regions_for(user).get(pk=region_id)
    except Region.DoesNotExist:
        raise Http404 from None


# What a user may do to an object already fetched through the functions above (so in scope).


def can_edit_plan(user: User, problem: Problem) -> bool:
    """Draft measures, submit the plan, report progress: the problem's own unit."""
    profile = profile_of(user)
    return profile is not None and profile.role == Role.UNIT and profile.unit_id == problem.unit_id


def can_review(user: User, problem: Problem) -> bool:
    """Approve or return plans and measures: the office, or the group that inspected the unit."""
    role = role_of(user)
    if role == Role.OFFICE:
        return True
    profile = profile_of(user)
    if role != Role.GROUP or profile is None:
        return False
    return Inspection.objects.filter(
        _group_scope(user, profile), round_id=problem.round_id, unit_id=problem.unit_id
    ).exists()


def is_group_of(user: User, inspection: Inspection) -> bool:
    """Whether the user is (in) the group that inspects the unit: may record its problems."""
    profile = profile_of(user)
    if profile is None or profile.role != Role.GROUP or inspection.group_id is None:
        return False
    return profile.group_id == inspection.group_id or GroupMember.objects.filter(
        group_id=inspection.group_id, user_id=user.pk or 0
    ).exists()


def can_manage_round(user: User) -> bool:
    """Set deadlines, record problems, hand over clues, manage users: the office."""
    return role_of(user) == Role.OFFICE


def can_record_outcome(user: User, handover: ClueHandover | None = None) -> bool:
    """Record what was done with a handed-over clue: the body it was handed to.

    Without ``handover``: whether the user is a supervisor of some body at all.
    """
    receiver = clue_receiver_of(user)
    return receiver is not None and (handover is None or handover.receiver == receiver)


def clue_receiver_of(user: User) -> str | None:
    """The ``ClueHandover.Receiver`` a supervisor's body (Profile.body) receives clues as."""
    if role_of(user) != Role.SUPERVISOR:
        return None
    profile = profile_of(user)
    body = profile.body.strip() if profile is not None else ""
    receivers = {label: value for value, label in ClueHandover.Receiver.choices}
    return receivers.get(body)


def handovers_for(user: User) -> QuerySet[ClueHandover]:
    """The handed-over clues a user may read: those of problems in scope, for clue readers."""
    if not sees_clues(user):
        return ClueHandover.objects.none()
    return ClueHandover.objects.filter(problem__in=problems_for(user))


# Objects below a problem: in scope when their problem is.


def sees_clues(user: User) -> bool:
    """Clues handed to 纪委监委/组织部 are not the inspected unit's business."""
    return role_of(user) in (Role.OFFICE, Role.GROUP, Role.SUPERVISOR)


def access_measure(user: User, measure_id: int) -> Measure:
    try:
        return Measure.objects.select_related("problem__round", "problem__unit").get(
            pk=measure_id, problem__in=problems_for(user)
        )
    except Measure.DoesNotExist:
        raise Http404 from None


def access_evidence(user: User, evidence_id: int) -> Evidence:
    try:
        return Evidence.objects.get(pk=evidence_id, measure__problem__in=problems_for(user))
    except Evidence.DoesNotExist:
        raise Http404 from None


def access_handover(user: User, handover_id: int) -> ClueHandover:
    if not sees_clues(user):
        raise Http404
    try:
        return ClueHandover.objects.select_related("problem__round", "problem__unit").get(
            pk=handover_id, problem__in=problems_for(user)
        )
    except ClueHandover.DoesNotExist:
        raise Http404 from None


#: History entries about handed-over clues, which only those who see clues may read.
CLUE_ACTIONS = frozenset({Action.CLUE_HANDED_OVER, Action.CLUE_OUTCOME})


def history_for(user: User, problem: Problem) -> QuerySet[Event]:
    """The history of a problem already fetched through this module, as ``user`` may read it."""
    events = Event.objects.filter(problem=problem).order_by("id")
    return events if sees_clues(user) else events.exclude(action__in=CLUE_ACTIONS)


# --- users: the office manages the accounts of its committee and of the units it inspects ----


def users_for(user: User) -> QuerySet[AuthUser]:
    """The accounts ``user`` manages: office only (Http404 for anyone else).

    An office bound to a committee answers for that committee's accounts and those of the units
    its rounds inspected; superuser accounts are left to superusers.
    """
    require_role(user, Role.OFFICE)
    users = AuthUser.objects.filter(profile__isnull=False)
    if _sees_all(user):
        return users
    users = users.filter(is_superuser=False)
    profile = profile_of(user)
    if profile is not None and profile.committee_id is not None:
        units = inspections_for(user).values("unit")
        users = users.filter(
            Q(profile__committee_id=profile.committee_id) | Q(profile__unit__in=units)
        )
    return users


def access_user(user: User, user_id: int) -> AuthUser:
    """One account the office manages, with its profile; Http404 otherwise."""
    try:
        return users_for(user).select_related(
            "profile__unit", "profile__group__round__committee", "profile__committee"
        ).get(pk=user_id)
    except AuthUser.DoesNotExist:
        raise Http404 from None


# --- published notices (公开): the only things reachable without logging in ---


def published_notices() -> QuerySet[PublishedNotice]:
    """Every published version, for anyone (the public page /gongkai/ lists them).

    Only frozen versions are here: nothing a round holds before its notice is published.
    """
    return PublishedNotice.objects.select_related("round__committee", "inspection__unit")


def access_published_notice(publication_id: int) -> PublishedNotice:
    try:
        return published_notices().get(pk=publication_id)
    except PublishedNotice.DoesNotExist:
        raise Http404 from None


def access_published_file(publication_id: int, fmt: str) -> PublishedFile:
    try:
        return PublishedFile.objects.select_related("publication").get(
            publication_id=publication_id, format=fmt)
    except PublishedFile.DoesNotExist:
        raise Http404 from None


# --- 整改评估 (evaluation) ---


def benchmark_rounds(user: User, round_: Round) -> QuerySet[Round]:
    """Other committees' rounds imported from their published notices, to compare a round
    with: public documents, so anyone with a role may read their figures."""
    if role_of(user) is None:
        return Round.objects.none()
    from xuncha.inspections.models import SourceDocument

    imported = SourceDocument.objects.filter(round=OuterRef("pk"))
    return Round.objects.filter(Exists(imported)).exclude(committee_id=round_.committee_id)


def sees_every_evaluation_row(user: User) -> bool:
    """The office and supervisors read every unit's evaluation; a group reads its units'
    rows, a unit its own row and rank only (how offices circulate 整改评估 results)."""
    return role_of(user) in (Role.OFFICE, Role.SUPERVISOR)


def can_dismiss_flags(user: User) -> bool:
    """Dismissing a quality flag is the office's judgement (as 销号 is)."""
    return role_of(user) == Role.OFFICE
# --- background jobs: ledger import and export (ledgerweb) ---


def jobs_for(user: User) -> QuerySet[Job]:
    """Jobs a user may watch: their own; the office also its committee's rounds' jobs."""
    if _sees_all(user):
        profile_of(user)
        return Job.objects.all()
    own = Q(created_by_id=user.pk or 0)
    if role_of(user) == Role.OFFICE:
        own |= Q(round__in=rounds_for(user))
    return Job.objects.filter(own)


def access_job(user: User, job_id: int) -> Job:
    try:
        return jobs_for(user).select_related("round__committee", "unit", "created_by").get(
            pk=job_id)
    except Job.DoesNotExist:
        raise Http404 from None


def can_export_round_ledger(user: User) -> bool:
    """The whole round's ledger: those who see every unit of it (office, supervisors)."""
    return role_of(user) in (Role.OFFICE, Role.SUPERVISOR)
