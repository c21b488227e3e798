"""E-mails of a submission's steps, each in its recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from maillage.core.emails import person_email
from maillage.programs.models import Role

from .models import Submission


def notice_messages(submission: Submission, what: str) -> list[EmailMessage]:
    dossier = submission.dossier
    program = dossier.program
    if what == "submitted":
        people = [submission.assessor.person]
        link = reverse("accreditation:review", args=[submission.pk])
    else:
        people = [
            role.person
            for role in program.roles.filter(kind=Role.Kind.COORDINATOR).select_related("person")
        ]
        link = reverse("accreditation:dossier", args=[program.pk, dossier.pk])
    return [
        person_email(
            person,
            templates=f"accreditation/emails/{what}",
            context=lambda person=person: {
                "person": person,
                "program": program,
                "part": dossier.get_part(),
                "framework": dossier.get_framework(),
                "submission": submission,
                "link": settings.SITE_URL + link,
            },
        )
        for person in people
        if person.email
    ]
