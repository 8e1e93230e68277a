# The task workers' heartbeats (unionrec.heartbeat).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('unionrec', '0003_api_tokens'),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkerBeat',
            fields=[
                ('worker_id', models.CharField(max_length=64, primary_key=True, serialize=False, verbose_name='worker id')),
                ('host', models.CharField(max_length=255, verbose_name='host')),
                ('pid', models.IntegerField(verbose_name='process id')),
                ('started_at', models.DateTimeField(verbose_name='started at')),
                ('beat_at', models.DateTimeField(db_index=True, verbose_name='last heartbeat')),
            ],
            options={
                'verbose_name': 'worker heartbeat',
                'verbose_name_plural': 'worker heartbeats',
            },
        ),
    ]
