"""Plain-text e-mails arrive as written: never HTML-escaped (« d&#x27;entraide &amp; Cie »)."""

from __future__ import annotations

import pytest

from maillage.conftest import make_person
from maillage.core.emails import invitation_message
from maillage.intake.emails import confirmation_message
from maillage.intake.models import Application
from maillage.programs.models import Role
from maillage.programs.services import assign_role

pytestmark = pytest.mark.django_db

TITLE = "Cuisine d'entraide & Cie <Québec>"


def _clean(text: str) -> None:
    assert TITLE in text
    for escaped in ("&amp;", "&#x27;", "&#39;", "&lt;", "&gt;", "&quot;"):
        assert escaped not in text


def test_the_applicant_confirmation_keeps_the_programs_title(program_a):
    program_a.title = TITLE
    program_a.save(update_fields=["title"])
    application = Application.objects.create(
        program=program_a,
        form=program_a.forms.first(),
        email="jeanne@exemple.org",
        answers={"organization": TITLE},
    )
    message = confirmation_message(application)
    _clean(message.subject)
    _clean(message.body)


def test_the_account_invitation_keeps_the_programs_title(program_a, coordinator):
    program_a.title = TITLE
    program_a.save(update_fields=["title"])
    person = make_person("Nora", "Nouvelle", user=False)
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTOR)
    from maillage.core.services import invite_person

    invite_person(person=person, by=coordinator.user, program=program_a)
    person.refresh_from_db()
    message = invitation_message(person, program_id=program_a.pk)
    _clean(message.subject)
    _clean(message.body)


def test_the_text_engine_never_escapes_and_pages_still_do():
    from django.template import engines

    assert engines["text"].from_string("{{ x }}").render({"x": TITLE}) == TITLE
    assert engines["django"].from_string("{{ x }}").render({"x": TITLE}) != TITLE
