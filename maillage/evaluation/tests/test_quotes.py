from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from maillage.evaluation import services
from maillage.evaluation.errors import EvaluationError
from maillage.evaluation.models import Answer, Quote


@pytest.fixture
def answer(mentee_invitation):
    factor = mentee_invitation.questions().get(theme="success_factors")
    services.save_answers(
        invitation=mentee_invitation,
        values={
            factor: "La mentore a partagé son protocole d’entente, ce qui nous a fait gagner des mois."
        },
        submit=True,
    )
    return Answer.objects.get(invitation=mentee_invitation, question=factor)


@pytest.fixture
def quote(program_a, coordinator, answer):
    return services.mark_quote(
        program=program_a,
        by=coordinator.user,
        answer=answer,
        passage="ce qui nous a fait gagner des mois",
        topic_fr="le partage d’outils",
        topic_en="sharing tools",
    )


def test_a_marked_quote_is_not_publishable(quote):
    assert not quote.is_publishable()
    assert not Quote.objects.publishable().exists()


def test_quote_is_publishable_only_after_consent(
    client, quote, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_quote_consent(quote=quote)
    assert [m.to[0] for m in mail.outbox] == [mentee.email]
    body = mail.outbox[0].body
    assert "ce qui nous a fait gagner des mois" in body
    assert "— une personne mentorée, sur le partage d’outils" in body
    assert not Quote.objects.publishable().exists()

    link = reverse("evaluation:quote_consent", args=[quote.token])
    client.post(link, {"action": "consent"})
    quote.refresh_from_db()
    assert quote.is_publishable()
    assert quote.consented_at is not None
    assert "ce qui nous a fait gagner des mois" in quote.consent_text
    assert "— a mentee, on sharing tools" in quote.consent_text
    assert list(Quote.objects.publishable()) == [quote]


def test_attribution_names_no_one(quote, mentee, org_a):
    for language in ("fr", "en"):
        signature = quote.attribution(language)
        assert mentee.first_name not in signature and mentee.last_name not in signature
        assert org_a.name not in signature
    assert quote.attribution("en") == "— a mentee, on sharing tools"


def test_consent_can_be_withdrawn(client, quote):
    services.request_quote_consent(quote=quote)
    link = reverse("evaluation:quote_consent", args=[quote.token])
    client.post(link, {"action": "consent"})
    client.post(link, {"action": "withdraw"})
    quote.refresh_from_db()
    assert quote.status == Quote.Status.WITHDRAWN and quote.withdrawn_at is not None
    assert not Quote.objects.publishable().exists()


def test_a_refusal_is_kept(client, quote):
    services.request_quote_consent(quote=quote)
    client.post(reverse("evaluation:quote_consent", args=[quote.token]), {"action": "refuse"})
    quote.refresh_from_db()
    assert quote.status == Quote.Status.REFUSED and not quote.is_publishable()


def test_the_passage_must_come_from_the_source(program_a, coordinator, answer):
    with pytest.raises(EvaluationError) as error:
        services.mark_quote(
            program=program_a,
            by=coordinator.user,
            answer=answer,
            passage="une phrase inventée",
            topic_fr="x",
        )
    assert error.value.field == "passage"


def test_a_marked_but_unrequested_quote_link_is_404(client, quote):
    assert client.get(reverse("evaluation:quote_consent", args=[quote.token])).status_code == 404


def test_a_quote_from_an_interview_is_signed_with_the_role(
    program_a, coordinator, mentor, observer
):
    from django.utils import timezone

    interview = services.record_interview(
        program=program_a,
        participant=program_a.roles.get(person=mentor, kind="mentor"),
        interviewer=observer,
        held_on=timezone.localdate(),
        appreciation="Un programme qui rapproche.",
    )
    quote = services.mark_quote(
        program=program_a,
        by=coordinator.user,
        interview=interview,
        passage="Un programme qui rapproche.",
        topic_fr="le programme",
    )
    assert quote.attribution("fr") == "— un·e mentor·e, sur le programme"
