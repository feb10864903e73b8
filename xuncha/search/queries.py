"""Full-text search over what a user may see: one interface over SQLite FTS5 and PostgreSQL
full-text search (see ``xuncha.analysis.text`` for the tokens and why they are exact).

One query finds the match set: the rows the full-text index names, whose text contains every
word (exact), in the user's scope, filtered, newest first, at most ``MATCH_CAP`` of them. The
count, the ranking and the facets are all computed from that one set. When more rows match than
the cap, the answer says so (``count_exact`` false: "超过 1000 条") and ranks and counts the
newest ``MATCH_CAP`` of them: a word found in a third of a province's texts would otherwise
cost seconds to count and rank, and no one reads past its first pages. A facet whose filter is
in use is counted from one more capped query without that filter. The page's texts and the
facet labels take a few more queries: a constant number whatever the data.

Where the scope or the filters already narrow the rows to a round or a unit, the full-text
index is not asked at all: the exact substring test on those few hundred rows is cheaper than
walking the index's list of every row containing a common word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    IntegerField,
    Lookup,
    OuterRef,
    QuerySet,
    TextField,
    When,
)
from django.db.models.expressions import RawSQL

from xuncha import access
from xuncha.analysis.text import fts5_query, highlight, query_terms, tsquery
from xuncha.inspections.models import (
    Measure,
    PartyOrganisation,
    Problem,
    ProblemCategory,
    ProgressReport,
    RectificationStatus,
    Region,
    Round,
)
from xuncha.search.models import SearchDoc

#: Filters a search takes, each an id (status: a RectificationStatus code).
FILTERS = ("round", "unit", "county", "category", "status")
#: The filters whose values are counted, in the order pages show them.
FACETS = ("round", "unit", "county", "category", "status")
#: Rows of one match set ranked and counted; beyond it the count is "more than" this.
MATCH_CAP = 1000
#: A scope of at most this many rounds and problems is searched by its problems (the exact
#: substring test on their few texts) rather than through the full-text index of everyone's.
NARROW_ROUNDS = 200
NARROW_PROBLEMS = 10_000
#: Index rows per problem, about (its text, rectification, three measures, two reports).
_TEXTS_PER_PROBLEM = 7
#: PostgreSQL, whole index in scope: the newest rows tested for the words before the index.
WALK_ROWS = 20_000
#: … and at most this many more when the newest rows' share says the cap lies within them.
WALK_MORE_ROWS = 200_000
#: Same relevance: problems first, then what was done about them.
_KIND_ORDER = {
    SearchDoc.Kind.PROBLEM: 0,
    SearchDoc.Kind.RECTIFICATION: 1,
    SearchDoc.Kind.MEASURE: 2,
    SearchDoc.Kind.PROGRESS: 3,
}
_COUNTY_LEVELS = (Region.Level.COUNTY, Region.Level.PREFECTURE)
#: Characters added to every text's length in the score: short texts still rank above long
#: ones for the same count, but a 10-character text does not beat a 100-character text with
#: twice the matches.
_LENGTH_NORM = 80.0
#: The columns a match row carries: enough to rank it, count it and fetch its page.
_COLUMNS = ("id", "kind", "source_id", "problem_id", "problem__round_id", "problem__unit_id",
            "problem__category_id", "problem__status", "body")
_FACET_COLUMN = {"round": 4, "unit": 5, "category": 6, "status": 7}
#: The columns the match query itself reads (the problem's come after, ``_match``).
_DOC_COLUMNS = ("id", "kind", "source_id", "problem_id", "body")


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    count: int = 0
    #: False when more than ``count`` rows match: ranked and counted are the newest ``count``.
    count_exact: bool = True
    items: list[dict[str, Any]] = field(default_factory=list)
    #: Every facet is always present (empty when nothing was searched), as the API documents.
    facets: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in FACETS}
    )
    #: False when a facet was counted over the newest ``MATCH_CAP`` rows only.
    facets_exact: bool = True
    page: int = 1
    page_size: int = 20


def score(body: str, terms: list[str]) -> float:
    """Relevance: how often the words occur, per length of the text (BM25's term-frequency
    part with length normalisation). Every row already contains every word, so the inverse
    document frequency is the same for all of them and would not change the order."""
    occurrences = sum(body.count(term) for term in terms)
    return occurrences / (len(body) + _LENGTH_NORM)


def _units_in_county(county: Any) -> QuerySet[PartyOrganisation]:
    """The units whose county-level region (``PartyOrganisation.county``) is ``county``."""
    whens = []
    path = "region"
    for _ in range(4):
        whens.append(When(**{f"{path}__level__in": _COUNTY_LEVELS}, then=F(f"{path}_id")))
        path += "__parent"
    return PartyOrganisation.objects.annotate(
        county_id=Case(*whens, default=None, output_field=IntegerField())
    ).filter(county_id=county)


def _county_of(unit_ids: set[int]) -> dict[int, int | None]:
    """Each unit's county-level region id (four levels up at most, one query)."""
    fields = ["pk"]
    path = "region"
    for _ in range(4):
        fields += [f"{path}_id", f"{path}__level"]
        path += "__parent"
    counties: dict[int, int | None] = {}
    for pk, *chain in PartyOrganisation.objects.filter(pk__in=unit_ids).values_list(*fields):
        counties[pk] = next(
            (chain[i] for i in range(0, len(chain), 2) if chain[i + 1] in _COUNTY_LEVELS), None)
    return counties


