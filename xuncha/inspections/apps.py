from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "xuncha.inspections"
    verbose_name = "巡察整改"
