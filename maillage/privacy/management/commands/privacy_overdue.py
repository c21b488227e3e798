"""The daily check of the requests register: lists the requests past their 30 days and
e-mails the person in charge (settings.PRIVACY_OFFICER_EMAIL) when there is any. Run it daily
(cron, systemd timer); exit code 1 when something is overdue, so a monitor sees it too."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from maillage.privacy.models import PrivacyRequest


class Command(BaseCommand):
    help = "Requests of the privacy register past their 30-day delay."

    def handle(self, *args, **options) -> None:
        late = list(PrivacyRequest.objects.overdue())
        for item in late:
            self.stdout.write(f"{item.pk}\t{item.due_on}\t{item.kind}\t{item.requester_email}")
        if late and settings.PRIVACY_OFFICER_EMAIL:
            send_mail(
                subject=f"Maillage : {len(late)} demande(s) en retard au registre",
                message="\n".join(
                    f"- {item.get_kind_display()}, {item.requester_name}, due le {item.due_on}"
                    for item in late
                )
                + f"\n\n{settings.SITE_URL}/confidentialite/registre/",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[settings.PRIVACY_OFFICER_EMAIL],
            )
        if late:
            raise SystemExit(1)
