"""The admin: reference data (regions, committees, units, the taxonomy) for operators.

Workflow state — a problem's status and plan, measures, evidence, the history, a round's
deadlines — changes only through ``xuncha.workflow.services``, which check the rules and record
history; here it is shown read-only or not at all.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from xuncha.inspections import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows without any way to add, change or delete them, even for a superuser."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]


@admin.register(models.Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "region"]


@admin.register(models.PartyOrganisation)
class PartyOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "form", "region"]
    list_filter = ["form"]
    search_fields = ["name"]
    list_select_related = ["region"]


class RoundKindInline(admin.TabularInline):
    model = models.RoundKind
    extra = 0


@admin.register(models.Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "inspection_start", "inspection_end", "feedback_date"]
    list_select_related = ["committee"]
    inlines = [RoundKindInline]
    # Deadlines are set through the service (history records who moved them and when).
    readonly_fields = ["plan_due_date", "rectification_due_date"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a round takes its problems, measures and evidence with it


@admin.register(models.ProblemCategory)
class ProblemCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]
    ordering = ["order"]


@admin.register(models.Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "unit", "round", "category", "status", "immediate"]
    list_filter = ["status", "immediate", "category"]
    list_select_related = ["unit", "round__committee", "category"]
    # A substring of the text is a scan of every problem (2 s at a million); the admin finds a
    # problem by its number or its unit's name instead (get_search_results), both through
    # indexes. Words in the text are for the site's full-text search (/search/).
    search_fields = ["unit__name"]
    search_help_text = "按问题编号或被巡察单位名称查找；按问题内容检索请用页面顶部的“检索”"
    # The exact total of a million rows is a full count per page view; the filtered one stays.
    show_full_result_count = False
    # Newest first by the primary key: the model's ordering (by round date) sorts every row.
    ordering = ["-pk"]
    raw_id_fields = ["round", "unit", "source"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[models.Problem], search_term: str
    ) -> tuple[QuerySet[models.Problem], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.isdigit():
            return queryset.filter(pk=int(term)), False
        # The register of units is small (one row per unit): match names there, then take
        # their problems by the (unit, status) index.
        units = models.PartyOrganisation.objects.filter(name__contains=term[:100]).values("pk")
        return queryset.filter(unit__in=units), False
