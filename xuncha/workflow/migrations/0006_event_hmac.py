# Signed history: the key id on each entry, the signed head; seals an upgraded install's chain.

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from xuncha.workflow import auditkeys
from xuncha.workflow.models import head_payload


def seal_existing_history(apps, schema_editor):
    """An upgraded install keeps its unsigned entries (they still verify by their SHA-256 links)
    and gets a signed head over them now, so from here on nothing before the upgrade can be
    removed or rewritten without the key; the first signed entry then pins them as well."""
    Event = apps.get_model("workflow", "Event")
    ChainHead = apps.get_model("workflow", "ChainHead")
    count = Event.objects.count()
    if count == 0 or ChainHead.objects.exists():
        return
    last = Event.objects.order_by("-id").values_list("hash", flat=True).first()
    key = list(auditkeys.ring(settings.AUDIT_KEYS).values())[-1]
    mac = key.sign(head_payload(count, last, count, None, key.id))
    ChainHead.objects.create(
        pk=1, count=count, last_hash=last, unkeyed=count, key_id=key.id, mac=mac
    )


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0005_action_choices'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('count', models.PositiveBigIntegerField(default=0)),
                ('last_hash', models.CharField(max_length=64)),
                ('unkeyed', models.PositiveBigIntegerField(default=0)),
                ('rebuilt_at', models.PositiveBigIntegerField(blank=True, null=True)),
                ('key_id', models.CharField(max_length=16)),
                ('mac', models.CharField(max_length=64)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': '操作记录链头',
                'verbose_name_plural': '操作记录链头',
            },
        ),
        migrations.AddField(
            model_name='event',
            name='key_id',
            field=models.CharField(blank=True, max_length=16, verbose_name='密钥编号'),
        ),
        migrations.RunPython(seal_existing_history, migrations.RunPython.noop),
    ]
