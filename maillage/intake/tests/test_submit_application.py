from __future__ import annotations

import pytest

from maillage.intake.errors import IntakeError
from maillage.intake.models import Application, DuplicateReason
from maillage.intake.services import add_question, submit_application
from maillage.programs.services import create_program

pytestmark = pytest.mark.django_db


def submit(form, *, organization: str, email: str, lang: str = "fr", **more: str) -> Application:
    answers = {
        "organization": organization,
        "region": "QC-03",
        "contact_name": "Une personne",
        "email": email,
        "concept": "c",
        "operations": "o",
        "barriers": "b",
        "mentoring_help": "m",
        "revise_processes": "r",
        **more,
    }
    return submit_application(form=form, answers=answers, consent=True, language=lang)


def test_maps_the_answers_to_the_application_columns(interest_form):
    application = submit(interest_form, organization="  La Cuisine  ", email="a@cuisine.example")
    assert application.organization_name == "La Cuisine"
    assert application.email == "a@cuisine.example"
    assert application.region.code == "QC-03"
    assert application.duplicate_of is None


def test_refuses_without_consent(interest_form):
    with pytest.raises(IntakeError) as error:
        submit_application(form=interest_form, answers={}, consent=False, language="fr")
    assert error.value.field == "consent"
    assert Application.objects.count() == 0


def test_refuses_a_missing_required_answer_even_without_the_form(interest_form):
    with pytest.raises(IntakeError) as error:
        submit_application(
            form=interest_form, answers={"organization": "X"}, consent=True, language="fr"
        )
    assert error.value.field == "region"


def test_ignores_answers_to_questions_the_form_does_not_ask(interest_form):
    application = submit(interest_form, organization="X", email="x@x.example")
    other = submit_application(
        form=interest_form,
        answers={**application.answers, "is_admin": "yes"},
        consent=True,
        language="fr",
    )
    assert "is_admin" not in other.answers


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        # Case, accents, punctuation, « inc. », « organisme », elided article.
        ("Frigo Solidaire de Lévis inc.", "FRIGO SOLIDAIRE DE LEVIS", DuplicateReason.SAME_NAME),
        ("L’Organisme Cuisine-Partage", "cuisine partage", DuplicateReason.SAME_NAME),
        (
            "Banque alimentaire, Rimouski",
            "Banque Alimentaire Rimouski Inc",
            DuplicateReason.SAME_NAME,
        ),
    ],
)
def test_flags_the_same_organization_name_written_differently(interest_form, first, second, reason):
    original = submit(interest_form, organization=first, email="a@one.example")
    copy = submit(interest_form, organization=second, email="b@two.example")
    assert copy.duplicate_of == original
    assert copy.duplicate_reason == reason


def test_flags_the_same_email(interest_form):
    original = submit(interest_form, organization="Un nom", email="jeanne@gmail.com")
    copy = submit(interest_form, organization="Tout autre nom", email="Jeanne@Gmail.com")
    assert copy.duplicate_of == original
    assert copy.duplicate_reason == DuplicateReason.SAME_EMAIL


def test_flags_the_same_organization_domain(interest_form):
    original = submit(interest_form, organization="Frigo A", email="direction@frigo.example")
    copy = submit(interest_form, organization="Autre", email="benevoles@FRIGO.example")
    assert copy.duplicate_of == original
    assert copy.duplicate_reason == DuplicateReason.SAME_DOMAIN


def test_two_people_on_a_generic_provider_are_not_duplicates(interest_form):
    submit(interest_form, organization="Frigo A", email="jeanne@gmail.com")
    other = submit(interest_form, organization="Cuisine B", email="paul@gmail.com")
    assert other.duplicate_of is None


def test_a_third_copy_points_at_the_first_application(interest_form):
    first = submit(interest_form, organization="Frigo A", email="a@frigo.example")
    submit(interest_form, organization="Frigo A inc.", email="b@gmail.com")
    third = submit(interest_form, organization="frigo a", email="c@hotmail.com")
    assert third.duplicate_of == first


def test_the_same_organization_in_another_program_is_not_a_duplicate(interest_form, outsider):
    submit(interest_form, organization="Frigo A", email="a@frigo.example")
    program_b = create_program(by=None, title="Programme C", theme="Autre")
    other = submit(program_b.forms.get(), organization="Frigo A", email="a@frigo.example")
    assert other.duplicate_of is None


def test_a_closed_form_refuses(interest_form):
    interest_form.is_open = False
    interest_form.save()
    with pytest.raises(IntakeError):
        submit(interest_form, organization="X", email="x@x.example")


@pytest.mark.parametrize("answer", ["Communautaire", "community", "communautaire"])
def test_a_question_mapped_to_the_sector_fills_the_applications_sector(interest_form, answer):
    add_question(
        form=interest_form, kind="short_text", label_fr="Secteur", maps_to="sector", key="sector"
    )
    application = submit(interest_form, organization="Org", email="s@org.example", sector=answer)
    assert application.sector.code == "communautaire"
    assert application.answers["sector"] == answer
