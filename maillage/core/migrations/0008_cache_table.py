"""The shared cache's table (settings.CACHES: Django's database cache by default).

Made by a migration rather than by `createcachetable` in ./run, ./test and CI: every way a
database comes to life (./run, a production deploy, the test databases, a restored backup
followed by `migrate`) runs the migrations, and none can forget this step. `createcachetable`
makes only the tables of database caches that are missing, so running it here is idempotent
and does nothing when Redis is configured.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_form_submission")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
