from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from xuncha.web import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="round-list"), name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/<int:round_id>/", views.round_detail, name="round-detail"),
    path("rounds/<int:round_id>/units/<int:unit_id>/", views.unit_detail, name="unit-detail"),
    path(
        "rounds/<int:round_id>/notice.<str:fmt>",
        views.round_notice_download,
        name="round-notice",
    ),
    path("problems/<int:problem_id>/", views.problem_detail, name="problem-detail"),
]
