"""Background matching for programs too big to solve while the coordinator waits."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from .models import MatchRun
from .services import execute_run


@task()
def solve_run(run_id: int, lang: str = "fr") -> str:
    """Solve a queued run; the coordinator's page shows it when it is done."""
    run = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).first()
    if run is None:
        return "skipped"
    run.status = MatchRun.Status.RUNNING
    run.save(update_fields=["status"])
    with translation.override(lang):
        execute_run(run=run, lang=lang)
    return run.status
