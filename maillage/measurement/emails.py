"""The invitation to take a role in a network, in the invited person's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import NetworkInvitation


def network_invitation_message(invitation: NetworkInvitation) -> EmailMessage:
    person = invitation.person
    langs = {code for code, _name in settings.LANGUAGES}
    language = person.language if person.language in langs else "fr"
    inviter = getattr(invitation.created_by, "person", None) if invitation.created_by else None
    with translation.override(language):
        context = {
            "person": person,
            "network": invitation.network,
            "inviter": inviter,
            "roles": ", ".join(str(r.get_kind_display()) for r in invitation.offered_roles()),
            "link": settings.SITE_URL
            + reverse("measurement:invitation", args=[invitation.token()]),
        }
        subject = render_to_string("measurement/emails/join_subject.txt", context)
        body = render_to_string("measurement/emails/join_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={"Content-Language": language},
    )
