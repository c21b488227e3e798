"""Started by `./run` (or once after a deploy): the worker (`db_worker`) then runs the daily
work every hour and reschedules it itself. Running it again does not make a second round."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maillage.core.tasks import schedule_daily_work


class Command(BaseCommand):
    help = (
        "Confie au processus d’arrière-plan (db_worker) le travail quotidien : alertes, "
        "questionnaires, chiffres des réseaux, vérifiés toutes les heures."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Operator log, in English like the other commands' output.
        if schedule_daily_work():
            self.stdout.write("daily work queued: the worker runs it every hour")
        else:
            self.stdout.write("daily work already queued")
