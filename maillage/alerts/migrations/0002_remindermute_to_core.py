# ReminderMute now lives in core (core 0004), on the same table: remove it from this app's state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0001_initial"),
        ("core", "0004_remindermute"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReminderMute")],
        ),
    ]
