from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "xuncha.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from xuncha.search import index

        index.connect_signals()
