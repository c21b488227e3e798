"""Apply the retention periods now (the daily job does it by itself): `--dry-run` counts what
would be destroyed or anonymized and changes nothing; `--today` tries another day."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from maillage.privacy.services import apply_retention


class Command(BaseCommand):
    help = "Destroy or anonymize the personal data past its retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args, dry_run: bool = False, today: date | None = None, **options) -> None:
        outcomes = apply_retention(today=today, dry_run=dry_run)
        verb = "would" if dry_run else "done"
        for outcome in outcomes:
            rule = outcome.rule
            self.stdout.write(
                f"{rule.key}\t{rule.action}\t{rule.days} days\t{verb}: {outcome.count}"
            )
        total = sum(outcome.count for outcome in outcomes)
        self.stdout.write(
            f"total {verb}: {total}" + (" (dry run, nothing changed)" if dry_run else "")
        )
