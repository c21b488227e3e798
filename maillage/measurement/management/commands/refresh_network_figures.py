"""Called every hour by the scheduler (next to run_daily): queue the refresh of the figures of
every program shared with a network, once a day (the programs already refreshed today wait)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand

from maillage.measurement import services


class Command(BaseCommand):
    help = (
        "Met à jour en arrière-plan les chiffres des programmes partagés avec un réseau "
        "(une fois par jour)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="AAAA-MM-JJ (par défaut : aujourd’hui)")
        parser.add_argument(
            "--force", action="store_true", help="Recalculer même les chiffres déjà du jour."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = datetime.date.fromisoformat(options["date"]) if options.get("date") else None
        queued = services.queue_daily_figures(today=today, force=options["force"])
        # Operator log, in English like the rest of the command's output.
        self.stdout.write(f"{queued} program{'' if queued == 1 else 's'} queued")
