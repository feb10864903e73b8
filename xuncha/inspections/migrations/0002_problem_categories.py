"""Seed the problem taxonomy of domain.md; the office edits it from then on."""

from django.db import migrations

CATEGORIES = [
    ("1", "政治建设与决策部署落实", "学习贯彻、第一议题、乡村振兴、意识形态、民族团结、普法、信访"),
    ("2", "群众身边腐败和作风问题", "三资、集体资金、惠民资金、虚报冒领、违规列支、八项规定、形式主义"),
    ("3", "基层党组织建设", "村“两委”、后备干部、人才、三会一课、主题党日、发展党员、组织生活"),
    ("4", "民生与惠民政策", "人居环境、危房、低保、救助、便民服务、安全生产"),
    ("5", "全面从严治党责任", "主体责任、一岗双责、警示教育、财务管理、村务公开"),
    ("6", "干部队伍与选人用人", "机构设置、干部到岗、选调生、执法改革"),
    ("7", "巡察审计等监督发现问题整改", ""),
    ("8", "其他", ""),
]


def add_categories(apps, schema_editor):
    ProblemCategory = apps.get_model("inspections", "ProblemCategory")
    for order, (code, name, keywords) in enumerate(CATEGORIES, start=1):
        ProblemCategory.objects.get_or_create(
            code=code, defaults={"name": name, "keywords": keywords, "order": order}
        )


def remove_categories(apps, schema_editor):
    ProblemCategory = apps.get_model("inspections", "ProblemCategory")
    ProblemCategory.objects.filter(code__in=[code for code, _, _ in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(add_categories, remove_categories)]