def _scope_problems(user: Any) -> list[int] | None:
    """The ids of the problems in the user's scope when they are few (a unit's, a group's, a
    prefecture office's: up to ``NARROW_PROBLEMS``), else None (a province's office, the
    superuser). Found from the scope's rounds (by the problems' round index), each problem
    then tested against the exact scope, so the list is exactly ``access.problems_for``."""
    if getattr(access.profile_of(user), "role", None) is None or getattr(
            user, "is_superuser", False):
        return None
    rounds = list(access.inspections_for(user).order_by().values_list(
        "round_id", flat=True).distinct()[:NARROW_ROUNDS + 1])
    if len(rounds) > NARROW_ROUNDS:
        return None
    query = access.problems_for(user).filter(round_id__in=rounds).order_by().values_list(
        "pk", flat=True)[:NARROW_PROBLEMS + 1]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:  # thousands of ints: no model layer per row
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= NARROW_PROBLEMS else None


class _Contains(Lookup):
    """``body`` contains the word, as a plain substring search (``instr``/``strpos``): both
    sides are already normalised, so SQLite's case-insensitive ``LIKE`` (a slower matcher) is
    not needed."""

    lookup_name = "has"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        function = "strpos" if connection.vendor == "postgresql" else "instr"
        return f"{function}({lhs}, {rhs}) > 0", [*lhs_params, *rhs_params]


TextField.register_lookup(_Contains)


