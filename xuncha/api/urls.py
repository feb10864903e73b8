"""The API's URLs, under /api/. Every pattern must also appear in tests/api/test_permissions.py."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from xuncha.api import (
    evaluation,
    inbox,
    jobs,
    publishing,
    search,
    setup_views,
    stats,
    users,
    views,
)
from xuncha.similar import api as similar_api

app_name = "api"
urlpatterns = [
    path("rounds", views.round_list, name="round-list"),
    path("rounds/<int:round_id>", views.round_detail, name="round-detail"),
    path("problems", views.problem_list, name="problem-list"),
    path("problems/<int:problem_id>", views.problem_detail, name="problem-detail"),
    path("problems/<int:problem_id>/measures", views.measure_create, name="measure-create"),
    path("problems/<int:problem_id>/plan", views.plan_update, name="plan-update"),
    path("measures/<int:measure_id>", views.measure_detail, name="measure-detail"),
    path("measures/<int:measure_id>/progress", views.progress_create, name="progress-create"),
    path("measures/<int:measure_id>/review", views.measure_review, name="measure-review"),
    path("evidence/<int:evidence_id>", views.evidence_download, name="evidence-download"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # --- users ---
    path("users", users.user_list, name="user-list"),
    path("users/<int:user_id>", users.user_detail, name="user-detail"),
    # --- polish: replacing and withdrawing evidence ---
    path("evidence/<int:evidence_id>/supersede", views.evidence_supersede,
         name="evidence-supersede"),
    path("evidence/<int:evidence_id>/withdraw", views.evidence_withdraw,
         name="evidence-withdraw"),
    # --- 待办, clues, notifications ---
    path("todo", inbox.todo, name="todo"),
    path("clues", inbox.clue_list, name="clue-list"),
    path("notifications", inbox.notification_list, name="notification-list"),
    # --- setting up a round (GET|POST /api/rounds and PATCH /api/rounds/{id} are above) ---
    path("rounds/<int:round_id>/groups", setup_views.group_list, name="round-groups"),
    path("rounds/<int:round_id>/groups/<int:group_id>", setup_views.group_detail,
         name="round-group-detail"),
    path("rounds/<int:round_id>/units", setup_views.unit_list, name="round-units"),
    path("rounds/<int:round_id>/units/<int:unit_id>", setup_views.unit_detail,
         name="round-unit-detail"),
    path("rounds/<int:round_id>/units/<int:unit_id>/problems", setup_views.problems_create,
         name="round-unit-problems"),
    path("units", setup_views.register_list, name="unit-list"),
    path("units/<int:unit_id>", setup_views.register_detail, name="unit-detail"),
    path("units/<int:unit_id>/merge", setup_views.register_merge, name="unit-merge"),
    path("regions", setup_views.region_list, name="region-list"),
    path("regions/<int:region_id>", setup_views.region_detail, name="region-detail"),
    path("regions/<int:region_id>/merge", setup_views.region_merge, name="region-merge"),
    # --- search ---
    path("search", search.search_view, name="search"),
    path("rounds/<int:round_id>/stats", stats.round_stats_view, name="round-stats"),
    path("stats", stats.stats_view, name="stats"),
    # --- evaluation ---
    path("rounds/<int:round_id>/evaluation", evaluation.round_evaluation_view,
         name="round-evaluation"),
    # --- ledgerweb ---
    path("rounds/<int:round_id>/ledger/preview", jobs.ledger_preview, name="ledger-preview"),
    path("rounds/<int:round_id>/ledger/export", jobs.ledger_export, name="ledger-export"),
    path("jobs/<int:job_id>", jobs.job_detail, name="job-detail"),
    path("jobs/<int:job_id>/commit", jobs.job_commit, name="job-commit"),
    path("jobs/<int:job_id>/download", jobs.job_download, name="job-download"),
    path("board/export", jobs.board_export, name="board-export"),
    # --- similar ---
    path("rounds/<int:round_id>/common-problems", similar_api.round_common_problems,
         name="round-common-problems"),
    # --- pubapi ---
    path("problems/<int:problem_id>/rectification", publishing.problem_rectification,
         name="problem-rectification"),
    path("problems/<int:problem_id>/disclosure", publishing.problem_disclosure,
         name="problem-disclosure"),
    path("rounds/<int:round_id>/publications", publishing.round_publications,
         name="round-publications"),
    path("rounds/<int:round_id>/publications/diff", publishing.round_publication_diff,
         name="round-publication-diff"),
    path("rounds/<int:round_id>/units/<int:unit_id>/publications", publishing.unit_publications,
         name="unit-publications"),
    path("rounds/<int:round_id>/units/<int:unit_id>/publications/diff",
         publishing.unit_publication_diff, name="unit-publication-diff"),
    path("publications/<int:publication_id>", publishing.publication_detail,
         name="publication-detail"),
    path("publications/<int:publication_id>/download", publishing.publication_download,
         name="publication-download"),
]
