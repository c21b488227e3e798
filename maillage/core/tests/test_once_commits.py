"""The once-token's claim and result commit without waiting for the WAL flush on PostgreSQL,
and the answer between them still waits for it (issue 14: three flushes a submission were the
first bound of the public form). Why no answer can be lost: `core.once`'s docstring; these
tests hold the ordering that reasoning rests on."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from maillage.core.models import FormSubmission
from maillage.core.once import FIELD, FormTokenMiddleware
from maillage.core.tests.forms_once import form_token
from maillage.intake.models import Application
from maillage.intake.tests.conftest import thanked, thanks_address, valid_answer

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's"
)
RELAXED = "set_config('synchronous_commit', 'off', true)"


def _setting(raw_connection) -> str:
    """The connection's synchronous_commit now, read on a cursor of its own (the statement
    being executed keeps its results)."""
    with raw_connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


class Recorder:
    """Every statement of a request, and the setting in force right after the answer's INSERT
    (inside the answer's own transaction)."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.during_answer: list[str] = []

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001
        self.statements.append(sql)
        result = execute(sql, params, many, context)
        if sql.startswith('INSERT INTO "intake_application"'):
            self.during_answer.append(_setting(context["connection"].connection))
        return result


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_claim_and_result_are_relaxed_and_the_answer_between_them_is_not(program_a):
    interest_form = program_a.forms.get()
    url = reverse("intake:public_form", args=[interest_form.token])
    client = Client()
    token = form_token(client.get(url).content.decode())
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        response = client.post(url, {**valid_answer(), FIELD: token})
    assert thanked(response)
    sql = recorder.statements
    claim = next(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "core_formsubmission"'))
    answer = next(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "intake_application"'))
    result = next(i for i, s in enumerate(sql) if s.startswith('UPDATE "core_formsubmission"'))
    # The claim is committed (its own statement) before the answer's transaction begins, so the
    # answer's synchronous commit flushes it too; the result is written after the answer's commit.
    assert claim < answer < result
    assert RELAXED in sql[claim] and RELAXED in sql[result]
    assert not any("synchronous_commit" in s for s in sql[claim + 1 : result])
    assert recorder.during_answer == ["on"]
    assert _setting(connection.connection) == "on"  # nothing left on the kept connection
    stored = FormSubmission.objects.get(token=token)
    assert stored.result == thanks_address(response)
    assert Application.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_repeat_of_a_relaxed_claim_creates_nothing(program_a):
    interest_form = program_a.forms.get()
    url = reverse("intake:public_form", args=[interest_form.token])
    client = Client()
    token = form_token(client.get(url).content.decode())
    first = client.post(url, {**valid_answer(), FIELD: token})
    again = client.post(url, {**valid_answer(), FIELD: token})
    assert again.status_code == 302 and again["Location"] == thanks_address(first)
    assert Application.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_the_claim_is_never_relaxed():
    # A caller's transaction may hold an answer: its commit must wait for the flush.
    with transaction.atomic():
        claim = FormTokenMiddleware._claim(FormSubmission, "a" * 32, None, "/x/")
        assert claim is not None
        assert _setting(connection.connection) == "on"
    assert FormSubmission.objects.filter(token="a" * 32).exists()
