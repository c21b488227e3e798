from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.core.locking import StaleEdit
from maillage.core.models import AuditEntry
from maillage.programs.services import close_program
from maillage.training import services
from maillage.training.errors import TrainingError
from maillage.training.models import Module
from maillage.training.starter import STARTERS

pytestmark = pytest.mark.django_db


def test_starter_set_has_the_four_modules_with_quizzes():
    titles = {s.title for s in STARTERS}
    assert {
        "Le rôle du mentor",
        "Biais inconscients en mentorat",
        "Fixer des objectifs avec son mentoré",
        "Confidentialité et Loi 25",
    } <= titles
    for s in STARTERS:
        assert s.questions, s.key
        for q in s.questions:
            assert any(ok for _t, ok in q.choices), q.text


def test_copy_starter_copies_the_quiz(program_a, coordinator):
    module = services.copy_starter(program=program_a, key="role-du-mentor", by=coordinator.user)
    assert module.program == program_a
    assert module.starter == "role-du-mentor"
    assert module.questions.count() == 2
    assert module.questions.first().choices.filter(correct=True).exists()


def test_copy_of_unknown_starter_is_refused(program_a, coordinator):
    with pytest.raises(TrainingError):
        services.copy_starter(program=program_a, key="nope", by=coordinator.user)


def test_video_module_needs_its_link(program_a, coordinator):
    with pytest.raises(TrainingError) as caught:
        services.create_module(
            program=program_a, by=coordinator.user, title="Vidéo", summary="R", kind="video"
        )
    assert caught.value.field == "url"


def test_document_module_stores_the_checked_file_under_a_random_name(program_a, coordinator):
    pdf = SimpleUploadedFile("Guide du mentor.pdf", b"%PDF-1.4 contenu", "application/pdf")
    module = services.create_module(
        program=program_a,
        by=coordinator.user,
        title="Guide",
        summary="Le guide",
        kind="document",
        file=pdf,
    )
    assert module.original_name == "Guide du mentor.pdf"
    assert module.file.name.startswith("training/") and "Guide" not in module.file.name
    assert module.file.storage.exists(module.file.name)


def test_a_disguised_file_is_refused(program_a, coordinator):
    fake = SimpleUploadedFile("guide.pdf", b"MZ\x90\x00 executable", "application/pdf")
    with pytest.raises(TrainingError) as caught:
        services.create_module(
            program=program_a,
            by=coordinator.user,
            title="G",
            summary="S",
            kind="document",
            file=fake,
        )
    assert caught.value.field == "file"
    assert not Module.objects.exists()


def test_a_stale_edit_overwrites_nothing(module):
    seen = module.revision
    services.update_module(module=Module.objects.get(pk=module.pk), seen=seen, title="Première")
    with pytest.raises(StaleEdit):
        services.update_module(module=Module.objects.get(pk=module.pk), seen=seen, title="Seconde")
    assert Module.objects.get(pk=module.pk).title == "Première"


def test_archive_takes_it_out_of_the_library_and_is_audited(module):
    services.archive_module(module=module)
    assert not Module.objects.active().exists()
    assert AuditEntry.objects.filter(action="training.archived", object_id=str(module.pk)).exists()
    services.archive_module(module=module, archived=False)
    assert Module.objects.active().exists()


def test_question_needs_two_choices_and_a_right_one(module):
    with pytest.raises(TrainingError):
        services.add_question(module=module, text="Q ?", choices=[("Oui", True)])
    with pytest.raises(TrainingError):
        services.add_question(module=module, text="Q ?", choices=[("Oui", False), ("Non", False)])
    question = services.add_question(
        module=module, text="Q ?", choices=[("Oui", True), ("Non", False), ("", False)]
    )
    assert question.choices.count() == 2


def test_closed_program_is_read_only(program_a, module, coordinator):
    close_program(program=program_a)
    with pytest.raises(TrainingError):
        services.copy_starter(program=program_a, key="role-du-mentor", by=coordinator.user)
    with pytest.raises(TrainingError):
        services.add_question(module=module, text="Q", choices=[("a", True), ("b", False)])


def test_removing_a_question_is_in_the_audit_trail(module):
    question = module.questions.first()
    pk = question.pk
    services.delete_question(question=question)
    assert AuditEntry.objects.filter(
        action="delete", model="training.Question", object_id=str(pk)
    ).exists()
