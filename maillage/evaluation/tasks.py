"""Background work of evaluation. Each task claims its row with a conditional update before
sending, so that a retried task or a second scheduler run never sends twice."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import emails
from .models import FinalInterview, Invitation, Quote


@task()
def send_invitation(*, invitation_id: int) -> bool:
    claimed = Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("round__program", "person").get(pk=invitation_id)
    emails.invitation_message(invitation).send()
    return True


@task()
def send_reminder(*, invitation_id: int) -> bool:
    claimed = Invitation.objects.filter(
        pk=invitation_id, reminded_at__isnull=True, submitted_at__isnull=True
    ).update(reminded_at=timezone.now())
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("round__program", "person").get(pk=invitation_id)
    emails.invitation_message(invitation, reminder=True).send()
    return True


@task()
def send_interview_request(*, interview_id: int) -> bool:
    interview = FinalInterview.objects.filter(
        pk=interview_id, status=FinalInterview.Status.SENT
    ).first()
    if interview is None:
        return False
    emails.interview_message(interview).send()
    return True


@task()
def send_interview_corrections(*, interview_id: int) -> bool:
    interview = FinalInterview.objects.filter(pk=interview_id).first()
    if interview is None or not interview.interviewer.email:
        return False
    emails.interview_corrections_message(interview).send()
    return True


@task()
def send_quote_request(*, quote_id: int) -> bool:
    quote = Quote.objects.filter(pk=quote_id, status=Quote.Status.REQUESTED).first()
    if quote is None:
        return False
    emails.quote_message(quote).send()
    return True
