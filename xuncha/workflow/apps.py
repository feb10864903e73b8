from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "xuncha.workflow"
    verbose_name = "整改流程"
