"""The follow-up's daily computation. Safe to call every hour: it remembers the days it ran
(`DailyRun`), and each alert is sent once per cause anyway."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand

from maillage.alerts import services


class Command(BaseCommand):
    help = "Calcule les alertes du jour pour chaque programme en cours (une fois par jour)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="AAAA-MM-JJ (par défaut : aujourd’hui)")
        parser.add_argument(
            "--force", action="store_true", help="Recalculer même si le jour a déjà été calculé."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = datetime.date.fromisoformat(options["date"]) if options.get("date") else None
        run = services.run_daily(today=today, force=options["force"])
        if run is None:
            self.stdout.write("already ran today")
        else:
            # Operator log, in English like the rest of the command's output.
            plural = "" if run.programs == 1 else "s"
            self.stdout.write(f"{run.day}: {run.programs} program{plural} queued")
