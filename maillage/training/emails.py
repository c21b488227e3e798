"""Training's e-mail, in the recipient's language (core.emails). A reminder counts as a
follow-up e-mail: the « alertes de suivi » preference governs it, and its link turns it off."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from maillage.core.emails import person_email
from maillage.core.notifications import unsubscribe_headers, unsubscribe_url

from .models import Reminder

TOPIC = "alerts"


def reminder_message(reminder: Reminder) -> EmailMessage:
    module = reminder.assignment.module
    program = module.program
    person = reminder.person

    def context() -> dict[str, Any]:
        return {
            "person": person,
            "module": module,
            "program": program,
            "due_on": reminder.assignment.due_on,
            "link": settings.SITE_URL + reverse("training:my_module", args=[program.pk, module.pk]),
            "account_url": settings.SITE_URL + reverse("core:account") + "#courriels",
            "unsubscribe_url": unsubscribe_url(person, TOPIC),
        }

    email = person_email(person, templates="training/emails/reminder", context=context)
    email.extra_headers.update(unsubscribe_headers(person, TOPIC))
    return email
