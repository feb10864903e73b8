from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from xuncha.web.views import board, notifications, office, pages, plan, progress, users
from xuncha.web.views.documents import unit_notice_download

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="round-list"), name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Pages (GET).
    path("rounds/", pages.round_list, name="round-list"),
    path("rounds/<int:round_id>/", pages.round_detail, name="round-detail"),
    path("rounds/<int:round_id>/units/<int:unit_id>/", pages.unit_detail, name="unit-detail"),
    path(
        "rounds/<int:round_id>/notice.<str:fmt>",
        pages.round_notice_download,
        name="round-notice",
    ),
    path("problems/<int:problem_id>/", pages.problem_detail, name="problem-detail"),
    path("evidence/<int:evidence_id>/", progress.evidence_download, name="evidence-download"),
    path("users/", users.user_list, name="user-list"),
    path("board/", board.overdue_board, name="overdue-board"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    # Edit pages (GET shows the form, POST saves it).
    path("problems/<int:problem_id>/edit/", office.problem_edit, name="problem-edit"),
    path("measures/<int:measure_id>/edit/", plan.measure_edit, name="measure-edit"),
    # Actions (POST only).
    path("rounds/<int:round_id>/deadlines/", office.round_deadlines, name="round-deadlines"),
    path(
        "rounds/<int:round_id>/units/<int:unit_id>/problems/",
        office.problem_add,
        name="problem-add",
    ),
    path(
        "rounds/<int:round_id>/units/<int:unit_id>/plans/submit/",
        plan.unit_plans_submit,
        name="unit-plans-submit",
    ),
    path(
        "rounds/<int:round_id>/units/<int:unit_id>/plans/approve/",
        plan.unit_plans_approve,
        name="unit-plans-approve",
    ),
    path("problems/<int:problem_id>/measures/", plan.measure_add, name="measure-add"),
    path("problems/<int:problem_id>/plan/submit/", plan.plan_submit, name="plan-submit"),
    path("problems/<int:problem_id>/plan/decide/", plan.plan_decide, name="plan-decide"),
    path("problems/<int:problem_id>/clues/", office.clue_handover, name="clue-handover"),
    path("measures/<int:measure_id>/progress/", progress.progress_report, name="progress-report"),
    path("measures/<int:measure_id>/review/", progress.measure_review, name="measure-review"),
    path("clues/<int:handover_id>/outcome/", office.clue_outcome, name="clue-outcome"),
    path("users/new/", users.user_create, name="user-create"),
    # --- official documents (公文) ---
    path(
        "rounds/<int:round_id>/units/<int:unit_id>/notice.<str:fmt>",
        unit_notice_download,
        name="unit-notice",
    ),
]
