"""E-mails of recruiting, written in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from maillage.core.emails import render_text
from maillage.core.i18n import localized
from maillage.programs.models import Role

from .models import Application
from .selectors import answers_for_display


def coordination_emails(application: Application) -> list[str]:
    """Where an applicant writes to see, correct or withdraw their information."""
    return list(
        application.program.roles.filter(kind=Role.Kind.COORDINATOR)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
        .distinct()
    )


def confirmation_message(application: Application) -> EmailMessage:
    language = application.language or "fr"
    with translation.override(language):
        form = application.form
        context = {
            "application": application,
            "program": application.program,
            "answers": answers_for_display(application),
            "purpose": localized(form, "purpose", language) if form else "",
            "coordination": coordination_emails(application),
        }
        subject = render_text("intake/emails/confirmation_subject.txt", context)
        body = render_text("intake/emails/confirmation_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[application.email],
        reply_to=context["coordination"][:3],
        # Mail clients and screen readers use it to pick the reading voice.
        headers={"Content-Language": language},
    )
