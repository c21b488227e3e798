from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.evaluation.models import Answer, Invitation


def url(invitation: Invitation) -> str:
    return reverse("evaluation:answer", args=[invitation.token])


def autosave_url(invitation: Invitation) -> str:
    return reverse("evaluation:answer_autosave", args=[invitation.token])


def q(invitation: Invitation, theme: str):
    return invitation.questions().get(theme=theme)


def full_answers(invitation: Invitation, appreciation: str = "4") -> dict[str, str]:
    objectives = q(invitation, "objectives")
    return {
        f"q{objectives.pk}_0": "3",
        f"q{objectives.pk}_1": "2",
        f"q{q(invitation, 'success_factors').pk}": "Des rencontres régulières",
        f"q{q(invitation, 'appreciation').pk}": appreciation,
    }


def test_the_link_opens_without_a_password_in_the_persons_language(
    client, open_round, english_mentee
):
    from maillage.evaluation import services

    services.invite_round(round=open_round)
    invitation = open_round.invitations.get(person=english_mentee)
    invitation.sent_at = timezone.now()
    invitation.save()
    response = client.get(url(invitation))
    assert response.status_code == 200
    assert "How far along is each of the starting objectives?" in response.content.decode()
    assert "Structurer la collecte" in response.content.decode()


def test_a_wrong_token_is_404(client, mentee_invitation):
    assert client.get(reverse("evaluation:answer", args=["0" * 64])).status_code == 404
    assert (
        client.get(
            reverse("evaluation:answer", args=[mentee_invitation.token[:-1] + "x"])
        ).status_code
        == 404
    )


def test_an_unsent_invitation_is_404(client, mentee_invitation):
    Invitation.objects.filter(pk=mentee_invitation.pk).update(sent_at=None)
    assert client.get(url(mentee_invitation)).status_code == 404


def test_an_expired_link_is_404(client, mentee_invitation, settings):
    settings.EVALUATION_LINK_DAYS_AFTER_CLOSE = 10
    round = mentee_invitation.round
    round.send_on = timezone.localdate() - timedelta(days=60)
    round.closes_on = timezone.localdate() - timedelta(days=11)
    round.save()
    assert client.get(url(mentee_invitation)).status_code == 404


def test_the_token_shows_only_its_own_persons_answers(
    client, mentee_invitation, mentor_invitation, mentee
):
    client.post(url(mentee_invitation), full_answers(mentee_invitation))
    page = client.get(url(mentor_invitation)).content.decode()
    assert "Des rencontres régulières" not in page
    # Even logged in as the mentee, the mentor's link shows the mentor's (empty) answers.
    login(client, mentee)
    assert "Des rencontres régulières" not in client.get(url(mentor_invitation)).content.decode()


def test_tokens_differ_and_are_not_stored(mentee_invitation, mentor_invitation):
    assert mentee_invitation.token != mentor_invitation.token
    assert len(mentee_invitation.token) >= 64
    stored = Invitation.objects.filter(pk=mentee_invitation.pk).values().get()
    assert mentee_invitation.token not in stored.values()


