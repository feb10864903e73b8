from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0006_long_term_review'),
    ]

    operations = [
        migrations.AddField(
            model_name='sourcedocument',
            name='incomplete',
            field=models.BooleanField(default=False, verbose_name='内容不完整'),
        ),
        migrations.AddField(
            model_name='sourcedocument',
            name='gaps',
            field=models.TextField(blank=True, default='', verbose_name='缺少的部分'),
        ),
    ]
