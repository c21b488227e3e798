from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maillage.evaluation import services
from maillage.evaluation.errors import EvaluationError
from maillage.evaluation.models import FinalInterview


@pytest.fixture
def interview(program_a, mentee, observer):
    return services.record_interview(
        program=program_a,
        participant=program_a.roles.get(person=mentee, kind="mentee"),
        interviewer=observer,
        held_on=timezone.localdate(),
        learning="J’ai appris à planifier la collecte.",
        recommendations="Plus de rencontres en personne.",
    )


def test_an_interview_counts_only_after_the_participant_validates(
    client, interview, mentee, django_capture_on_commit_callbacks
):
    assert not FinalInterview.objects.validated().exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_interview_for_validation(interview=interview)
    assert [m.to[0] for m in mail.outbox] == [mentee.email]
    assert interview.get_link_url() in mail.outbox[0].body
    assert not FinalInterview.objects.validated().exists()

    link = reverse("evaluation:interview_review", args=[interview.token])
    page = client.get(link).content.decode()
    assert "J’ai appris à planifier la collecte." in page
    client.post(link, {"action": "validate"})
    interview.refresh_from_db()
    assert interview.validated_at is not None
    assert list(FinalInterview.objects.validated()) == [interview]


def test_the_participant_can_ask_for_a_correction(
    client, interview, observer, django_capture_on_commit_callbacks
):
    services.send_interview_for_validation(interview=interview)
    link = reverse("evaluation:interview_review", args=[interview.token])
    response = client.post(link, {"action": "correct", "comment": ""})
    assert "errorlist" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            link, {"action": "correct", "comment": "Ce n’était pas la collecte mais le tri."}
        )
    interview.refresh_from_db()
    assert interview.status == FinalInterview.Status.CORRECTIONS
    assert interview.validated_at is None
    assert [m.to[0] for m in mail.outbox] == [observer.email]


def test_changing_validated_notes_needs_a_new_validation(interview):
    services.send_interview_for_validation(interview=interview)
    services.validate_interview(interview=interview)
    services.update_interview(interview=interview, learning="Autre chose")
    assert interview.validated_at is None
    assert interview.status == FinalInterview.Status.DRAFT
    with pytest.raises(EvaluationError):
        services.validate_interview(interview=interview)


def test_a_draft_interview_link_is_404(client, interview):
    assert (
        client.get(reverse("evaluation:interview_review", args=[interview.token])).status_code
        == 404
    )


def test_observer_records_an_interview_through_the_page(client, observer, mentor, program_a):
    from maillage.conftest import login

    login(client, observer)
    role = program_a.roles.get(person=mentor, kind="mentor")
    response = client.post(
        reverse("evaluation:interview_add", args=[program_a.pk]),
        {
            "participant": role.pk,
            "held_on": "2026-12-10",
            "learning": "Beaucoup",
            "objectives": "",
            "appreciation": "",
            "recommendations": "",
        },
    )
    assert response.status_code == 302
    assert FinalInterview.objects.get().interviewer == observer


def test_only_mentors_and_mentees_are_interviewed(program_a, coordinator, observer):
    with pytest.raises(EvaluationError):
        services.record_interview(
            program=program_a,
            participant=program_a.roles.get(person=coordinator, kind="coordinator"),
            interviewer=observer,
            held_on=timezone.localdate(),
        )
