"""Full-text search over what a user may see: one interface over SQLite FTS5 and PostgreSQL
full-text search (see ``xuncha.analysis.text`` for the tokens and why they are exact).

``search()`` issues a constant number of queries whatever the data: the count, one page of
rows, one query per facet, and one each for the page's measure and progress texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Length, Replace

from xuncha import access
from xuncha.analysis.text import fts5_query, highlight, query_terms, tsquery
from xuncha.inspections.models import (
    Measure,
    ProgressReport,
    RectificationStatus,
    Region,
)
from xuncha.search.models import SearchDoc

#: Filters a search takes, each an id (status: a RectificationStatus code).
FILTERS = ("round", "unit", "county", "category", "status")
#: Same relevance: problems first, then what was done about them.
_KIND_ORDER = {
    SearchDoc.Kind.PROBLEM: 0,
    SearchDoc.Kind.RECTIFICATION: 1,
    SearchDoc.Kind.MEASURE: 2,
    SearchDoc.Kind.PROGRESS: 3,
}
_COUNTY_LEVELS = (Region.Level.COUNTY, Region.Level.PREFECTURE)


#: The filters whose values are counted, in the order pages show them.
FACETS = ("round", "unit", "county", "category", "status")


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    count: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)
    #: Every facet is always present (empty when nothing was searched), as the API documents.
    facets: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in FACETS}
    )
    page: int = 1
    page_size: int = 20


def _county() -> Case:
    """The county-level region above the problem's unit (as ``PartyOrganisation.county``)."""
    whens = []
    path = "problem__unit__region"
    for _ in range(4):
        whens.append(When(**{f"{path}__level__in": _COUNTY_LEVELS}, then=F(f"{path}_id")))
        path += "__parent"
    return Case(*whens, default=None, output_field=IntegerField())


def _score(terms: list[str]) -> Any:
    """Relevance: how often the words occur, per length of the text (BM25's term-frequency
    part with length normalisation). Every row already contains every word, so the inverse
    document frequency is the same for all of them and would not change the order; computing
    this from ``body`` costs the same on both databases and needs no second full-text lookup
    per row (FTS5's ``rank`` inside a correlated subquery re-ran the MATCH for each row)."""
    occurrences: Any = Value(0.0, output_field=FloatField())
    for term in terms:
        removed = Length("body") - Length(Replace("body", Value(term), Value("")))
        occurrences = occurrences + Cast(removed, FloatField()) / Value(float(len(term)))
    return occurrences / (Cast(Length("body"), FloatField()) + Value(_LENGTH_NORM))


#: Characters added to every text's length in the score: short texts still rank above long
#: ones for the same count, but a 10-character text does not beat a 100-character text with
#: twice the matches.
_LENGTH_NORM = 80.0


def _matching(terms: list[str]) -> QuerySet[SearchDoc]:
    """Rows whose tokens match every term (the index) and whose text contains it (exact),
    annotated with ``score`` (higher is more relevant)."""
    docs = SearchDoc.objects.all()
    for term in terms:
        docs = docs.filter(body__contains=term)
    if connection.vendor == "postgresql":
        # tokens_tsv: the stored, GIN-indexed column of migration 0001_search_index.
        hit = RawSQL(
            '"search_searchdoc"."tokens_tsv" @@ to_tsquery(\'simple\'::regconfig, %s)',
            [tsquery(terms)], output_field=BooleanField(),
        )
        docs = docs.filter(hit)
    else:
        ids = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
                     [fts5_query(terms)])
        docs = docs.filter(id__in=ids)
    return docs.annotate(score=_score(terms))


