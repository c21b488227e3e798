"""The public form's POST is lean (issue 14, 200 answers a second): the rate limits in one
query of their own table instead of the database cache's round trips, nothing read twice, and
the confirmation queued as one task row inside the answer's own transaction, so that an answer
stored has its e-mail queued and an answer rolled back has none."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from maillage.core.models import RateCount
from maillage.core.ratelimit import forget_old_counts, hit_many
from maillage.intake.models import Application
from maillage.intake.services import submit_application

from .conftest import thanked, valid_answer
from .test_public_form_rate_limits import DATABASE_CACHE

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CONFIRMATION = "maillage.intake.tasks.send_application_confirmation"


@pytest.fixture
def database_queue(settings):
    """Production's task queue: rows in the database, run by `manage.py worker`."""
    settings.TASKS = DATABASE_TASKS  # django-tasks makes its backends again (setting_changed)


def submit(client, form, **overrides: str):
    path = reverse("intake:public_form", args=[form.token])
    return client.post(path, valid_answer(**overrides), REMOTE_ADDR="203.0.113.7")


def test_an_answer_counts_its_limits_in_one_query_and_not_in_the_cache(
    client, interest_form, settings
):
    settings.CACHES = DATABASE_CACHE
    with CaptureQueriesContext(connection) as queries:
        assert thanked(submit(client, interest_form))
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("core_ratecount" in s for s in sql) == 1
    assert not any("maillage_cache" in s for s in sql)
    # Per connection and per e-mail typed: two counts, each at one.
    assert sorted(RateCount.objects.values_list("count", flat=True)) == [1, 1]
    # The form's questions are read once, by the form; the service is given them.
    assert sum('FROM "intake_question"' in s for s in sql) == 1


def test_the_post_stays_within_its_query_budget(client, interest_form, settings):
    settings.CACHES = DATABASE_CACHE
    with CaptureQueriesContext(connection) as queries:
        assert thanked(submit(client, interest_form))
    # 8 on PostgreSQL in bench/load/cost.py (34 with the database cache's round trips and the
    # checks of rows just read); here the test's own transaction adds savepoints.
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) <= 18, [s[:80] for s in sql]


def test_counts_in_the_table_refuse_past_the_limit_and_expire(settings):
    settings.CACHES = DATABASE_CACHE
    uses = [("essai", "203.0.113.7", 2, 3600), ("essai.courriel", "a@b.example", 5, 3600)]
    assert hit_many(uses) == [True, True]
    assert hit_many(uses) == [True, True]
    assert hit_many(uses) == [False, True]
    RateCount.objects.update(expires_at="2000-01-01T00:00Z")
    assert forget_old_counts() == 2
    assert hit_many(uses) == [True, True]


def test_the_confirmation_task_is_queued_with_the_answer(interest_form, database_queue):
    # No on_commit callback runs inside a test's transaction: the row exists only because
    # it was written in the answer's own transaction.
    application = submit_application(
        form=interest_form, answers=_answers(), consent=True, language="fr"
    )
    queued = DBTaskResult.objects.filter(task_path=CONFIRMATION)
    assert queued.count() == 1
    assert queued.get().args_kwargs["kwargs"] == {"application_id": application.pk}


def test_an_answer_rolled_back_leaves_no_confirmation_queued(interest_form, database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_application(form=interest_form, answers=_answers(), consent=True, language="fr")
        raise RuntimeError("the request failed after the answer was written")
    assert not Application.objects.exists()
    assert not DBTaskResult.objects.exists()


def _answers() -> dict[str, str]:
    return {k.removeprefix("q_"): v for k, v in valid_answer().items() if k.startswith("q_")}
