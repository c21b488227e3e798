"""Several people answer a questionnaire at once while the worker and the daily jobs write.

The tester's report (issue 10): on the default SQLite, autosaves and final submissions failed with
"database is locked" with a single person answering, because the autosave, `db_worker` and the
hourly jobs write at the same time. Here every request and every background write must succeed,
on a file database (threads share it, as processes do in real use) and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from maillage.alerts.services import run_daily
from maillage.conftest import make_person
from maillage.core.reference import load_reference_data
from maillage.evaluation import services
from maillage.evaluation.models import Answer, Invitation, Round
from maillage.mentoring.models import Group, GroupMember
from maillage.programs.models import Role
from maillage.programs.services import assign_role

pytestmark = pytest.mark.django_db(transaction=True)

MENTEES = 5
AUTOSAVES_PER_QUESTION = 4
SUBMITS_PER_PERSON = 2  # a double click on « Envoyer »
ROUNDS_OF_BACKGROUND_WORK = 5


@pytest.fixture(autouse=True)
def reference_data(transactional_db) -> None:
    # Transactional tests flush the tables between tests, data migrations included.
    load_reference_data()


@pytest.fixture
def invitations(program_a, mentor) -> list[Invitation]:
    """A monthly round open today: the mentor and five mentees of one group have their link."""
    group = Group.objects.create(
        program=program_a, name="Groupe 1", approved_at=timezone.now(), approved_by_name="Camille"
    )
    people = [(mentor, "mentor")]
    for number in range(MENTEES):
        mentee = make_person(f"Mentee{number}", "Concurrence")
        assign_role(program=program_a, person=mentee, kind=Role.Kind.MENTEE)
        people.append((mentee, "mentee"))
    for person, side in people:
        role = program_a.roles.get(person=person, kind=side)
        GroupMember.objects.create(group=group, role=role, side=side)
    questionnaire = services.create_questionnaire_from_template(program=program_a, kind="monthly")
    objectives = questionnaire.questions.get(kind="objective_progress")
    objectives.objectives_fallback = "Structurer la collecte\nTrouver un camion"
    objectives.save()
    today = timezone.localdate()
    round = Round.objects.create(
        program=program_a,
        questionnaire=questionnaire,
        send_on=today,
        closes_on=today + timedelta(days=14),
    )
    services.invite_round(round=round)
    round.invitations.update(sent_at=timezone.now())
    return list(round.invitations.all())


def fields_of(invitation: Invitation) -> dict[int, dict[str, str]]:
    """What the form posts for each question, by question."""
    questions = {q.theme: q for q in invitation.questions()}
    objectives = services.objectives_for(
        invitation.person, invitation.group, questions["objectives"]
    )
    return {
        questions["objectives"].pk: {
            f"q{questions['objectives'].pk}_{i}": "3" for i in range(len(objectives))
        },
        questions["success_factors"].pk: {
            f"q{questions['success_factors'].pk}": f"Des rencontres régulières ({invitation.pk})"
        },
        questions["appreciation"].pk: {f"q{questions['appreciation'].pk}": "4"},
    }


def run_together(jobs: list[Callable[[], None]]) -> list[BaseException]:
    """Start every job at the same instant, each in its own thread; return what they raised."""
    start = threading.Barrier(len(jobs))
    failures: list[BaseException] = []

    def thread(job: Callable[[], None]) -> None:
        try:
            start.wait()
            job()
        except BaseException as error:  # noqa: BLE001 -- reported by the test below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=thread, args=(job,)) for job in jobs]
    for each in threads:
        each.start()
    for each in threads:
        each.join(timeout=120)
    assert not any(each.is_alive() for each in threads), "a thread is still waiting"
    return failures


def post(url: str, data: dict[str, str], times: int, statuses: list[int]) -> None:
    """One browser tab posting the same form `times` times."""
    client = Client()
    for _ in range(times):
        statuses.append(client.post(url, data).status_code)


def test_answers_autosaves_and_background_work_at_once_all_succeed(settings, invitations):
    # The worker's own kind of write: rows in the task table, claimed and updated by db_worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    statuses: list[int] = []
    jobs: list[Callable[[], None]] = []
    for invitation in invitations:
        fields = fields_of(invitation)
        answer_url = reverse("evaluation:answer", args=[invitation.token])
        autosave_url = reverse("evaluation:answer_autosave", args=[invitation.token])
        for question_pk, data in fields.items():
            autosave = {"question": str(question_pk), **data}
            jobs.append(partial(post, autosave_url, autosave, AUTOSAVES_PER_QUESTION, statuses))
        everything = {name: value for data in fields.values() for name, value in data.items()}
        jobs.append(partial(post, answer_url, everything, SUBMITS_PER_PERSON, statuses))

    def daily_jobs() -> None:
        for _ in range(ROUNDS_OF_BACKGROUND_WORK):
            run_daily(force=True)
            services.send_due_reminders()

    def worker() -> None:
        for number in range(ROUNDS_OF_BACKGROUND_WORK):
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=f"test-{number}",
                excluded_queue_names=[],
            ).run()

    failures = run_together([*jobs, daily_jobs, worker])

    assert failures == []
    requests = len(invitations) * (3 * AUTOSAVES_PER_QUESTION + SUBMITS_PER_PERSON)
    assert len(statuses) == requests
    assert set(statuses) <= {200, 302}
    for invitation in invitations:
        invitation.refresh_from_db()
        assert invitation.submitted_at is not None
        stored = {a.question.theme: a.value for a in invitation.answers.select_related("question")}
        assert stored["appreciation"] == 4
        assert stored["success_factors"] == f"Des rencontres régulières ({invitation.pk})"
        assert list(stored["objectives"].values()) == [3, 3]
    assert Answer.objects.count() == 3 * len(invitations)
    assert DBTaskResult.objects.exists()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()
