from django.apps import AppConfig


class SimilarConfig(AppConfig):
    name = "xuncha.similar"
    label = "similar"
    verbose_name = "共性与屡查屡犯"

    def ready(self) -> None:
        from xuncha.similar import index

        index.connect_signals()
