from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from maillage.selection.errors import SelectionError
from maillage.selection.models import Decision
from maillage.selection.services import decide_application, notify_decision, notify_pending

from .conftest import make_application


def decide(application, outcome="selected", reason="Répond aux critères.", **extra) -> Decision:
    return decide_application(
        application=application, outcome=outcome, reason=reason, by=None, **extra
    )


@pytest.fixture
def french(program_a):
    return make_application(program_a, "Frigo solidaire", email="fr@x.example", language="fr")


@pytest.fixture
def english(program_a):
    return make_application(
        program_a, "Food Share (fictional)", email="en@x.example", contact="Sam Lee", language="en"
    )


def test_french_application_gets_french_email(french, django_capture_on_commit_callbacks):
    decision = decide(french)
    with django_capture_on_commit_callbacks(execute=True):
        notify_decision(decision=decision)
    [message] = mail.outbox
    assert message.to == ["fr@x.example"]
    assert message.subject == "Programme A — votre candidature"
    assert "Bonne nouvelle" in message.body and "Good news" not in message.body
    decision.refresh_from_db()
    assert decision.notified_at is not None
    assert decision.notified_outcome == "selected"


def test_english_application_gets_english_email(english, django_capture_on_commit_callbacks):
    decision = decide(english, outcome="waitlisted")
    with django_capture_on_commit_callbacks(execute=True):
        notify_decision(decision=decision)
    [message] = mail.outbox
    assert message.subject == "Programme A — your application"
    assert message.body.startswith("Hello Sam Lee,")
    assert "waiting list" in message.body and "liste d’attente" not in message.body


def test_not_sent_twice(french, django_capture_on_commit_callbacks):
    decision = decide(french)
    with django_capture_on_commit_callbacks(execute=True):
        notify_decision(decision=decision)
    decision.refresh_from_db()
    with pytest.raises(SelectionError, match="déjà été avisée"):
        notify_decision(decision=decision)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_pending(program=french.program) == 0
    assert len(mail.outbox) == 1


def test_two_queued_notices_send_one_email(french, django_capture_on_commit_callbacks):
    # Two clicks before the worker runs: the task itself checks again.
    decision = decide(french)
    with django_capture_on_commit_callbacks(execute=True):
        notify_decision(decision=decision)
        notify_decision(decision=decision)
    assert len(mail.outbox) == 1


def test_renotified_only_when_the_decision_changed(french, django_capture_on_commit_callbacks):
    decision = decide(french, outcome="waitlisted", reason="Places limitées.")
    with django_capture_on_commit_callbacks(execute=True):
        notify_decision(decision=decision)
    decision = decide(french, outcome="waitlisted", reason="Places limitées.")  # same again
    assert not decision.needs_notice()
    decision = decide(french, outcome="selected", reason="Une place s’est libérée.")
    assert decision.needs_notice()
    with django_capture_on_commit_callbacks(execute=True):
        notify_decision(decision=decision)
    assert len(mail.outbox) == 2
    assert "Bonne nouvelle" in mail.outbox[1].body


def test_declined_gives_the_reason_only_when_ticked(
    french, english, django_capture_on_commit_callbacks
):
    decide(french, outcome="declined", reason="Projet hors du thème du programme.")
    decide(english, outcome="declined", reason="Project outside the theme.", share_reason=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_pending(program=french.program) == 2
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Merci sincèrement" in bodies["fr@x.example"]
    assert "hors du thème" not in bodies["fr@x.example"]
    assert "Project outside the theme." in bodies["en@x.example"]


def test_notify_all_button(as_coordinator, french, english, django_capture_on_commit_callbacks):
    decide(french)
    decide(english, outcome="declined")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(reverse("selection:notify_all", args=[french.program_id]))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["en@x.example", "fr@x.example"]
    assert not any(d.needs_notice() for d in Decision.objects.all())


def test_notify_button_per_decision(as_coordinator, french, django_capture_on_commit_callbacks):
    decide(french)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(
            reverse("selection:notify", args=[french.program_id, french.pk]), follow=True
        )
    assert "Le courriel d’avis part à fr@x.example." in response.content.decode()
    assert len(mail.outbox) == 1


def test_ranking_shows_who_still_needs_a_notice(
    as_coordinator, french, english, django_capture_on_commit_callbacks
):
    decide(french)
    decide(english, outcome="declined")
    with django_capture_on_commit_callbacks(execute=True):
        notify_decision(decision=Decision.objects.get(application=french))
    html = as_coordinator.get(reverse("selection:applications", args=[french.program_id]))
    html = html.content.decode()
    assert "Une personne n’a pas encore été avisée" in html
    assert html.count("à aviser") == 1
    assert "avisée le" in html


def test_selected_notice_links_to_the_matching_profile(
    french, program_a, settings, django_capture_on_commit_callbacks
):
    decision = decide(french)
    with django_capture_on_commit_callbacks(execute=True):
        notify_decision(decision=decision)
    [message] = mail.outbox
    link = settings.SITE_URL + reverse("programs:my_profile", args=[program_a.pk])
    assert link in message.body
    assert "profil de jumelage" in message.body
