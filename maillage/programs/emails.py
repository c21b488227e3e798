"""The invitation to join a program, in the invited person's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from maillage.core.emails import person_email
from maillage.core.models import Person

from .models import Program, ProgramInvitation


def join_invitation_message(invitation: ProgramInvitation) -> EmailMessage:
    inviter = getattr(invitation.created_by, "person", None) if invitation.created_by else None
    return person_email(
        invitation.person,
        templates="programs/emails/join",
        context=lambda: {
            "person": invitation.person,
            "program": invitation.program,
            "inviter": inviter,
            "roles": ", ".join(str(r.get_kind_display()) for r in invitation.offered_roles()),
            "link": settings.SITE_URL + reverse("programs:invitation", args=[invitation.token()]),
        },
    )


def consent_request_message(person: Person, program: Program) -> EmailMessage:
    from .services import consent_token

    return person_email(
        person,
        templates="programs/emails/consent",
        context=lambda: {
            "person": person,
            "program": program,
            "link": settings.SITE_URL
            + reverse("programs:consent", args=[consent_token(person, program)]),
        },
    )
