"""The morning digests (group messages and alerts) of the people who chose one e-mail a day.
Safe to call every hour: a person gets one digest a day at most, and an item is in one digest
at most. The hourly round of the worker (core.tasks.daily_work) calls the same function."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maillage.alerts.digest import send_digests


class Command(BaseCommand):
    help = "Envoie le résumé du jour (messages des groupes, alertes) à qui l’a choisi."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        # Operator log, in English like the other commands' output.
        self.stdout.write(f"{sent} digest{'' if sent == 1 else 's'} sent")
