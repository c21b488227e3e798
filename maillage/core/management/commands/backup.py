"""Back up the platform: the database and every upload, in one archive with a manifest.

    manage.py backup [--output PATH] [--method auto|sqlite|pg_dump|logical]

Without --output the archive goes to MAILLAGE_BACKUP_DIR (var/backups by default), named by
the date. The method is explained in maillage/core/backup.py and in the README (« Sauvegardes »).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from maillage.core.backup import METHODS, BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database and the uploads into one archive (.tar.gz) with a manifest."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", "-o", default="", help="the archive to write")
        parser.add_argument(
            "--method",
            choices=METHODS,
            default="auto",
            help="how to dump the database (auto: SQLite's backup API, pg_dump, or logical)",
        )

    def handle(self, *args: Any, output: str, method: str, **options: Any) -> None:
        if output:
            path = Path(output)
        else:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = Path(settings.MAILLAGE_BACKUP_DIR) / f"maillage-{stamp}.tar.gz"
        try:
            manifest = make_backup(path=path, method=method)
        except BackupError as error:
            raise CommandError(error.message) from error
        data = manifest.data
        self.stdout.write(
            f"{path}\n  {path.stat().st_size} bytes, database by {manifest.method}"
            f" ({data['database']['why']}), {len(manifest.media)} files,"
            f" {len(manifest.migrations)} migrations"
        )
        for name in data["missing_files"]:
            self.stderr.write(f"  missing from the storage (named by the database): {name}")
