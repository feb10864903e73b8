from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xuncha.api"
    verbose_name = "API"
