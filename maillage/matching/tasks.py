"""Background matching for programs too big to solve while the coordinator waits."""

from __future__ import annotations

from django.utils import timezone, translation
from django_tasks import task

from maillage.core.textfit import get_encoder
from maillage.programs.models import Program

from .instance import cached_vectors, roster
from .models import MatchRun
from .services import execute_run


@task()
def solve_run(run_id: int, lang: str = "fr") -> str:
    """Solve a queued run; the coordinator's page shows it when it is done. A run found
    RUNNING is this task's own, put back in the queue after its worker died mid-solve
    (core.heartbeat.requeue_orphans): it is solved again, from its stored instance (nothing
    of it was written: `execute_run` writes the answer in one transaction)."""
    run = MatchRun.objects.filter(pk=run_id, status__in=MatchRun.PENDING).first()
    if run is None:
        return "skipped"
    run.status = MatchRun.Status.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    with translation.override(lang):
        execute_run(run=run, lang=lang)
    return run.status


@task()
def encode_texts(program_id: int) -> int:
    """Encode the program's new or changed needs and expertise texts ahead of the first run
    (queue it when applications are selected or mentors accept): with the semantic model a few
    hundred texts take a while, which a coordinator should not wait for."""
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return 0
    people, encoder = roster(program), get_encoder()
    cached_vectors(program, people.mentors, "expertise", encoder)
    cached_vectors(program, people.mentees, "needs", encoder)
    return len(people.mentors) + len(people.mentees)
