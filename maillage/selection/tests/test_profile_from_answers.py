"""Questions of the interest form mapped to the matching profile: checked when written, copied
to the person's profile when she is selected, never over what is already there."""

from __future__ import annotations

import pytest

from maillage.core.models import Person
from maillage.intake.errors import IntakeError
from maillage.intake.services import add_question
from maillage.programs.services import assign_role
from maillage.selection.services import decide_application

from .conftest import make_application

pytestmark = pytest.mark.django_db

LANGS = [{"value": "fr", "fr": "Français"}, {"value": "en", "fr": "Anglais"}]
SLOTS = [{"value": "mon-am", "fr": "Lundi matin"}, {"value": "tue-pm", "fr": "Mardi après-midi"}]
STYLES = [{"value": "structured", "fr": "Structuré"}, {"value": "intuitive", "fr": "Intuitif"}]


@pytest.fixture
def form(program_a):
    form = program_a.forms.first()
    add_question(
        form=form,
        kind="multiple",
        label_fr="Langues",
        choices=LANGS,
        maps_to="languages",
        key="langues",
    )
    add_question(
        form=form,
        kind="multiple",
        label_fr="Disponibilités",
        choices=SLOTS,
        maps_to="availability",
        key="dispos",
    )
    add_question(
        form=form,
        kind="choice",
        label_fr="Style",
        choices=STYLES,
        maps_to="working_style",
        key="style",
    )
    add_question(form=form, kind="short_text", label_fr="Poste", maps_to="position", key="poste")
    return form


def test_selection_copies_the_answers_to_the_profile(program_a, form):
    application = make_application(program_a)
    application.answers |= {
        "langues": ["fr", "en"],
        "dispos": ["tue-pm"],
        "style": "intuitive",
        "poste": "Directrice",
    }
    application.save()
    decide_application(application=application, outcome="selected", reason="Oui.", by=None)
    person = Person.objects.get(email=application.email)
    assert person.languages == ["fr", "en"]
    assert person.availability == ["tue-pm"]
    assert (person.working_style, person.position) == ("intuitive", "Directrice")


def test_what_the_profile_holds_comes_first(program_a, form):
    known = Person.objects.create(
        first_name="Rosalie",
        last_name="Tremblay",
        email="contact@cuisine.example",
        availability=["mon-am"],
    )
    # Someone the program knows already (its committee): her own record is the one used.
    assign_role(program=program_a, person=known, kind="committee")
    application = make_application(program_a)
    application.answers |= {"dispos": ["tue-pm"], "style": "structured"}
    application.save()
    decide_application(application=application, outcome="selected", reason="Oui.", by=None)
    person = Person.objects.get(email=application.email)
    assert person.availability == ["mon-am"]
    assert person.working_style == "structured"


def test_a_profile_question_must_offer_the_codes_matching_compares(program_a):
    form = program_a.forms.first()
    with pytest.raises(IntakeError, match="Style de travail"):
        add_question(form=form, kind="short_text", label_fr="Style", maps_to="working_style")
    with pytest.raises(IntakeError, match="mon-am"):
        add_question(
            form=form,
            kind="multiple",
            label_fr="Dispos",
            maps_to="availability",
            choices=[{"value": "matin", "fr": "Matin"}, {"value": "soir", "fr": "Soir"}],
        )