def _docs(user: Any, terms: list[str], filters: dict[str, Any],
          own: list[int] | None, index: bool | None = None) -> tuple[QuerySet, bool]:
    """The match set's query: exact words, scope, filters, and the full-text index unless
    the rows are already few (``own``: the scope's problems; a round or unit filter);
    ``index`` true or false overrides that choice. Returns the query and whether it uses
    the full-text index."""
    docs = SearchDoc.objects.all()
    if not terms:
        # No words but filters (a dashboard's bar): the problems behind it, newest first.
        docs = docs.filter(kind=SearchDoc.Kind.PROBLEM)
    for term in terms:
        docs = docs.filter(body__has=term)
    narrow = own is not None or bool(filters.get("round") or filters.get("unit"))
    indexed = bool(terms) and (not narrow if index is None else index)
    if indexed:
        if connection.vendor == "postgresql":
            # tokens_tsv: the stored, GIN-indexed column (migrations 0001 and 0002 of search).
            docs = docs.filter(RawSQL(
                '"search_searchdoc"."tokens_tsv" @@ to_tsquery(\'simple\'::regconfig, %s)',
                [tsquery(terms)], output_field=BooleanField(),
            ))
        else:
            # A join (not ``id IN (…)``): FTS5 hands out its rows newest first and the
            # query stops at the cap instead of collecting every match first.
            docs = docs.extra(
                tables=["search_fts"],
                where=["search_fts.rowid = search_searchdoc.id", "search_fts MATCH %s"],
                params=[fts5_query(terms)],
            )
    if own is not None:
        # Written out as integers: ``problem_id__in`` would prepare each of thousands of ids
        # through the field (a fifth of a search's time).
        ids = ",".join(str(int(pk)) for pk in own) or "NULL"
        # Without words only problem rows are wanted: found by the unique (kind, source_id)
        # index, not by reading each problem's seven rows to keep one.
        column = "problem_id" if terms else "source_id"
        docs = docs.filter(RawSQL(  # noqa: S611 - integers, written by int() above
            f'"search_searchdoc"."{column}" IN ({ids})', [],
            output_field=BooleanField()))
    elif access.problems_for(user).query.where:  # everything in scope needs no condition
        # ``access.problems_for`` as a condition on each row's problem (its definition: an
        # inspection in the user's scope for the problem's round and unit). ``problem__in``
        # would first list every problem in scope — a million at a province's office.
        docs = docs.filter(Exists(access.inspections_for(user).filter(
            round=OuterRef("problem__round_id"), unit=OuterRef("problem__unit_id"))))
    lookups = {"round": "problem__round_id", "unit": "problem__unit_id",
               "category": "problem__category_id", "status": "problem__status"}
    for name, value in filters.items():
        if name == "county":
            docs = docs.filter(problem__unit_id__in=_units_in_county(value).values("pk"))
        else:
            docs = docs.filter(**{lookups[name]: value})
    return docs, indexed


#: The row id as an expression: the same order, but no index to walk for it.
_ID_EXPRESSION = RawSQL('"search_searchdoc"."id" + 0', [], output_field=IntegerField())


