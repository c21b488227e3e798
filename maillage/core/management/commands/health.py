"""`manage.py health [--web]`: /healthz from the command line, for container and systemd checks
of processes that serve no HTTP (the worker, the scheduler). Exit 0 when healthy, 1 otherwise."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maillage.core.health import check_health


class Command(BaseCommand):
    help = "État de la plateforme (base de données, processus d’arrière-plan), comme /healthz."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--web", action="store_true", help="the database only")

    def handle(self, *args: Any, web: bool = False, **options: Any) -> None:
        healthy, checks = check_health(worker=not web)
        self.stdout.write(json.dumps(checks))
        if not healthy:
            raise CommandError("unhealthy", returncode=1)
