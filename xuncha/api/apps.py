from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xuncha.api"
    verbose_name = "API"

    def ready(self) -> None:
        from xuncha.api import schema  # noqa: F401  (registers the schema extensions)
