"""Writes of the privacy app: the requests and incident registers, the retention job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record
from maillage.core.models import Person

from . import erasure, retention
from .errors import PrivacyError
from .models import DestructionLog, Incident, PrivacyRequest


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


@dataclass
class RetentionOutcome:
    """One rule's result in a run: how many rows were (or, in a dry run, would be) destroyed
    or anonymized."""

    rule: retention.Rule
    count: int


def apply_retention(
    *, today: date | None = None, dry_run: bool = False, by: Any = None
) -> list[RetentionOutcome]:
    """Every retention rule applied to what is past due on `today`, each in its own
    transaction, with one line in the destruction log per rule that touched something. A dry
    run counts and changes nothing. A second run the same day finds nothing more."""
    today = today or timezone.localdate()
    outcomes = []
    for rule in retention.RULES:
        cutoff = rule.cutoff(today)
        if dry_run:
            outcomes.append(RetentionOutcome(rule, rule.count_due(cutoff)))
            continue
        with acting_as(by), transaction.atomic():
            count = rule.apply(rule.due(cutoff))
            if count:
                log_destruction(rule=rule.key, action=rule.action, count=count, by=by)
        outcomes.append(RetentionOutcome(rule, count))
    return outcomes


def log_destruction(
    *, rule: str, action: str, count: int, by: Any = None, request: PrivacyRequest | None = None
) -> DestructionLog:
    entry = DestructionLog(
        rule=rule,
        action=action,
        count=count,
        by=by if getattr(by, "is_authenticated", False) else None,
        request=request,
    )
    with acting_as(by):
        entry.save()
    return entry


def erase_person_for_request(*, item: PrivacyRequest, by: Any) -> DestructionLog:
    """The officer answers a deletion request: the person is anonymized now (the same erasure
    as the retention job's), and the destruction log names the request and the officer."""
    if item.kind != PrivacyRequest.Kind.DELETION:
        raise PrivacyError(_("Seule une demande de suppression efface une personne."))
    with acting_as(by), transaction.atomic():
        item = PrivacyRequest.objects.select_for_update().get(pk=item.pk)
        person = item.person
        if person is None or person.anonymized_at is not None:
            raise PrivacyError(_("Les renseignements de cette personne sont déjà effacés."))
        erasure.anonymize_person(person, by=by)
        return log_destruction(
            rule=erasure.DELETION_REQUEST,
            action=DestructionLog.Action.ANONYMIZE,
            count=1,
            by=by,
            request=item,
        )
