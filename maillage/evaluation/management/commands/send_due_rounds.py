"""Called once a day by the scheduler: send the rounds that are due and the reminders."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand

from maillage.evaluation import services


class Command(BaseCommand):
    help = "Envoie les questionnaires dont la date est venue, puis les rappels (une seule fois)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="AAAA-MM-JJ (par défaut : aujourd’hui)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = datetime.date.fromisoformat(options["date"]) if options.get("date") else None
        invitations = services.send_due_rounds(today=today)
        reminders = services.send_due_reminders(today=today)
        self.stdout.write(f"invitations: {invitations}, reminders: {reminders}")
