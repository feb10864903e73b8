from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from xuncha.similar import views as similar_views
from xuncha.web.views import (
    account,
    board,
    clues,
    dashboard,
    evidence,
    notifications,
    office,
    pages,
    plan,
    progress,
    register,
    search,
    setup,
    todo,
    tokens,
    user_import,
    users,
)
from xuncha.web.views import evaluation as evaluation_views
from xuncha.web.views import ledgers as ledger_views
from xuncha.web.views import publishing as publishing_views
from xuncha.web.views.documents import unit_notice_download

urlpatterns = [
    # 待办 is where everyone starts (the rounds list stays in the navigation).
    path("", RedirectView.as_view(pattern_name="todo"), name="home"),
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
    # --- users ---
    path("password/", account.password_change, name="password-change"),
    path("users/<int:user_id>/edit/", users.user_edit, name="user-edit"),
    path("users/import/", user_import.import_page, name="user-import"),
    path(
        "users/import/template.xlsx",
        user_import.template_download,
        name="user-import-template",
    ),
    path(
        "users/import/passwords.xlsx",
        user_import.passwords_download,
        name="user-import-passwords",
    ),
    path("users/import/discard/", user_import.discard, name="user-import-discard"),
    path("users/<int:user_id>/active/", users.user_active, name="user-active"),
    path(
        "users/<int:user_id>/password/reset/",
        users.user_password_reset,
        name="user-password-reset",
    ),
    path("users/<int:user_id>/unlock/", users.user_unlock, name="user-unlock"),
    # --- polish: evidence replacement, favicon ---
    path(
        "evidence/<int:evidence_id>/supersede/",
        evidence.evidence_supersede,
        name="evidence-supersede",
    ),
    path(
        "evidence/<int:evidence_id>/withdraw/", evidence.evidence_withdraw,
        name="evidence-withdraw",
    ),
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("xuncha/favicon.ico"), permanent=False),
        name="favicon",
    ),
    # --- 待办, notifications, the board, the clue register ---
    path("todo/", todo.todo_list, name="todo"),
    path("clues/", clues.clue_register, name="clue-register"),
    path("board/items/", board.board_items, name="board-items"),
    path("board/export/", board.board_export, name="board-export"),
    path("board/supervise/", board.board_supervise, name="board-supervise"),
    path("board/review/", board.board_review, name="board-review"),
    # --- setting up a round (新建轮次) and the unit register ---
    path("rounds/new/", setup.round_create, name="round-create"),
    path("rounds/<int:round_id>/edit/", setup.round_edit, name="round-edit"),
    path("rounds/<int:round_id>/groups/", setup.group_add, name="group-add"),
    path("groups/<int:group_id>/edit/", setup.group_edit, name="group-edit"),
    path("rounds/<int:round_id>/units/add/", setup.inspection_add, name="inspection-add"),
    path(
        "rounds/<int:round_id>/units/<int:unit_id>/dates/",
        setup.inspection_dates,
        name="inspection-dates",
    ),
    path(
        "rounds/<int:round_id>/units/<int:unit_id>/problems/paste/",
        setup.problems_paste,
        name="problems-paste",
    ),
    path("units/", register.unit_register, name="unit-register"),
    path("units/new/", register.unit_create, name="unit-create"),
    path("units/<int:unit_id>/rename/", register.unit_rename, name="unit-rename"),
    path("units/<int:unit_id>/merge/", register.unit_merge, name="unit-merge"),
    path("regions/new/", register.region_create, name="region-create"),
    path("regions/<int:region_id>/rename/", register.region_rename, name="region-rename"),
    path("regions/<int:region_id>/merge/", register.region_merge, name="region-merge"),
    # --- official documents (公文) ---
    path(
        "rounds/<int:round_id>/units/<int:unit_id>/notice.<str:fmt>",
        unit_notice_download,
        name="unit-notice",
    ),
    # --- publishing (整改成效, 发布, 公开) ---
    path("problems/<int:problem_id>/rectification/", publishing_views.problem_rectification,
         name="problem-rectification"),
    path("problems/<int:problem_id>/disclosure/", publishing_views.problem_disclosure,
         name="problem-disclosure"),
    path("rounds/<int:round_id>/release/", publishing_views.round_release, name="round-release"),
    path("rounds/<int:round_id>/release/diff/", publishing_views.round_release_diff,
         name="round-release-diff"),
    path("rounds/<int:round_id>/units/<int:unit_id>/release/", publishing_views.unit_release,
         name="unit-release"),
    path("rounds/<int:round_id>/units/<int:unit_id>/release/diff/",
         publishing_views.unit_release_diff, name="unit-release-diff"),
    path("rounds/<int:round_id>/units/<int:unit_id>/report.<str:fmt>",
         publishing_views.unit_report, name="unit-report"),
    path("gongkai/", publishing_views.gongkai_index, name="gongkai-index"),
    path("gongkai/<int:publication_id>/", publishing_views.gongkai_notice,
         name="gongkai-notice"),
    path("gongkai/<int:publication_id>/notice.<str:fmt>", publishing_views.gongkai_file,
         name="gongkai-file"),
    # --- search ---
    path("search/", search.search_page, name="search"),
    # --- statistics and charts ---
    path("rounds/<int:round_id>/dashboard/", dashboard.round_dashboard, name="round-dashboard"),
    path("dashboard/", dashboard.committee_dashboard, name="dashboard"),
    # --- API tokens (issue 8) ---
    path("account/tokens/", tokens.own_tokens, name="own-tokens"),
    path("users/<int:user_id>/tokens/", tokens.user_tokens, name="user-tokens"),
    # --- evaluation ---
    path("rounds/<int:round_id>/evaluation/", evaluation_views.round_evaluation_page,
         name="round-evaluation"),
    path("rounds/<int:round_id>/evaluation.xlsx", evaluation_views.round_evaluation_download,
         name="round-evaluation-xlsx"),
    path("evaluation/weights/", evaluation_views.evaluation_weights, name="evaluation-weights"),
    path("problems/<int:problem_id>/quality/dismiss/", evaluation_views.flag_dismiss,
         name="flag-dismiss"),
    # --- ledgerweb ---
    path("rounds/<int:round_id>/ledger/import/", ledger_views.ledger_upload,
         name="ledger-upload"),
    path("ledger-imports/<int:job_id>/", ledger_views.ledger_preview, name="ledger-preview"),
    path("rounds/<int:round_id>/ledger/export/", ledger_views.round_ledger_export,
         name="round-ledger-export"),
    path("rounds/<int:round_id>/units/<int:unit_id>/ledger/export/",
         ledger_views.unit_ledger_export, name="unit-ledger-export"),
    path("jobs/<int:job_id>/", ledger_views.job_detail, name="job-detail"),
    path("jobs/<int:job_id>/download/", ledger_views.job_download, name="job-download"),
    # --- similar ---
    path("rounds/<int:round_id>/common/", similar_views.round_common,
         name="similar-round-common"),
    path("rounds/<int:round_id>/common/raise/", similar_views.round_common_raise,
         name="similar-round-common-raise"),
    path("similar/settings/", similar_views.similarity_settings, name="similar-settings"),
]
