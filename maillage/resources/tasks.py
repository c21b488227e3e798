"""E-mails of usage agreements: « your turn to sign », « in force »."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from maillage.core.emails import person_email
from maillage.core.models import Person

from .models import Agreement


@task()
def send_agreement_mail(*, agreement_id: int, person_id: int, what: str) -> bool:
    agreement = (
        Agreement.objects.select_related("lender__organization", "borrower__organization")
        .filter(pk=agreement_id)
        .first()
    )
    person = Person.objects.filter(pk=person_id).first()
    if agreement is None or person is None or not person.email:
        return False
    link = settings.SITE_URL + reverse(
        "resources:agreement", args=[agreement.network_id, agreement.pk]
    )
    person_email(
        person,
        templates=f"resources/emails/{what}",
        context=lambda: {"person": person, "agreement": agreement, "link": link},
    ).send()
    return True
