"""The task worker: django-tasks-db's `db_worker`, plus the heartbeat that `/healthz` reads, and
patience with the database.

Run it instead of `db_worker` (same options): `manage.py worker --interval 2` (./run, the
Compose file and the systemd unit do). It takes back the tasks of a worker that died mid-task
(core.heartbeat.requeue_orphans), and it waits for the database when it goes away instead of
exiting (core.worker, core.dbwait)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from maillage.core.heartbeat import start_beating
from maillage.core.worker import Worker


class Command(DBWorkerCommand):
    help = "Processus d’arrière-plan : exécute les tâches en attente et signale qu’il est en vie."

    def handle(self, *args: Any, **options: Any) -> None:
        # db_worker's own handle, with our Worker in place of its own.
        self.configure_logging(options["verbosity"])
        reload = options["reload"] and not options["batch"]
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            # The id recorded on the tasks it claims (given, or drawn at random).
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(lambda: self._run(worker))
        else:
            worker.configure_signals()
            self._run(worker)

    @staticmethod
    def _run(worker: Worker) -> None:
        stop = start_beating(worker_id=worker.worker_id)
        try:
            worker.run()
        finally:
            stop.set()
