# The database refuses a candidate's votes above the round's valid ballots that mark anyone
# (congresses.elections.db_rules, reliability-security test 41).

from django.db import migrations


def install(apps, schema_editor):
    from congresses.elections.db_rules import install as install_rules

    install_rules(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("congresses", "0008_calendar_indexes")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
