"""A partial index on the 销号 entries of the history, for the dashboards' weekly sign-off trend
(``xuncha.inspections.stats.trend``): without it, counting sign-offs per week reads every history
entry (millions at a province's size); with it, only the sign-offs.

Raw SQL (both SQLite and PostgreSQL support partial indexes) and no model state: the index is
an access path, not part of what the model means.
"""

from django.db import migrations

INDEX = "event_signed_off"


class Migration(migrations.Migration):
    dependencies = [("workflow", "0008_assessment_actions")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON workflow_event (problem_id, at, measure_id) "
            "WHERE action = 'signed_off'",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
