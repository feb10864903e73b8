from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "xuncha.pagecache"
    label = "pagecache"
    verbose_name = "页面缓存"

    def ready(self) -> None:
        from xuncha.pagecache import version

        version.connect_signals()
