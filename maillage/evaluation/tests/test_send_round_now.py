"""« Envoyer maintenant »: a planned round is sent today by the coordinator, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.evaluation.models import Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(program_a, monthly, mentor, mentee, group) -> Round:
    today = timezone.localdate()
    return Round.objects.create(
        program=program_a,
        questionnaire=monthly,
        send_on=today + timedelta(days=10),
        closes_on=today + timedelta(days=30),
    )


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def post(person, round_: Round):
        url = reverse("evaluation:round_send_now", args=[round_.program_id, round_.pk])
        with django_capture_on_commit_callbacks(execute=True):
            return login(client, person).post(url)

    return post


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_coordinator_sends_a_planned_round_today(send, planned, coordinator, mentor, mentee):
    response = send(coordinator, planned)
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.first_sent_at is not None
    assert planned.send_on == timezone.localdate()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email])
    assert planned.invitations.filter(sent_at__isnull=False).count() == 2
    assert "2 invitations" in texts(response)[0]
    assert AuditEntry.objects.filter(action="round.sent_now", object_id=str(planned.pk)).exists()


def test_a_double_click_sends_once(send, planned, coordinator):
    send(coordinator, planned)
    second = send(coordinator, planned)
    assert len(mail.outbox) == 2
    assert "déjà envoyé" in texts(second)[-1]


def test_the_daily_job_does_not_send_it_again(
    send, planned, coordinator, django_capture_on_commit_callbacks
):
    from maillage.evaluation.services import send_due_rounds

    send(coordinator, planned)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_rounds()
    assert len(mail.outbox) == 2


def test_a_cancelled_round_is_not_sent(send, planned, coordinator):
    Round.objects.filter(pk=planned.pk).update(cancelled=True)
    response = send(coordinator, planned)
    assert mail.outbox == []
    assert "annulé" in texts(response)[-1]


def test_the_rounds_page_offers_it_to_the_coordinator(as_coordinator, planned):
    page = as_coordinator.get(reverse("evaluation:home", args=[planned.program_id]))
    assert "Envoyer maintenant" in page.content.decode()


def test_get_is_not_allowed(as_coordinator, planned):
    url = reverse("evaluation:round_send_now", args=[planned.program_id, planned.pk])
    assert as_coordinator.get(url).status_code == 405


@pytest.mark.parametrize("who", ["outsider", "mentor"])
def test_outsider_and_mentor_get_404(send, planned, request, who):
    response = send(request.getfixturevalue(who), planned)
    assert response.status_code == 404
    assert mail.outbox == []
    planned.refresh_from_db()
    assert planned.first_sent_at is None
