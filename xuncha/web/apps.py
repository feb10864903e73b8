from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xuncha.web"
    verbose_name = "网页"
