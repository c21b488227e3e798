from __future__ import annotations

from django.urls import reverse

from maillage.evaluation.models import Question, Questionnaire


def test_coordinator_creates_the_pilot_templates_from_the_page(as_coordinator, program_a):
    for kind in ("monthly", "final"):
        response = as_coordinator.post(
            reverse("evaluation:questionnaire_template", args=[program_a.pk]), {"kind": kind}
        )
        assert response.status_code == 302
    assert set(program_a.questionnaires.values_list("kind", flat=True)) == {"monthly", "final"}


def test_coordinator_adds_a_choice_question(as_coordinator, program_a):
    questionnaire = Questionnaire.objects.create(program=program_a, title_fr="Sondage")
    url = reverse("evaluation:question_add", args=[program_a.pk, questionnaire.pk])
    response = as_coordinator.post(
        url,
        {
            "new-kind": "single",
            "new-label_fr": "Format préféré ?",
            "new-label_en": "Preferred format?",
            "new-audience": "both",
            "new-choices_text": "En ligne | Online\nEn personne | In person",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.choice_pairs("en") == [("en-ligne", "Online"), ("en-personne", "In person")]


def test_a_bad_question_keeps_the_values_and_says_why(as_coordinator, program_a):
    questionnaire = Questionnaire.objects.create(program=program_a, title_fr="Sondage")
    url = reverse("evaluation:question_add", args=[program_a.pk, questionnaire.pk])
    response = as_coordinator.post(
        url,
        {
            "new-kind": "multiple",
            "new-label_fr": "Ma question gardée",
            "new-audience": "both",
            "new-choices_text": "Un seul",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ma question gardée" in page
    assert "Donnez au moins deux choix" in page
    assert not Question.objects.exists()


def test_a_question_with_answers_cannot_be_removed(as_coordinator, program_a, mentee_invitation):
    from maillage.evaluation import services

    question = mentee_invitation.questions().get(theme="success_factors")
    services.save_answers(invitation=mentee_invitation, values={question: "x"})
    url = reverse(
        "evaluation:question_delete", args=[program_a.pk, question.questionnaire_id, question.pk]
    )
    as_coordinator.post(url)
    assert Question.objects.filter(pk=question.pk).exists()


def test_pages_render_for_the_coordinator(as_coordinator, program_a, open_round, mentee_invitation):
    p = program_a.pk
    q = open_round.questionnaire
    for url in (
        reverse("evaluation:home", args=[p]),
        reverse("evaluation:questionnaire", args=[p, q.pk]),
        reverse("evaluation:questionnaire_preview", args=[p, q.pk]),
        reverse("evaluation:question_edit", args=[p, q.pk, q.questions.first().pk]),
        reverse("evaluation:round", args=[p, open_round.pk]),
        reverse("evaluation:round_edit", args=[p, open_round.pk]),
        reverse("evaluation:response", args=[p, mentee_invitation.pk]),
        reverse("evaluation:notes", args=[p]),
        reverse("evaluation:quotes", args=[p]),
        reverse("evaluation:interview_add", args=[p]),
    ):
        assert as_coordinator.get(url).status_code == 200, url


def test_coordinator_plans_the_default_rounds_and_adjusts_one(as_coordinator, program_a):
    as_coordinator.post(reverse("evaluation:rounds_default", args=[program_a.pk]))
    round = program_a.evaluation_rounds.first()
    url = reverse("evaluation:round_edit", args=[program_a.pk, round.pk])
    response = as_coordinator.post(
        url,
        {
            "questionnaire": round.questionnaire_id,
            "audience": "mentees",
            "send_on": "2026-08-03",
            "closes_on": "2026-08-01",
            "reminder_after_days": 5,
        },
    )
    assert response.status_code == 200
    assert "La fermeture doit suivre l’envoi." in response.content.decode()
    as_coordinator.post(
        url,
        {
            "questionnaire": round.questionnaire_id,
            "audience": "mentees",
            "send_on": "2026-08-03",
            "closes_on": "2026-08-20",
            "reminder_after_days": 5,
        },
    )
    round.refresh_from_db()
    assert (round.audience, str(round.send_on)) == ("mentees", "2026-08-03")
