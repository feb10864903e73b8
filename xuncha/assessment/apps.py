from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "xuncha.assessment"
    label = "assessment"
    verbose_name = "整改评估"
