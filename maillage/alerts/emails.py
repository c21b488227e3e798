"""The alert e-mail, in the recipient's language, with the evidence and where to act."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from maillage.core.emails import render_text
from maillage.core.notifications import unsubscribe_headers

from .models import AlertRecipient, Kind
from .selectors import action_for

LANGS = {code for code, _name in settings.LANGUAGES}


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def alert_message(delivery: AlertRecipient) -> EmailMessage:
    person = delivery.person
    alert = delivery.alert
    language = person.language if person.language in LANGS else "fr"
    with translation.override(language):
        action = action_for(alert, person=person)
        context = {
            "person": person,
            "alert": alert,
            "program": alert.program,
            "kind": Kind(alert.kind).label,
            "evidence": alert.describe(),
            "action_label": action[0] if action else "",
            "action_url": site_url(action[1]) if action else "",
            "preferences_url": site_url(reverse("alerts:preferences")),
        }
        subject = render_text("alerts/emails/alert_subject.txt", context)
        body = render_text("alerts/emails/alert_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={"Content-Language": language, **unsubscribe_headers(person, "alerts")},
    )
