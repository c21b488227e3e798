"""Background work for selection: telling applicants of the decision, in their language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from maillage.core.emails import render_text
from maillage.programs.models import Role

from .models import Decision


def decision_message(decision: Decision) -> EmailMessage:
    """The notice for this decision, written in the language the applicant applied in.

    The bodies are whole templates per language (`<outcome>.<lang>.txt`) rather than strings
    in the catalogue: a letter reads better written than assembled, and a coordinator can
    reword one without touching the other language.
    """
    application = decision.application
    program = application.program
    lang = application.language if application.language in ("fr", "en") else "fr"
    coordinators = list(
        program.roles.filter(kind=Role.Kind.COORDINATOR)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    context = {
        "decision": decision,
        "application": application,
        "program": program,
        "name": application.contact_name or application.organization_name,
        "include_reason": decision.share_reason and decision.outcome == Decision.Outcome.DECLINED,
        "reply_to": coordinators,
        # A selected mentee completes her own matching profile before the groups are formed.
        "profile_url": settings.SITE_URL + reverse("programs:my_profile", args=[program.pk]),
    }
    with translation.override(lang):
        subject = render_text(f"selection/emails/subject.{lang}.txt", context)
        body = render_text(f"selection/emails/{decision.outcome}.{lang}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[application.email],
        reply_to=coordinators,
    )


@task()
def send_decision_notice(decision_id: int) -> bool:
    """Send the notice unless the applicant already heard of this very decision.

    Checked again here, under a row lock, because two clicks can queue two tasks.
    """
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application__program", "track")
            .filter(pk=decision_id)
            .first()
        )
        if decision is None or not decision.needs_notice() or not decision.application.email:
            return False
        decision_message(decision).send()
        decision.notified_at = timezone.now()
        decision.notified_outcome = decision.outcome
        decision.save(update_fields=["notified_at", "notified_outcome"])
    return True
