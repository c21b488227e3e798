from __future__ import annotations

import email
import email.policy

import pytest
from django.core import mail
from django.urls import reverse

from maillage.intake.models import Application

from .conftest import valid_answer

pytestmark = pytest.mark.django_db


def submit(client, form, lang: str = "fr", **overrides: str):
    path = reverse("intake:public_form", args=[form.token]) + f"?lang={lang}"
    return client.post(path, valid_answer(**overrides))


def test_confirmation_is_sent_after_commit_in_french(
    client, interest_form, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(client, interest_form)
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jeanne@frigo-levis.example"]
    assert "Programme A" in message.subject
    assert message.subject.startswith("Nous avons bien reçu votre candidature")
    assert message.extra_headers["Content-Language"] == "fr"
    body = message.body
    assert "Bonjour Jeanne Tremblay" in body
    # The summary of the answers, with the questions as the applicant read them.
    assert "Nom de votre organisme\nFrigo Solidaire de Lévis (fictif)" in body
    assert "Transport réfrigéré et bénévoles le week-end." in body
    assert "Chaudière-Appalaches" in body
    # Who will see the answers, and how to withdraw.
    assert interest_form.purpose_fr[:60] in body
    assert "retirer" in body
    assert coordinator.email in body
    assert message.reply_to == [coordinator.email]
    assert Application.objects.get().confirmation_sent_at is not None


def test_confirmation_is_in_english_for_an_english_visitor(
    client, interest_form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, interest_form, lang="en")
    message = mail.outbox[0]
    assert message.extra_headers["Content-Language"] == "en"
    assert "Name of your organization\nFrigo Solidaire de Lévis (fictif)" in message.body
    assert interest_form.purpose_en[:60] in message.body
    assert "Nom de votre organisme" not in message.body


def test_nothing_is_sent_when_the_answer_is_refused(
    client, interest_form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, interest_form, consent=None)
    assert mail.outbox == []


def test_confirmation_travels_through_a_real_smtp_server(
    client, interest_form, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, interest_form, lang="en", q_contact_name="Zoë Côté")
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["jeanne@frigo-levis.example"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["To"] == "jeanne@frigo-levis.example"
    assert "Programme A" in message["Subject"]
    assert message["Content-Language"] == "en"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Zoë Côté" in body  # non-ASCII survives the trip
    assert "Name of your organization" in body
    assert interest_form.purpose_en[:60] in body
    assert Application.objects.get().confirmation_sent_at is not None


def test_a_confirmation_run_again_after_its_worker_died_is_sent_once(
    client, interest_form, django_capture_on_commit_callbacks
):
    """bench/faults/run.sh worker: the worker died after the rate limit was taken and before
    the e-mail went out; the task, queued again, must not be held back by its own first try,
    and a third run (already confirmed) sends nothing more."""
    from maillage.core.ratelimit import first_in
    from maillage.intake.tasks import send_application_confirmation

    submit(client, interest_form)  # on_commit callbacks not run: no e-mail yet
    application = Application.objects.get()
    holder = f"application:{application.pk}"
    assert first_in("intake.confirmation", application.email, period=3600, holder=holder)
    assert send_application_confirmation.call(application_id=application.pk) is True
    assert send_application_confirmation.call(application_id=application.pk) is False
    assert len(mail.outbox) == 1
    # Another application with the same address is still held back for the hour.
    assert not first_in("intake.confirmation", application.email, period=3600, holder="other")
