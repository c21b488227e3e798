"""The invitation to take a role in a network, in the invited person's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from maillage.core.emails import person_email

from .models import NetworkInvitation


def network_invitation_message(invitation: NetworkInvitation) -> EmailMessage:
    inviter = getattr(invitation.created_by, "person", None) if invitation.created_by else None
    return person_email(
        invitation.person,
        templates="measurement/emails/join",
        context=lambda: {
            "person": invitation.person,
            "network": invitation.network,
            "inviter": inviter,
            "roles": ", ".join(str(r.get_kind_display()) for r in invitation.offered_roles()),
            "link": settings.SITE_URL
            + reverse("measurement:invitation", args=[invitation.token()]),
        },
    )
