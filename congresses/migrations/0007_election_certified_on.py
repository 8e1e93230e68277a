"""The day an election's result was certified (Election.certified_on), entered by the
secretary from now on. Results certified before it get the day they were recorded as
certified: certified_at as a day of the union's calendar (settings.UNIONREC_TIME_ZONE). One
UPDATE, whatever the rows hold; a day that breaks the order of events (before the election,
say) is kept as it was recorded and listed by `manage.py check_records`, never rewritten here.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import TruncDate


def fill_certified_on(apps, schema_editor):
    Election = apps.get_model("congresses", "Election")
    zone = ZoneInfo(getattr(settings, "UNIONREC_TIME_ZONE", "Asia/Ho_Chi_Minh"))
    Election.objects.using(schema_editor.connection.alias).filter(
        certified_at__isnull=False, certified_on__isnull=True
    ).update(certified_on=TruncDate("certified_at", tzinfo=zone))


class Migration(migrations.Migration):

    dependencies = [
        ('congresses', '0006_first_meeting'),
    ]

    operations = [
        migrations.AddField(
            model_name='election',
            name='certified_on',
            field=models.DateField(blank=True, help_text='The day the result was certified: not before the election, not ahead.', null=True, verbose_name='certified on'),
        ),
        migrations.AddField(
            model_name='historicalelection',
            name='certified_on',
            field=models.DateField(blank=True, help_text='The day the result was certified: not before the election, not ahead.', null=True, verbose_name='certified on'),
        ),
        migrations.RunPython(fill_certified_on, migrations.RunPython.noop, elidable=False),
    ]