def _few_candidates(terms: list[str], bound: int) -> bool:
    """SQLite: whether the full-text index names at most ``bound`` rows for ``terms`` (a
    count that stops at the bound: the posting lists without positions are read fast)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM (SELECT rowid FROM search_fts "
                       "WHERE search_fts MATCH %s LIMIT %s)", [fts5_query(terms), bound + 1])
        return int(cursor.fetchone()[0]) <= bound


def _match(user: Any, terms: list[str], filters: dict[str, Any],
           own: list[int] | None) -> list[tuple[Any, ...]]:
    """At most ``MATCH_CAP + 1`` rows of the match set, newest first (``own``: the scope's
    problems when they are few, see ``_scope_problems``), as ``_COLUMNS``. The rows' problems
    (round, unit, category, status) are read afterwards for those rows only: joined in the
    match query, they made PostgreSQL's estimates (and plans, and JIT) those of a join of
    millions."""
    rows = _doc_rows(user, terms, filters, own, _DOC_COLUMNS)
    ids = ",".join(str(int(row[3])) for row in rows) or "NULL"
    problems = {
        pk: rest for pk, *rest in Problem.objects.filter(RawSQL(  # noqa: S611 - integers
            f'"inspections_problem"."id" IN ({ids})', [], output_field=BooleanField(),
        )).values_list("pk", "round_id", "unit_id", "category_id", "status")
    }
    return [(*row[:4], *problems[row[3]], row[4]) for row in rows]


def _doc_rows(user: Any, terms: list[str], filters: dict[str, Any], own: list[int] | None,
              columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    index = None
    if own is not None and terms and connection.vendor == "sqlite":
        # A rare word is found faster through the index (its few rows tested against the
        # scope) than by testing every text of the scope: the index is asked for at most
        # about as many rows as the scope has texts.
        index = _few_candidates(terms, len(own) * _TEXTS_PER_PROBLEM)
    docs, indexed = _docs(user, terms, filters, own, index)
    if indexed and connection.vendor == "sqlite":
        docs = docs.extra(order_by=["-search_fts.rowid"])
        return list(docs.values_list(*columns)[: MATCH_CAP + 1])
    if indexed:
        return _newest_first(user, terms, filters, docs, columns)
    if own is not None or filters.get("round") or filters.get("unit"):
        # A few thousand rows, fetched by their problems and sorted: ordered by an expression
        # so that PostgreSQL cannot choose to walk the primary key down from the newest row
        # instead (at 1M it did, reading millions of rows to reach an older prefecture's).
        return list(docs.order_by(_ID_EXPRESSION.desc()).values_list(*columns)[: MATCH_CAP + 1])
    docs = docs.order_by("-id")
    return list(docs.values_list(*columns)[: MATCH_CAP + 1])


def _newest_first(user: Any, terms: list[str], filters: dict[str, Any], docs: QuerySet,
                  columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """PostgreSQL, the whole index in scope: the GIN index answers with an unordered bitmap of
    every row holding the words' pairs — for a common word, hundreds of thousands of rows to
    fetch and sort before the newest thousand are known. So the newest ``WALK_ROWS`` rows are
    read first by primary key with the exact test alone (a common word fills the cap there),
    then as many more as their share of matches says the cap needs (up to ``WALK_MORE_ROWS``);
    only what is still missing comes from the GIN index, below them."""
    top = SearchDoc.objects.order_by("-id").values_list("id", flat=True).first()
    if top is None:
        return []
    edge = top - WALK_ROWS
    walk, _ = _docs(user, terms, filters, None, index=False)
    rows = list(walk.filter(id__gt=edge).order_by("-id").values_list(*columns)[: MATCH_CAP + 1])
    if len(rows) > MATCH_CAP or edge < 1:
        return rows
    if rows:
        # As often as in the newest rows, the rest of the cap lies within ``more`` rows
        # below them (with a margin): walked too when that is not far.
        more = int((MATCH_CAP + 1 - len(rows)) * WALK_ROWS / len(rows) * 1.5)
        if more <= WALK_MORE_ROWS:
            below = walk.filter(id__gt=edge - more, id__lte=edge).order_by("-id")
            rows += below.values_list(*columns)[: MATCH_CAP + 1 - len(rows)]
            edge -= more
            if len(rows) > MATCH_CAP or edge < 1:
                return rows
    # Ordered by an expression, not the primary key: walking the key down from the edge
    # (the plan PostgreSQL picks when it overestimates the match) reads every older row
    # when the word is rare.
    rest = docs.filter(id__lte=edge).order_by(_ID_EXPRESSION.desc())
    return rows + list(rest.values_list(*columns)[: MATCH_CAP + 1 - len(rows)])


def search(
    user: Any, query: str, filters: dict[str, Any] | None = None, page: int = 1,
    page_size: int = 20,
) -> SearchResult:
    """What ``user`` may see that contains every word of ``query``, ranked, one page of it,
    with the counts per round, unit, county, category and status (each facet counted with
    the other filters applied, so choosing a value shows what choosing another would give)."""
    terms = query_terms(query)
    result = SearchResult(query=query, terms=terms, page=page, page_size=page_size)
    filters = {name: value for name, value in (filters or {}).items()
               if name in FILTERS and value not in (None, "")}
    if not terms and not filters:
        return result
    own = _scope_problems(user)
    rows = _match(user, terms, filters, own)
    result.count_exact = len(rows) <= MATCH_CAP
    rows = rows[:MATCH_CAP]
    result.count = len(rows)
    scored = sorted(
        ((score(row[8], terms) if terms else 0.0, row) for row in rows),
        key=lambda pair: (-pair[0], _KIND_ORDER[pair[1][1]], -pair[1][3], pair[1][2]),
    )
    page_rows = scored[(page - 1) * page_size: page * page_size]
    result.items = _items([(row[0], value) for value, row in page_rows], terms)
    result.facets, result.facets_exact = _facets(user, terms, filters, rows,
                                                 result.count_exact, own)
    return result


def _items(ranked: list[tuple[int, float]], terms: list[str]) -> list[dict[str, Any]]:
    """The page's rows (index id, score) as results, with their original texts' snippets."""
    docs = SearchDoc.objects.select_related(
        "problem__round__committee", "problem__unit", "problem__category"
    ).in_bulk([doc_id for doc_id, _ in ranked])
    rows = [(docs[doc_id], value) for doc_id, value in ranked if doc_id in docs]
    measures = {
        pk: text for pk, *parts in Measure.objects.filter(
            pk__in=[d.source_id for d, _ in rows if d.kind == SearchDoc.Kind.MEASURE]
        ).values_list("pk", "content", "standard", "leader", "department")
        for text in ["\n".join(p for p in parts if p)]
    }
    reports = dict(
        ProgressReport.objects.filter(
            pk__in=[d.source_id for d, _ in rows if d.kind == SearchDoc.Kind.PROGRESS]
        ).values_list("pk", "text")
    )
    items = []
    for doc, value in rows:
        problem = doc.problem
        text = {
            SearchDoc.Kind.PROBLEM: "\n".join(p for p in (problem.heading, problem.text) if p),
            SearchDoc.Kind.RECTIFICATION: problem.published_rectification,
            SearchDoc.Kind.MEASURE: measures.get(doc.source_id, ""),
            SearchDoc.Kind.PROGRESS: reports.get(doc.source_id, ""),
        }[SearchDoc.Kind(doc.kind)]
        items.append({
            "kind": doc.kind,
            "kind_label": SearchDoc.Kind(doc.kind).label,
            "problem_id": problem.pk,
            "measure_id": doc.source_id if doc.kind == SearchDoc.Kind.MEASURE else None,
            "progress_id": doc.source_id if doc.kind == SearchDoc.Kind.PROGRESS else None,
            "snippet": highlight(text, terms),
            "score": value,
            "round": {"id": problem.round_id, "name": problem.round.display_name},
            "unit": {"id": problem.unit_id, "name": problem.unit.name},
            "category": problem.category.name if problem.category else None,
            "status": problem.status,
            "status_label": RectificationStatus(problem.status).label,
        })
    return items


def _facets(user: Any, terms: list[str], filters: dict[str, Any],
            rows: list[tuple[Any, ...]], exact: bool,
            own: list[int] | None) -> tuple[dict[str, list[dict]], bool]:
    """The counts per facet value: from the match set itself, except for a facet whose filter
    is in use (counted from one more capped query without that filter)."""
    tallies: dict[str, dict[Any, int]] = {}
    sets: dict[str, list[tuple[Any, ...]]] = {}
    for name in FACETS:
        if name in filters:
            others = {key: value for key, value in filters.items() if key != name}
            found = _match(user, terms, others, own)
            exact = exact and len(found) <= MATCH_CAP
            sets[name] = found[:MATCH_CAP]
        else:
            sets[name] = rows
    unit_ids = {row[5] for row in sets["county"]}
    county_of = _county_of(unit_ids) if unit_ids else {}
    for name in FACETS:
        tally: dict[Any, int] = {}
        for row in sets[name]:
            value = county_of.get(row[5]) if name == "county" else row[_FACET_COLUMN[name]]
            if value is not None:
                tally[value] = tally.get(value, 0) + 1
        tallies[name] = tally
    labels = _labels(tallies)
    facets = {
        name: [
            {"value": value, "label": labels[name].get(value, ""), "count": count}
            for value, count in sorted(tally.items(), key=lambda item: (-item[1], item[0]))
        ]
        for name, tally in tallies.items()
    }
    return facets, exact


def _labels(tallies: dict[str, dict[Any, int]]) -> dict[str, dict[Any, str]]:
    from xuncha.notices.names import int_to_cn

    rounds = Round.objects.filter(pk__in=list(tallies["round"])).values_list(
        "pk", "term", "number", "committee__name")
    return {
        "round": {pk: f"{term}{committee}第{int_to_cn(number or 0)}轮巡察"
                  for pk, term, number, committee in rounds},
        "unit": dict(PartyOrganisation.objects.filter(pk__in=list(tallies["unit"]))
                     .values_list("pk", "name")),
        "county": dict(Region.objects.filter(pk__in=list(tallies["county"]))
                       .values_list("pk", "name")),
        "category": dict(ProblemCategory.objects.filter(pk__in=list(tallies["category"]))
                         .values_list("pk", "name")),
        "status": {code: str(label) for code, label in RectificationStatus.choices},
    }
