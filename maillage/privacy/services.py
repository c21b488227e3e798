"""Writes of the privacy app: the requests register."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record
from maillage.core.models import Person

from .errors import PrivacyError
from .models import Incident, PrivacyRequest


def file_request(*, person: Person, kind: str, details: str, by: Any) -> PrivacyRequest:
    """A person asks for access, rectification, deletion or a portable copy; due in 30 days."""
    if kind not in PrivacyRequest.Kind.values:
        raise PrivacyError(_("Choisissez le type de demande."), field="kind")
    details = (details or "").strip()
    if kind == PrivacyRequest.Kind.RECTIFICATION and not details:
        raise PrivacyError(_("Dites ce qui est inexact et ce qu’il faut écrire."), field="details")
    with acting_as(by), transaction.atomic():
        # A double click files one request: the same one, still open, from the same minute.
        same = PrivacyRequest.objects.open().filter(
            person=person,
            kind=kind,
            details=details,
            filed_at__gte=timezone.now() - timezone.timedelta(minutes=1),
        )
        if existing := same.first():
            return existing
        item = PrivacyRequest(
            person=person,
            requester_name=person.full_name[:200],
            requester_email=person.email,
            kind=kind,
            details=details,
        )
        PrivacyError.check(item, exclude=["due_on"])
        item.save()
        record(action="privacy_request.filed", instance=item, changes={"kind": kind})
    return item


def answer_request(*, item: PrivacyRequest, status: str, answer: str, by: Any) -> PrivacyRequest:
    """The officer moves a request on; an answer or a refusal needs its words."""
    if status not in PrivacyRequest.Status.values:
        raise PrivacyError(_("Choisissez un statut."), field="status")
    answer = (answer or "").strip()
    closing = status in (PrivacyRequest.Status.ANSWERED, PrivacyRequest.Status.REFUSED)
    if closing and not answer:
        raise PrivacyError(
            _("Écrivez la réponse donnée (ou les motifs du refus) : elle reste au registre."),
            field="answer",
        )
    with acting_as(by), transaction.atomic():
        item = PrivacyRequest.objects.select_for_update().get(pk=item.pk)
        item.status, item.answer, item.handled_by = status, answer, by
        item.answered_at = timezone.now() if closing else None
        item.save()
        record(action=f"privacy_request.{status}", instance=item, changes={"status": status})
    return item


def record_incident(*, by: Any, **fields: Any) -> Incident:
    """Enter a confidentiality incident in the register."""
    incident = Incident(
        recorded_by=by if getattr(by, "is_authenticated", False) else None, **fields
    )
    if incident.discovered_on and incident.discovered_on > timezone.localdate():
        raise PrivacyError(_("La découverte ne peut être dans le futur."), field="discovered_on")
    with acting_as(by), transaction.atomic():
        PrivacyError.check(incident)
        incident.save()
        record(action="incident.recorded", instance=incident, changes={"risk": incident.risk})
    return incident


def update_incident(*, incident: Incident, by: Any, **fields: Any) -> Incident:
    with acting_as(by), transaction.atomic():
        for name, value in fields.items():
            setattr(incident, name, value)
        PrivacyError.check(incident)
        incident.save()
    return incident


def delete_incident(*, incident: Incident, by: Any) -> None:
    """Refused before five years (`Incident.delete` refuses too, for the admin and a shell)."""
    if not incident.may_be_deleted():
        raise PrivacyError(
            _("Un incident se garde cinq ans : il ne peut être supprimé avant le %(day)s.")
            % {"day": incident.deletable_from().isoformat()}
        )
    with acting_as(by):
        incident.delete()
