# The reminder mutes move from the follow-up app (alerts) to core, so that every app that sends
# reminders can ask them; the table stays where it is (state only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_person_invitation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReminderMute",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=30, verbose_name="type")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reminder_mutes", to="core.person")),
                    ],
                    options={
                        "verbose_name": "rappel en sourdine",
                        "verbose_name_plural": "rappels en sourdine",
                        "db_table": "alerts_remindermute",
                        "constraints": [models.UniqueConstraint(fields=("person", "kind"), name="one_mute_per_kind")],
                    },
                ),
            ],
        ),
    ]