def _filter(docs: QuerySet[SearchDoc], filters: dict[str, Any], skip: str = "") -> QuerySet:
    lookups = {
        "round": "problem__round_id",
        "unit": "problem__unit_id",
        "category": "problem__category_id",
        "status": "problem__status",
        "county": "county_id",
    }
    if "county" in filters and skip != "county":
        # The county is four joins up the region tree: only joined when it is asked for.
        docs = docs.annotate(county_id=_county())
    conditions = Q()
    for name, value in filters.items():
        if name != skip and value not in (None, ""):
            conditions &= Q(**{lookups[name]: value})
    return docs.filter(conditions)


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
    if terms:
        matching = _matching(terms)
    elif filters:
        # No words but filters (a dashboard's bar): the problems behind it, newest first.
        matching = SearchDoc.objects.filter(kind=SearchDoc.Kind.PROBLEM).annotate(
            score=Value(0.0, output_field=FloatField())
        )
    else:
        return result
    base = matching.filter(problem__in=access.problems_for(user))
    docs = _filter(base, filters)
    result.count = docs.count()
    kind_order = Case(
        *(When(kind=kind, then=order) for kind, order in _KIND_ORDER.items()),
        output_field=IntegerField(),
    )
    rows = list(
        docs.select_related("problem__round__committee", "problem__unit", "problem__category")
        .annotate(kind_order=kind_order)
        .order_by("-score", "kind_order", "-problem_id", "source_id")
        [(page - 1) * page_size : page * page_size]
    )
    result.items = _items(rows, terms)
    result.facets = _facets(base, filters)
    return result


def _items(rows: list[SearchDoc], terms: list[str]) -> list[dict[str, Any]]:
    measures = {
        pk: text for pk, *parts in Measure.objects.filter(
            pk__in=[d.source_id for d in rows if d.kind == SearchDoc.Kind.MEASURE]
        ).values_list("pk", "content", "standard", "leader", "department")
        for text in ["\n".join(p for p in parts if p)]
    }
    reports = dict(
        ProgressReport.objects.filter(
            pk__in=[d.source_id for d in rows if d.kind == SearchDoc.Kind.PROGRESS]
        ).values_list("pk", "text")
    )
    items = []
    for doc in rows:
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
            "score": float(doc.score or 0),  # type: ignore[attr-defined]
            "round": {"id": problem.round_id, "name": problem.round.display_name},
            "unit": {"id": problem.unit_id, "name": problem.unit.name},
            "category": problem.category.name if problem.category else None,
            "status": problem.status,
            "status_label": RectificationStatus(problem.status).label,
        })
    return items


def _facets(base: QuerySet[SearchDoc], filters: dict[str, Any]) -> dict[str, list[dict]]:
    facets: dict[str, list[dict[str, Any]]] = {}
    specs: dict[str, tuple[str, ...]] = {
        "round": ("problem__round_id", "problem__round__term", "problem__round__number",
                  "problem__round__committee__name"),
        "unit": ("problem__unit_id", "problem__unit__name"),
        "county": ("county_id",),
        "category": ("problem__category_id", "problem__category__name"),
        "status": ("problem__status",),
    }
    for name, fields in specs.items():
        counted = _filter(base, filters, skip=name)
        if name == "county":
            counted = counted.annotate(county_id=_county())
        rows = (
            counted.order_by().values(*fields)
            .annotate(n=Count("id")).order_by("-n", fields[0])
        )
        facets[name] = [
            {"value": row[fields[0]], "label": _facet_label(name, row), "count": row["n"]}
            for row in rows if row[fields[0]] is not None
        ]
    county_ids = [entry["value"] for entry in facets["county"]]
    names = dict(Region.objects.filter(pk__in=county_ids).values_list("pk", "name"))
    for entry in facets["county"]:
        entry["label"] = names.get(entry["value"], "")
    return facets


def _facet_label(name: str, row: dict[str, Any]) -> str:
    from xuncha.notices.names import int_to_cn

    if name == "round":
        return (
            f"{row['problem__round__term']}{row['problem__round__committee__name']}"
            f"第{int_to_cn(row['problem__round__number'])}轮巡察"
        )
    if name == "unit":
        return str(row["problem__unit__name"])
    if name == "category":
        return str(row["problem__category__name"])
    if name == "status":
        return str(RectificationStatus(row["problem__status"]).label)
    return ""
