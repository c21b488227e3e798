"""Restore an archive made by `manage.py backup`: the database and the uploads.

    manage.py restore ARCHIVE [--yes]

Nothing changes until the archive is checked: every member's checksum, the database it came
from, and that its migrations are exactly those of this database. Then it says what it will
replace and asks for « oui » (or « yes ») unless --yes is given.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maillage.core.backup import BackupError, check_archive, restore_backup


class Command(BaseCommand):
    help = "Restore the database and the uploads from an archive made by `manage.py backup`."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="the .tar.gz made by manage.py backup")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation (scripts)"
        )

    def handle(self, *args: Any, archive: str, yes: bool, **options: Any) -> None:
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with tempfile.TemporaryDirectory(prefix="maillage-restore-") as tmp:
            try:
                plan = check_archive(path=path, workdir=Path(tmp))
            except BackupError as error:
                raise CommandError(error.message) from error
            data = plan.manifest.data
            self.stdout.write(
                f"Archive of {data['created_at']} (Maillage {data['version']},"
                f" {data['database']['vendor']} by {plan.manifest.method}): checksums and"
                f" migrations match.\nThis REPLACES every row of the database and puts back"
                f" {len(plan.manifest.media)} files; {len(plan.extra_files)} files absent from"
                " the archive will be deleted."
            )
            if not yes and not self._confirmed():
                raise CommandError("Nothing restored.")
            try:
                restore_backup(plan=plan)
            except BackupError as error:
                raise CommandError(error.message) from error
        self.stdout.write("Restored.")

    def _confirmed(self) -> bool:
        try:
            answer = input("Type « oui » (or « yes ») to restore: ")
        except EOFError:
            return False
        return answer.strip().lower() in ("oui", "yes")
