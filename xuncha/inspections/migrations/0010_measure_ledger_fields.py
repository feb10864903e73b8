"""A measure's 完成时限 precision and 长期坚持, 备注, and 销号日期 (filled from the history)."""

from typing import Any

from django.db import migrations, models
from django.utils import timezone


def signed_off_dates(apps: Any, schema_editor: Any) -> None:
    """销号日期 of every signed-off measure: the day of its last SIGNED_OFF entry."""
    Measure = apps.get_model("inspections", "Measure")
    Event = apps.get_model("workflow", "Event")
    last: dict[int, Any] = {}
    for measure_id, at in (Event.objects.filter(action="signed_off", measure__status="signed_off")
                           .order_by("id").values_list("measure_id", "at").iterator()):
        last[measure_id] = at
    for measure_id, at in last.items():
        Measure.objects.filter(pk=measure_id).update(signed_off_on=timezone.localdate(at))


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0009_publication"),
        ("workflow", "0007_publication_actions"),
    ]

    operations = [
        migrations.AddField(
            model_name="measure",
            name="due_precision",
            field=models.CharField(
                choices=[("day", "具体日期"), ("month", "月底"), ("quarter", "季度末"),
                         ("year", "年底")],
                default="day", max_length=8, verbose_name="完成时限精度"),
        ),
        migrations.AddField(
            model_name="measure",
            name="due_long_term",
            field=models.BooleanField(default=False, verbose_name="长期坚持"),
        ),
        migrations.AddField(
            model_name="measure",
            name="notes",
            field=models.TextField(blank=True, verbose_name="备注"),
        ),
        migrations.AddField(
            model_name="measure",
            name="signed_off_on",
            field=models.DateField(blank=True, null=True, verbose_name="销号日期"),
        ),
        migrations.RunPython(signed_off_dates, migrations.RunPython.noop),
    ]
