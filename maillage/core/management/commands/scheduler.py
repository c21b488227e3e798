"""The scheduler: queues the platform's scheduled jobs (core.schedule) for the worker.

`manage.py scheduler --once` queues what is due and stops (a systemd timer or cron every few
minutes); without `--once` it does so every `--interval` seconds until stopped (the Compose
`scheduler` service, `./run`). Any number of them may run: each job is queued once per period.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from maillage.core.schedule import queue_due_jobs


class Command(BaseCommand):
    help = (
        "Confie au processus d’arrière-plan les travaux planifiés dus (suivi quotidien, "
        "sessions expirées, anciens résultats de tâches), une fois par période."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="queue what is due, then stop")
        parser.add_argument("--interval", type=int, default=300, help="seconds between checks")

    def handle(self, *args: Any, once: bool = False, interval: int = 300, **options: Any) -> None:
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            queued = queue_due_jobs()
            if options["verbosity"] > 0:
                # Operator log, in English like the other commands' output.
                self.stdout.write(f"queued: {', '.join(queued) or 'nothing due'}")
            if once:
                return
            for _ in range(interval):
                if stopping:
                    return
                time.sleep(1)
            # As after a request: a connection the database dropped meanwhile is replaced.
            close_old_connections()
