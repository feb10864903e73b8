"""Reading similarity: 屡查屡犯 links to earlier problems and 共性 groups within a round.

Candidates always come from the band key index (``BandKey``): a round's own keys for its
groups, equal keys in the same place for earlier problems. Only candidates are compared
exactly (``xuncha.analysis.similarity.compare``), never every pair of problems.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max, QuerySet

from xuncha.analysis.similarity import Match, Text, candidate_pairs, compare, group
from xuncha.inspections.models import PartyOrganisation, Problem, RectificationStatus, Round
from xuncha.similar.index import problem_text
from xuncha.similar.models import BandKey, SimilaritySettings
from xuncha.workflow.models import Action, Event

_CHUNK = 500


def threshold() -> float:
    return float(SimilaritySettings.current().threshold)


def _texts(ids: Iterable[int]) -> dict[int, Text]:
    ids = sorted(set(ids))
    texts: dict[int, Text] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = Problem.objects.filter(pk__in=ids[start : start + _CHUNK]).values_list(
            "pk", "heading", "text"
        )
        for pk, heading, text in rows:
            texts[pk] = Text.of(pk, problem_text(heading, text))
    return texts


def _when(round_: Round | tuple[int, datetime.date | None, datetime.date | None]
          ) -> tuple[datetime.date, int]:
    """When a round happened, for "earlier": its start, else its feedback, else its id."""
    if isinstance(round_, Round):
        pk, start, feedback = round_.pk, round_.inspection_start, round_.feedback_date
    else:
        pk, start, feedback = round_
    return (start or feedback or datetime.date.min, pk)


def _earlier_rounds(round_: Round, round_ids: Iterable[int]) -> set[int]:
    now = _when(round_)
    ids = sorted(set(round_ids))
    earlier: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        rows = Round.objects.filter(pk__in=ids[start : start + _CHUNK]).values_list(
            "pk", "inspection_start", "feedback_date"
        )
        earlier.update(row[0] for row in rows if _when(row) < now)
    return earlier


def _candidates(round_id: int, problem_id: int | None = None) -> list[tuple[int, int, int]]:
    """(problem, other problem, other's round) sharing a band key in the same place, the other
    in another round; for the whole round, or one of its problems."""
    table = connection.ops.quote_name(BandKey._meta.db_table)
    where = "a.round_id = %s AND b.round_id <> %s"
    params: list[int] = [round_id, round_id]
    if problem_id is not None:
        where += " AND a.problem_id = %s"
        params.append(problem_id)
    sql = (
        f"SELECT DISTINCT a.problem_id, b.problem_id, b.round_id FROM {table} a "  # noqa: S608
        f"JOIN {table} b ON b.key = a.key AND b.place = a.place WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(a), int(b), int(r)) for a, b, r in cursor.fetchall()]


@dataclass(frozen=True)
class Link:
    """A problem of the round like an earlier problem: the score and the words they share."""

    problem: int
    earlier: int
    score: float
    terms: tuple[str, ...]


def recurrence_links(round_: Round, problem_id: int | None = None,
                     limit_to: Sequence[int] | None = None, *, explain: bool = True,
                     ) -> list[Link]:
    """The round's problems (or one of them) linked to similar problems of earlier rounds in
    the same place, best first per problem. ``limit_to`` keeps only those earlier problems;
    ``explain=False`` leaves the matched words out (counts need only the links)."""
    found = _candidates(round_.pk, problem_id)
    earlier = _earlier_rounds(round_, {r for _a, _b, r in found})
    pairs = [(a, b) for a, b, r in found if r in earlier]
    if limit_to is not None:
        allowed = set(limit_to)
        pairs = [(a, b) for a, b in pairs if b in allowed]
    if not pairs:
        return []
    texts = _texts({pid for pair in pairs for pid in pair})
    level = threshold()
    links: list[Link] = []
    for a, b in pairs:
        if a not in texts or b not in texts:
            continue
        match: Match | None = compare(texts[a], texts[b], level, explain=explain)
        if match is not None:
            links.append(Link(a, b, match.score, match.terms))
    links.sort(key=lambda link: (link.problem, -link.score, -link.earlier))
    return links


def recurrence_counts(round_: Round) -> dict[int, int]:
    """Unit id → how many of the round's problems are linked to a similar earlier problem."""
    problems = {link.problem for link in recurrence_links(round_, explain=False)}
    counts: dict[int, int] = {}
    rows = Problem.objects.filter(round=round_).values_list("pk", "unit_id")
    for pk, unit_id in rows:
        if pk in problems:
            counts[unit_id] = counts.get(unit_id, 0) + 1
    return counts


# --- 屡查屡犯 on one problem's page ------------------------------------------------------------


@dataclass(frozen=True)
class Related:
    """An earlier problem like this one, as the problem page and the API show it."""

    problem: Problem
    score: float
    terms: tuple[str, ...]
    #: When the earlier problem was signed off (its latest 销号 event), if it was.
    signed_off_at: datetime.datetime | None


def related(problem: Problem, visible: QuerySet[Problem], limit: int = 5) -> list[Related]:
    """Earlier problems like ``problem`` that ``visible`` (the user's scope) contains, signed-off
    ones first (a problem back after its 销号 is what 屡查屡犯 is about), then by score."""
    links = recurrence_links(problem.round, problem_id=problem.pk)
    if not links:
        return []
    by_id = {link.earlier: link for link in links}
    earlier = {
        p.pk: p for p in visible.filter(pk__in=list(by_id)).select_related(
            "round__committee", "unit"
        )
    }
    signed = dict(
        Event.objects.filter(problem_id__in=list(earlier), action=Action.SIGNED_OFF)
        .values("problem_id").annotate(last=Max("at")).values_list("problem_id", "last")
    )
    found = [
        Related(earlier[pk], by_id[pk].score, by_id[pk].terms, signed.get(pk))
        for pk in earlier
    ]
    found.sort(key=lambda r: (
        r.problem.status != RectificationStatus.SIGNED_OFF, -r.score, -r.problem.round_id,
    ))
    return found[:limit]


# --- 共性问题 within a round ------------------------------------------------------------------


@dataclass(frozen=True)
class CommonGroup:
    """Similar problems of several units: "村级后备力量不足 — 5 of 7 units"."""

    units: tuple[PartyOrganisation, ...]
    problems: tuple[int, ...]
    terms: tuple[str, ...]
    #: Units the round inspected (in the user's scope): the "of 7".
    of_units: int
    centre_text: str
    centre: int = 0
    #: Round groups merged into this one (the committee view); 1 within a round.
    rounds: int = 1


def common_groups(round_: Round, visible: QuerySet[Problem]) -> list[CommonGroup]:
    """Groups of similar problems in ``round_`` found in at least ``min_units`` units, most
    units first. Candidates are problems sharing a band key within the round."""
    return _groups(visible, [round_.pk])


#: The committee view combines the groups of at most this many of its newest rounds.
MAX_ROUNDS = 20


def committee_common_groups(rounds: QuerySet[Round], visible: QuerySet[Problem]
                            ) -> list[CommonGroup]:
    """共性 across a committee's rounds: each round's groups (``common_groups``), then the
    groups whose centres are alike merged across rounds — most units first.

    Built from the rounds' groups, not from all their problems at once: a committee's rounds
    repeat the same wording so often that scoring every candidate pair across them costs
    seconds per thousand problems, while a few hundred centres cost nothing.
    """
    ids = list(rounds.order_by("-inspection_start", "-id").values_list("pk", flat=True)
               [:MAX_ROUNDS])
    per_round = [g for rid in ids for g in _groups(visible, [rid])]
    by_centre = {g.centre: g for g in per_round}
    keys: dict[int, list[int]] = {}
    for pid, key in BandKey.objects.filter(problem_id__in=list(by_centre)).values_list(
        "problem_id", "key"
    ):
        keys.setdefault(pid, []).append(key)
    texts = _texts(by_centre)
    level = threshold()
    matches = [
        match for a, b in candidate_pairs(keys)
        if (match := compare(texts[a], texts[b], level, explain=False))
    ]
    merged = {pid for m in matches for pid in (m.a, m.b)}
    result = [g for g in per_round if g.centre not in merged]
    for found in group(texts, matches):
        parts = [by_centre[pid] for pid in found.members]
        units = {unit.pk: unit for part in parts for unit in part.units}
        result.append(CommonGroup(
            units=tuple(units[pk] for pk in sorted(units)),
            problems=tuple(sorted(pid for part in parts for pid in part.problems)),
            terms=found.terms or parts[0].terms,
            of_units=sum(part.of_units for part in parts),
            centre_text=by_centre[found.centre].centre_text,
            centre=found.centre,
            rounds=len(parts),
        ))
    result.sort(key=lambda g: (-len(g.units), -len(g.problems), g.problems[0]))
    return result


def _groups(visible: QuerySet[Problem], round_ids: list[int]) -> list[CommonGroup]:
    settings = SimilaritySettings.current()
    # Items raised from a group answer it; they are not problems found in the units.
    scoped = dict(visible.filter(round_id__in=round_ids, common_requirement_item__isnull=True)
                  .values_list("pk", "unit_id"))
    keys: dict[int, list[int]] = {}
    rows = BandKey.objects.filter(round_id__in=round_ids).values_list("problem_id", "key")
    for pid, key in rows:
        if pid in scoped:
            keys.setdefault(pid, []).append(key)
    pairs = candidate_pairs(keys)
    texts = _texts({pid for pair in pairs for pid in pair})
    level = float(settings.threshold)
    matches = [
        match for a, b in pairs
        if a in texts and b in texts
        and (match := compare(texts[a], texts[b], level, explain=False))
    ]
    groups = []
    unit_ids: set[int] = set()
    for found in group(texts, matches):
        units = {scoped[pid] for pid in found.members}
        if len(units) >= settings.min_units:
            groups.append(found)
            unit_ids |= units
    names = PartyOrganisation.objects.in_bulk(unit_ids)
    of_units = len(set(scoped.values()))
    raw = {pid: text for pid, text in Problem.objects.filter(
        pk__in=[g.centre for g in groups]).values_list("pk", "text")}
    result = [
        CommonGroup(
            units=tuple(sorted({names[scoped[pid]] for pid in found.members},
                               key=lambda unit: unit.pk)),
            problems=tuple(sorted(found.members)),
            terms=found.terms,
            of_units=of_units,
            centre_text=raw.get(found.centre, ""),
            centre=found.centre,
        )
        for found in groups
    ]
    result.sort(key=lambda g: (-len(g.units), -len(g.problems), g.problems[0]))
    return result
