from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.programs.models import Role
from maillage.programs.services import assign_role, close_program
from maillage.training import services
from maillage.training.models import Assignment, Completion, Module, QuizAttempt

from .conftest import right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def url(name, program, *args):
    return reverse(f"training:{name}", args=[program.pk, *args])


def quiz_post(answers):
    return {f"q{pk}": [str(i) for i in ids] for pk, ids in answers.items()}


def test_coordinator_pages_render(client, program_a, module, mentee, coordinator):
    services.assign_module(module=module, by=coordinator.user, kind="mentee")
    services.start_path(program=program_a)
    login(client, coordinator)
    for page in (
        url("library", program_a),
        url("module_new", program_a),
        url("module", program_a, module.pk),
        url("module_edit", program_a, module.pk),
        url("progress", program_a),
        url("path", program_a),
        url("path_edit", program_a),
        url("step", program_a, program_a.implementation_path.steps.first().pk),
        reverse("programs:detail", args=[program_a.pk]),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
    detail = client.get(reverse("programs:detail", args=[program_a.pk])).content.decode()
    assert url("library", program_a) in detail and url("path", program_a) in detail


def test_create_module_keeps_what_was_typed_on_error(client, program_a, coordinator):
    login(client, coordinator)
    response = client.post(
        url("module_new", program_a),
        {
            "title": "Accueil",
            "summary": "Bienvenue",
            "kind": "video",
            "minutes": 10,
            "language": "fr",
            "pass_mark": 80,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Indiquez le lien de la vidéo" in page and 'value="Accueil"' in page
    assert not Module.objects.exists()


def test_create_module_then_add_question_and_assign(client, program_a, coordinator, mentee):
    login(client, coordinator)
    response = client.post(
        url("module_new", program_a),
        {
            "title": "Accueil",
            "summary": "Bienvenue",
            "kind": "text",
            "body": "Le texte",
            "minutes": 10,
            "language": "fr",
            "pass_mark": 80,
        },
    )
    module = Module.objects.get()
    assert response["Location"] == url("module", program_a, module.pk)
    client.post(
        url("question_add", program_a, module.pk),
        {"text": "Vrai ?", "choice_1": "Oui", "correct_1": "on", "choice_2": "Non"},
    )
    assert module.questions.get().choices.count() == 2
    response = client.post(url("assign", program_a, module.pk), {"kind": "mentee"})
    assert response.status_code == 302
    assert Assignment.objects.get().kind == "mentee"


def test_participant_sees_only_assigned_modules(
    client, program_a, module, mentee, mentor, coordinator
):
    services.assign_module(module=module, by=coordinator.user, kind="mentee")
    login(client, mentor)
    assert client.get(url("my_module", program_a, module.pk)).status_code == 404
    assert module.title not in client.get(url("mine", program_a)).content.decode()
    assert client.get(url("library", program_a)).status_code == 404
    assert client.get(url("module", program_a, module.pk)).status_code == 404
    login(client, mentee)
    assert module.title in client.get(url("mine", program_a)).content.decode()
    home = client.get(reverse("programs:dashboard")).content.decode()
    assert url("my_module", program_a, module.pk) in home


def test_participant_fails_then_passes_and_never_sees_a_number(
    client, program_a, module, mentee, coordinator
):
    services.assign_module(module=module, by=coordinator.user, kind="mentee")
    login(client, mentee)
    page = url("my_module", program_a, module.pk)
    response = client.post(page, quiz_post(wrong_answers(module)))
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert "À reprendre" in shown and "Bonne réponse" in shown
    assert "%" not in shown.split("<main", 1)[1]
    response = client.post(page, quiz_post(right_answers(module)))
    shown = client.get(response["Location"]).content.decode()
    assert "Réussi" in shown and "Marquer comme terminé" in shown
    client.post(url("my_module_done", program_a, module.pk))
    assert Completion.objects.get(person=mentee).completed_at is not None
    assert QuizAttempt.objects.count() == 2


def test_an_unanswered_question_keeps_the_choices(client, program_a, module, mentee, coordinator):
    services.assign_module(module=module, by=coordinator.user, kind="mentee")
    login(client, mentee)
    answers = right_answers(module)
    first = next(iter(answers))
    response = client.post(
        url("my_module", program_a, module.pk), quiz_post({first: answers[first]})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Répondez à chaque question" in page
    assert f'value="{sorted(answers[first])[0]}" checked' in page


def test_progress_download_lists_who_did_what(client, program_a, module, mentee, coordinator):
    services.assign_module(module=module, by=coordinator.user, kind="mentee")
    services.submit_quiz(module=module, person=mentee, answers=right_answers(module))
    login(client, coordinator)
    response = client.get(url("progress_download", program_a, "csv"))
    text = response.content.decode("utf-8-sig")
    assert "Mentorée" in text and module.title in text and "Questionnaire réussi" in text


def test_document_goes_to_the_assigned_only(client, program_a, coordinator, mentee, mentor):
    pdf = SimpleUploadedFile("guide.pdf", b"%PDF-1.4 contenu", "application/pdf")
    module = services.create_module(
        program=program_a,
        by=coordinator.user,
        title="Guide",
        summary="S",
        kind="document",
        file=pdf,
    )
    services.assign_module(module=module, by=coordinator.user, kind="mentee")
    login(client, mentor)
    assert client.get(url("document", program_a, module.pk)).status_code == 404
    login(client, mentee)
    response = client.get(url("document", program_a, module.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_step_page_records_hours(client, program_a, coordinator):
    path = services.start_path(program=program_a)
    step = path.steps.first()
    login(client, coordinator)
    response = client.post(
        url("step", program_a, step.pk), {"on": "2026-01-05", "hours": "2.5", "note": "Atelier"}
    )
    assert response.status_code == 302
    shown = client.get(url("path", program_a)).content.decode()
    assert "17,5 h restantes" in shown


def test_closed_program_refuses_writes_in_words(client, program_a, module, coordinator):
    close_program(program=program_a)
    login(client, coordinator)
    response = client.post(
        url("question_add", program_a, module.pk),
        {"text": "Q", "choice_1": "a", "correct_1": "on", "choice_2": "b"},
    )
    assert response.status_code == 400
    assert "terminé" in response.content.decode()


@pytest.mark.parametrize("name", ["library", "progress", "path", "mine"])
def test_outsider_and_anonymous(client, program_a, outsider, name):
    page = url(name, program_a)
    assert client.get(page).status_code == 302
    login(client, outsider)
    assert client.get(page).status_code == 404


def test_observer_gets_no_library(client, program_a):
    observer = make_person("Olga", "Observatrice")
    assign_role(program=program_a, person=observer, kind=Role.Kind.OBSERVER)
    login(client, observer)
    assert client.get(url("library", program_a)).status_code == 404
