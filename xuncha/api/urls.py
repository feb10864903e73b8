"""The API's URLs, under /api/. Every pattern must also appear in tests/api/test_permissions.py."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from xuncha.api import views

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
]
