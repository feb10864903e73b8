from django.contrib import admin

from xuncha.inspections import models


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


@admin.register(models.ProblemCategory)
class ProblemCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]
    ordering = ["order"]


@admin.register(models.Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit", "round", "category", "status", "immediate"]
    list_filter = ["status", "immediate", "category"]
    list_select_related = ["unit", "round__committee", "category"]
    search_fields = ["text"]
    raw_id_fields = ["round", "unit", "source"]
