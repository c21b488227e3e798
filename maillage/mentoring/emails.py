"""E-mails of mentoring, each in its recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from maillage.core.emails import person_email
from maillage.core.models import Person
from maillage.core.notifications import unsubscribe_headers, unsubscribe_url

from . import calendar
from .models import GroupMessage, Meeting, UpdateMessage


def _message(person: Person, subject: str, body: str) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={"Content-Language": person.language or "fr"},
    )


def group_link(group) -> str:  # noqa: ANN001 - a Group
    return settings.SITE_URL + reverse("mentoring:group", args=[group.program_id, group.pk])


def meeting_invitation(meeting: Meeting, person: Person, method: str) -> EmailMessage:
    """The invitation (or cancellation) with its .ics attached as text/calendar; method=…"""
    language = person.language or "fr"
    with translation.override(language):
        if method == "CANCEL":
            subject = _("Rencontre annulée : %(title)s") % {"title": calendar.summary(meeting)}
        elif meeting.sequence:
            subject = _("Rencontre modifiée : %(title)s") % {"title": calendar.summary(meeting)}
        else:
            subject = _("Invitation : %(title)s") % {"title": calendar.summary(meeting)}
        body = render_to_string(
            "mentoring/emails/invitation.txt",
            {
                "person": person,
                "meeting": meeting,
                "method": method,
                "link": group_link(meeting.group),
            },
        )
        message = _message(person, subject, body)
    calendar.attach(
        message,
        calendar.invitation(meeting, method, language),
        method=method,
        filename="invitation.ics",
    )
    return message


def update_notice(update: UpdateMessage, person: Person) -> EmailMessage:
    with translation.override(person.language or "fr"):
        subject = _("Nouveau message de suivi dans %(group)s") % {"group": update.group}
        body = render_to_string(
            "mentoring/emails/update.txt",
            {"person": person, "update": update, "link": group_link(update.group)},
        )
        return _message(person, subject, body)


def messages_link(group) -> str:  # noqa: ANN001 - a Group
    path = reverse("mentoring:messages", args=[group.program_id, group.pk])
    return f"{settings.SITE_URL}{path}#dernier"


def message_notice(message: GroupMessage, person: Person) -> EmailMessage:
    """« Nouveau message de X dans votre groupe », with the link: never the message's text,
    which is confidential to the group (an e-mail is forwarded, printed, read over a
    shoulder)."""
    group = message.group

    def context() -> dict:
        return {
            "person": person,
            "author": message.author,
            "group": group,
            "program": group.program,
            "link": messages_link(group),
            "account_url": settings.SITE_URL + reverse("core:account") + "#courriels",
            "unsubscribe_url": unsubscribe_url(person, "messages"),
        }

    email = person_email(person, templates="mentoring/emails/message", context=context)
    email.extra_headers.update(unsubscribe_headers(person, "messages"))
    return email