def test_autosave_keeps_one_field_then_submit_then_correct(client, mentee_invitation):
    factor = q(mentee_invitation, "success_factors")
    response = client.post(
        autosave_url(mentee_invitation),
        {"question": factor.pk, f"q{factor.pk}": "Un bon plan"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Enregistré" in response.content.decode()
    answer = Answer.objects.get(invitation=mentee_invitation, question=factor)
    assert answer.value == "Un bon plan"
    mentee_invitation.refresh_from_db()
    assert mentee_invitation.submitted_at is None

    response = client.post(url(mentee_invitation), full_answers(mentee_invitation))
    assert response.status_code == 302
    mentee_invitation.refresh_from_db()
    first_submission = mentee_invitation.submitted_at
    assert first_submission is not None
    objectives = Answer.objects.get(
        invitation=mentee_invitation, question=q(mentee_invitation, "objectives")
    )
    assert objectives.value == {"Structurer la collecte": 3, "Trouver un camion": 2}
    assert objectives.value_number == 2.5

    client.post(url(mentee_invitation), full_answers(mentee_invitation, appreciation="5"))
    mentee_invitation.refresh_from_db()
    assert mentee_invitation.submitted_at == first_submission
    appreciation = Answer.objects.get(
        invitation=mentee_invitation, question=q(mentee_invitation, "appreciation")
    )
    assert appreciation.value == 5 and appreciation.value_number == 5.0


def test_autosave_of_a_bad_value_says_why_and_keeps_nothing(client, mentee_invitation):
    scale = q(mentee_invitation, "appreciation")
    response = client.post(
        autosave_url(mentee_invitation), {"question": scale.pk, f"q{scale.pk}": "9"}
    )
    assert "errorlist" in response.content.decode()
    assert not Answer.objects.filter(invitation=mentee_invitation, question=scale).exists()


def test_missing_required_answers_are_shown_per_field_and_values_kept(client, mentee_invitation):
    factor = q(mentee_invitation, "success_factors")
    response = client.post(url(mentee_invitation), {f"q{factor.pk}": "Texte à garder"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Texte à garder" in page
    assert "errorlist" in page
    mentee_invitation.refresh_from_db()
    assert mentee_invitation.submitted_at is None


def test_after_close_the_page_is_read_only(client, mentee_invitation):
    client.post(url(mentee_invitation), full_answers(mentee_invitation))
    round = mentee_invitation.round
    round.send_on = timezone.localdate() - timedelta(days=20)
    round.closes_on = timezone.localdate() - timedelta(days=1)
    round.save()
    page = client.get(url(mentee_invitation)).content.decode()
    assert "Ce questionnaire est fermé." in page
    assert "disabled" in page
    assert "Des rencontres régulières" in page
    appreciation = q(mentee_invitation, "appreciation")
    client.post(url(mentee_invitation), full_answers(mentee_invitation, appreciation="1"))
    client.post(
        autosave_url(mentee_invitation), {"question": appreciation.pk, f"q{appreciation.pk}": "1"}
    )
    assert Answer.objects.get(invitation=mentee_invitation, question=appreciation).value == 4


def test_a_mentor_does_not_get_mentor_only_questions_hidden_and_mentee_does(
    open_round, final, mentor, mentee
):
    from maillage.evaluation.models import Round

    today = timezone.localdate()
    round = Round.objects.create(
        program=open_round.program,
        questionnaire=final,
        send_on=today,
        closes_on=today + timedelta(days=5),
    )
    from maillage.evaluation import services

    services.invite_round(round=round)
    mentor_q = set(
        round.invitations.get(person=mentor).questions().values_list("indicator", flat=True)
    )
    mentee_q = set(
        round.invitations.get(person=mentee).questions().values_list("indicator", flat=True)
    )
    assert "would_mentor_again" in mentor_q
    assert "would_mentor_again" not in mentee_q


def test_my_answer_from_the_account_redirects_to_the_personal_link(
    client, mentee_invitation, mentee, program_a
):
    login(client, mentee)
    response = client.get(
        reverse("evaluation:my_answer", args=[program_a.pk, mentee_invitation.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == url(mentee_invitation)


def test_my_answer_of_someone_else_is_404(client, mentor_invitation, mentee, program_a):
    login(client, mentee)
    response = client.get(
        reverse("evaluation:my_answer", args=[program_a.pk, mentor_invitation.pk])
    )
    assert response.status_code == 404


def _close_long_ago(invitation: Invitation, settings) -> None:
    settings.EVALUATION_LINK_DAYS_AFTER_CLOSE = 10
    round = invitation.round
    round.send_on = timezone.localdate() - timedelta(days=60)
    round.closes_on = timezone.localdate() - timedelta(days=11)
    round.save()


def test_my_answer_after_the_link_expired_shows_the_answers_read_only(
    client, mentee_invitation, mentee, program_a, settings
):
    client.post(url(mentee_invitation), full_answers(mentee_invitation))
    _close_long_ago(mentee_invitation, settings)
    login(client, mentee)
    response = client.get(
        reverse("evaluation:my_answer", args=[program_a.pk, mentee_invitation.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce questionnaire est fermé." in page
    assert "disabled" in page
    assert "Des rencontres régulières" in page


def test_my_questionnaires_shows_a_closed_round_as_closed(
    client, mentee_invitation, mentor_invitation, mentee, mentor, program_a, settings
):
    client.post(url(mentee_invitation), full_answers(mentee_invitation))
    _close_long_ago(mentee_invitation, settings)
    home = reverse("evaluation:home", args=[program_a.pk])
    page = login(client, mentee).get(home).content.decode()
    assert "fermé le" in page
    assert "répondu le" in page
    assert reverse("evaluation:my_answer", args=[program_a.pk, mentee_invitation.pk]) in page
    # Unanswered and closed: said so, with no link left to follow.
    page = login(client, mentor).get(home).content.decode()
    assert "sans réponse" in page
    assert reverse("evaluation:my_answer", args=[program_a.pk, mentor_invitation.pk]) not in page
