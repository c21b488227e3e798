"""Writes for recruiting: interest forms, applications, potential mentors."""

from __future__ import annotations

from django.db import transaction

from maillage.programs.models import Program

from .defaults import CONSENT_EN, CONSENT_FR, PILOT_QUESTIONS, PURPOSE_EN, PURPOSE_FR
from .models import InterestForm, Question


@transaction.atomic
def create_default_form(*, program: Program) -> InterestForm:
    """The pilot's interest form (seed 000, Annexe), ready to publish or edit."""
    form = InterestForm.objects.create(
        program=program,
        audience=InterestForm.Audience.MENTEE,
        title_fr=f"Formulaire de communication d’intérêt — {program.title}",
        title_en=f"Expression of interest — {program.title}",
        intro_fr=(
            f"Ce formulaire s’adresse aux organismes qui souhaitent être mentorés dans le cadre "
            f"du programme « {program.title} » ({program.theme})."
        ),
        intro_en=(
            f"This form is for organizations that wish to be mentored in the program "
            f"“{program.title}” ({program.theme})."
        ),
        purpose_fr=PURPOSE_FR,
        purpose_en=PURPOSE_EN,
        consent_fr=CONSENT_FR,
        consent_en=CONSENT_EN,
    )
    Question.objects.bulk_create(
        Question(
            form=form, order=order, key=key, kind=kind, required=required, maps_to=maps_to,
            label_fr=label_fr, label_en=label_en, help_fr=help_fr, help_en=help_en,
        )
        for order, (key, kind, required, maps_to, label_fr, label_en, help_fr, help_en) in enumerate(
            PILOT_QUESTIONS
        )
    )
    return form
