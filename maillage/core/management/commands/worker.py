"""The task worker: django-tasks-db's `db_worker`, plus the heartbeat that `/healthz` reads.

Run it instead of `db_worker` (same options): `manage.py worker --interval 2`. It also takes
back the tasks of a worker that died mid-task (core.heartbeat.requeue_orphans)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from maillage.core.heartbeat import start_beating


class Command(DBWorkerCommand):
    help = "Processus d’arrière-plan : exécute les tâches en attente et signale qu’il est en vie."

    def handle(self, *args: Any, **options: Any) -> None:
        # The id db_worker records on the tasks it claims (given, or drawn at random).
        stop = start_beating(worker_id=options["worker_id"])
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
