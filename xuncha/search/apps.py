from django.apps import AppConfig
from django.db.backends.signals import connection_created


class SearchConfig(AppConfig):
    name = "xuncha.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from xuncha.search import index

        index.connect_signals()
        connection_created.connect(index.register_sqlite_functions,
                                   dispatch_uid="search-sqlite-functions")
