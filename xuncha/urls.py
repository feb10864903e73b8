from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("xuncha.api.urls")),
    path("", include("xuncha.web.urls")),
]
