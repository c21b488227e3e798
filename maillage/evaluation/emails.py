"""E-mails of evaluation, each in the recipient's language, each with a personal link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from maillage.core.emails import render_text
from maillage.core.models import Person
from maillage.programs.models import Role

from .models import LANGS, FinalInterview, Invitation, Quote


def _language(person: Person) -> str:
    return person.language if person.language in LANGS else "fr"


def _coordination(program: Any) -> list[str]:
    return list(
        program.roles.filter(kind=Role.Kind.COORDINATOR)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
        .distinct()[:3]
    )


def _message(person: Person, program: Any, template: str, context: dict[str, Any]) -> EmailMessage:
    language = _language(person)
    with translation.override(language):
        context = {"person": person, "program": program, "language": language, **context}
        subject = render_text(f"evaluation/emails/{template}_subject.txt", context)
        body = render_text(f"evaluation/emails/{template}_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        reply_to=_coordination(program),
        headers={"Content-Language": language},
    )


def invitation_message(invitation: Invitation, *, reminder: bool = False) -> EmailMessage:
    round = invitation.round
    return _message(
        invitation.person,
        round.program,
        "reminder" if reminder else "invitation",
        {
            "invitation": invitation,
            "title": round.questionnaire.title(_language(invitation.person)),
            "link": invitation.get_link_url(),
            "closes_on": round.closes_on,
        },
    )


def interview_message(interview: FinalInterview) -> EmailMessage:
    return _message(
        interview.participant.person,
        interview.program,
        "interview",
        {"interview": interview, "link": interview.get_link_url()},
    )


def interview_corrections_message(interview: FinalInterview) -> EmailMessage:
    return _message(
        interview.interviewer,
        interview.program,
        "interview_corrections",
        {"interview": interview},
    )


def quote_message(quote: Quote) -> EmailMessage:
    person = quote.speaker.person
    language = _language(person)
    return _message(
        person,
        quote.program,
        "quote",
        {"quote": quote, "attribution": quote.attribution(language), "link": quote.get_link_url()},
    )
