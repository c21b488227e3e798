"""Background work of imports: read the file once into a preview, write a confirmed import;
the e-mails an import asks for, one task per batch rather than one per row."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.utils import translation
from django_tasks import task

from maillage.core.dbwait import lost_database
from maillage.core.models import Person
from maillage.programs import tasks as program_tasks
from maillage.programs.models import Program
from maillage.programs.services import offer_to_join

from . import jobs

log = logging.getLogger(__name__)


@task()
def read_import(*, job_id: int) -> str:
    """Read the stored file once and work out the preview (nothing but the job is written)."""
    with translation.override("fr"):
        try:
            job = jobs.preview_import(job_id=job_id)
        except Exception as error:
            _give_up(job_id, error)
            raise
    return job.status if job else "gone"


@task()
def write_import(*, job_id: int) -> str:
    """Write a confirmed import from its stored parse, a batch at a time."""
    with translation.override("fr"):
        try:
            job = jobs.write_job(job_id=job_id)
        except Exception as error:
            _give_up(job_id, error)
            raise
    return job.status if job else "gone"


def _give_up(job_id: int, error: Exception) -> None:
    """An error the job's steps did not foresee (a bug): the job ends failed, in words, so
    that its page stops polling and offers to send the file again; the worker records the
    task failed with its traceback. A lost database is not one: the worker runs the task
    again once it is back (core.worker), and the job's steps are safe to run again."""
    if lost_database(error):
        return
    log.error("import %s: the task failed", job_id, exc_info=error)
    jobs.fail_unexpectedly(job_id=job_id)


@task()
def offer_to_join_many(*, program_id: int, stand_in_ids: list[int], by_id: int | None) -> int:
    """`person_by_email`'s look-up, for a batch of new records: whoever Maillage knows by one
    of these addresses elsewhere is invited to join the program."""
    program = Program.objects.filter(pk=program_id).first()
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    if program is None:
        return 0
    sent = 0
    for stand_in in Person.objects.filter(pk__in=stand_in_ids):
        try:
            sent += offer_to_join(program=program, stand_in=stand_in, by=by) is not None
        except Exception:  # one address must not stop the others'
            log.exception("import: the offer to join for person %s failed", stand_in.pk)
    return sent


@task()
def send_consent_requests(*, person_ids: list[int], program_id: int) -> int:
    """The consent request of each person an import added, each in their language."""
    sent = 0
    for person_id in person_ids:
        try:
            sent += bool(
                program_tasks.send_consent_request.call(person_id=person_id, program_id=program_id)
            )
        except Exception:
            log.exception("import: the consent request to person %s failed", person_id)
    return sent
