# History tables become append-only (unionrec.history_lock): a table that marks the one
# unlocked path on SQLite, and the triggers on every history table.

from django.db import migrations


def install(apps, schema_editor):
    from unionrec.history_lock import install as install_triggers

    install_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("unionrec", "0004_worker_beat"),
        ("members", "0013_processing_basis"),
        ("congresses", "0009_votes_within_ballots"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE TABLE IF NOT EXISTS unionrec_history_unlock (since TEXT)",
            "DROP TABLE IF EXISTS unionrec_history_unlock",
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
