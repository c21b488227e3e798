from __future__ import annotations

import pytest
from django.utils import translation

from maillage.intake.models import Application
from maillage.intake.selectors import answers_for_display
from maillage.intake.services import add_question, delete_question, move_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(program_a, interest_form) -> Application:
    add_question(
        form=interest_form,
        kind="multiple",
        key="tracks",
        label_fr="Volets",
        label_en="Tracks",
        choices=[
            {"value": "logistique", "fr": "Logistique", "en": "Logistics"},
            {"value": "synergies", "fr": "Synergies", "en": "Synergies"},
        ],
    )
    add_question(
        form=interest_form,
        kind="yes_no",
        key="before",
        label_fr="Déjà mentoré ?",
        label_en="Mentored before?",
    )
    return Application.objects.create(
        program=program_a,
        form=interest_form,
        answers={
            "organization": "Frigo A",
            "region": "QC-03",
            "concept": "Un concept",
            "tracks": ["logistique", "synergies"],
            "before": "yes",
            "old_question": "Vieux",
        },
    )


def test_follows_the_form_order_in_french(application, interest_form):
    with translation.override("fr"):
        rows = answers_for_display(application)
    labels = [label for label, _ in rows]
    expected = [q.label_fr for q in interest_form.questions.all()]
    assert labels[: len(expected)] == expected
    values = dict(rows)
    assert values["Nom de votre organisme"] == "Frigo A"
    assert values["Région administrative de votre organisme"] == "Capitale-Nationale"
    assert values["Volets"] == "Logistique, Synergies"
    assert values["Déjà mentoré ?"] == "Oui"
    assert values["Quel poste occupe cette personne ?"] == "—"


def test_speaks_english_when_the_page_does(application):
    with translation.override("en"):
        values = dict(answers_for_display(application))
    assert values["Name of your organization"] == "Frigo A"
    assert values["Tracks"] == "Logistics, Synergies"
    assert "Mentored before?" in values


def test_follows_a_new_order(application, interest_form):
    move_question(question=interest_form.questions.get(key="concept"), direction="up", by=None)
    with translation.override("fr"):
        labels = [label for label, _ in answers_for_display(application)]
    concept = interest_form.questions.get(key="concept").label_fr
    position = interest_form.questions.get(key="position").label_fr
    assert labels.index(concept) < labels.index(position)


def test_answers_to_deleted_questions_are_kept_at_the_end(application, interest_form):
    delete_question(question=interest_form.questions.get(key="concept"))
    with translation.override("fr"):
        rows = answers_for_display(application)
    assert rows[-2:] == [("Concept", "Un concept"), ("Old question", "Vieux")]
