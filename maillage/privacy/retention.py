"""How long each kind of personal data is kept, and what happens once its purpose is served
(Law 25, s. 23: destroy or anonymize). One table of rules: the kind of data, the event the
period starts from, the period, the action. A rule's period can be changed with the setting
`MAILLAGE_RETENTION_<KEY>` (days, e.g. MAILLAGE_RETENTION_PEOPLE=1825); the privacy page and
the officer's page show them in words.

Each rule finds what is past due (`due`, a queryset) and erases or anonymizes it (`apply`,
returning how many rows it touched). Both are written so that a second run finds nothing more:
anonymized rows no longer match `due`. The incident register is not here: the regulation keeps
it five years and `Incident` refuses an earlier deletion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from maillage.core.models import AuditEntry, Person
from maillage.evaluation.models import FinalInterview, Invitation, ObserverNote
from maillage.intake.models import Application
from maillage.measurement.models import NetworkInvitation, NetworkRole
from maillage.mentoring.models import MeetingNote
from maillage.programs.models import Program, ProgramInvitation, Role

from . import erasure
from .models import DestructionLog

ERASE, ANONYMIZE = DestructionLog.Action.ERASE, DestructionLog.Action.ANONYMIZE


@dataclass(frozen=True)
class Rule:
    key: str
    kind: Any  # the kind of data, in words
    starts: Any  # the event the period starts from, in words
    default_days: int
    action: str
    due: Callable[[datetime], QuerySet]  # given the cut-off moment (now minus the period)
    apply: Callable[[QuerySet], int]
    # How many rows `apply` would touch, when `due` finds containers (programs) instead.
    count: Callable[[Any], int] | None = None

    def count_due(self, cutoff: datetime) -> int:
        found = self.due(cutoff)
        return self.count(found) if self.count else found.count()

    @property
    def days(self) -> int:
        overrides = getattr(settings, "MAILLAGE_RETENTION", {}) or {}
        return int(overrides.get(self.key, self.default_days))

    def setting(self) -> str:
        return f"MAILLAGE_RETENTION_{self.key.upper()}"

    def cutoff(self, today: date) -> datetime:
        """Data whose period started before this moment is past due (so that a rule of 30 days
        applied on 31 March takes what started before 1 March, and nothing of 1 March)."""
        start = timezone.make_aware(datetime.combine(today, time.min))
        return start - timedelta(days=self.days)

    def period_words(self) -> str:
        return period_words(self.days)

    def action_label(self) -> str:
        return str(DestructionLog.Action(self.action).label)


def period_words(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    if days % 30 == 0 and days >= 60:  # « 30 jours » says the law's kind of delay better
        months = days // 30
        return ngettext("%(n)d mois", "%(n)d mois", months) % {"n": months}
    return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}


def _closed_before(cutoff: datetime, prefix: str = "") -> Q:
    """Programs closed before `cutoff`. A program closed before the closing date existed (or
    through the demo) counts from its last change."""
    return Q(**{f"{prefix}status": Program.Status.CLOSED}) & (
        Q(**{f"{prefix}closed_at__lt": cutoff})
        | Q(**{f"{prefix}closed_at__isnull": True, f"{prefix}updated_at__lt": cutoff})
    )


# --- What each rule finds -------------------------------------------------------------------


def unconfirmed_submissions(cutoff: datetime) -> QuerySet:
    """Answers to the public form that nobody ever confirmed nor took up: no confirmation went
    out (refused by the rate limit, or no address), no person, no review, no decision."""
    return Application.objects.filter(
        form__isnull=False,
        status=Application.Status.RECEIVED,
        confirmation_sent_at__isnull=True,
        person__isnull=True,
        submitted_at__lt=cutoff,
        reviews__isnull=True,
        decision__isnull=True,
    )


_NOT_ANONYMIZED = ~Q(contact_name="", email="", phone="", organization_name="", answers={})


def applications_not_retained(cutoff: datetime) -> QuerySet:
    """Declined or withdrawn, counted from the decision (or the withdrawal's last change)."""
    started = Coalesce("decision__decided_at", "updated_at")
    return (
        Application.objects.filter(
            status__in=[Application.Status.DECLINED, Application.Status.WITHDRAWN]
        )
        .filter(_NOT_ANONYMIZED)
        .alias(started=started)
        .filter(started__lt=cutoff)
    )


def applications_left_pending(cutoff: datetime) -> QuerySet:
    """Never decided (received, in review, waiting list) when their program closed."""
    return (
        Application.objects.filter(
            status__in=[
                Application.Status.RECEIVED,
                Application.Status.IN_REVIEW,
                Application.Status.WAITLISTED,
            ]
        )
        .filter(_closed_before(cutoff, "program__"))
        .filter(_NOT_ANONYMIZED)
    )


def interview_and_confidential_notes(cutoff: datetime) -> QuerySet:
    """Final interviews still holding their texts, in programs closed before `cutoff`; the
    observers' and meetings' notes of those programs go with them (see `erasure`)."""
    texts = ~Q(
        learning="", objectives="", appreciation="", recommendations="", participant_comment=""
    )
    return Program.objects.filter(_closed_before(cutoff)).filter(
        Exists(FinalInterview.objects.filter(texts, program=OuterRef("pk")))
        | Exists(ObserverNote.objects.filter(program=OuterRef("pk")))
        | Exists(MeetingNote.objects.filter(meeting__group__program=OuterRef("pk")))
    )


def questionnaire_answers(cutoff: datetime) -> QuerySet:
    """Invitations to answer still naming their person, in programs closed before `cutoff`."""
    return Invitation.objects.filter(person__isnull=False).filter(
        _closed_before(cutoff, "round__program__")
    )


def expired_invitations(cutoff: datetime) -> list[QuerySet]:
    """Invitations to join a program or a network never answered, whose link expired before
    `cutoff`. (Consent links are signed with a lifetime and stored nowhere: nothing to erase.)"""
    expired = cutoff - timedelta(seconds=ProgramInvitation.LIFETIME)
    return [
        ProgramInvitation.objects.pending().filter(created_at__lt=expired),
        NetworkInvitation.objects.filter(
            status=NetworkInvitation.Status.PENDING, created_at__lt=expired
        ),
    ]


def people_of_closed_programs(cutoff: datetime) -> QuerySet:
    """People whose every program closed before `cutoff` and who have not signed in since.
    Administrators, staff accounts and network staff are left: their work is not one
    program's."""
    still = Role.objects.filter(person=OuterRef("pk")).exclude(_closed_before(cutoff, "program__"))
    return (
        Person.objects.filter(anonymized_at__isnull=True)
        .filter(Exists(Role.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(still))
        .exclude(Exists(NetworkRole.objects.filter(person=OuterRef("pk"))))
        .exclude(Q(user__is_superuser=True) | Q(user__is_staff=True))
        # Someone who still signs in still uses Maillage (a coordinator between editions).
        .exclude(user__last_login__gte=cutoff)
    )


def audit_entries(cutoff: datetime) -> QuerySet:
    return AuditEntry.objects.filter(at__lt=cutoff)


class _Several:
    """Several querysets counted and applied as one (the two kinds of join invitations)."""

    def __init__(self, parts: list[QuerySet]) -> None:
        self.parts = parts

    def count(self) -> int:
        return sum(part.count() for part in self.parts)


def _expired_invitations(cutoff: datetime) -> Any:
    return _Several(expired_invitations(cutoff))


def _delete_all(several: Any) -> int:
    return sum(part.delete()[1].get(part.model._meta.label, 0) for part in several.parts)


RULES: list[Rule] = [
    Rule(
        key="unconfirmed_submissions",
        kind=_("Réponses au formulaire public jamais confirmées ni traitées"),
        starts=_("la réception"),
        default_days=30,
        action=ERASE,
        due=unconfirmed_submissions,
        apply=erasure.delete_applications,
    ),
    Rule(
        key="applications_not_retained",
        kind=_("Candidatures non retenues ou retirées"),
        starts=_("la décision (ou le retrait)"),
        default_days=365,
        action=ANONYMIZE,
        due=applications_not_retained,
        apply=erasure.anonymize_applications,
    ),
    Rule(
        key="applications_left_pending",
        kind=_("Candidatures restées sans décision"),
        starts=_("la fin du programme"),
        default_days=365,
        action=ANONYMIZE,
        due=applications_left_pending,
        apply=erasure.anonymize_applications,
    ),
    Rule(
        key="interview_notes",
        kind=_("Notes d’entrevue, d’observation et de rencontre (confidentielles)"),
        starts=_("la fin du programme"),
        default_days=730,
        action=ERASE,
        due=interview_and_confidential_notes,
        apply=erasure.erase_program_notes,
        count=erasure.count_program_notes,
    ),
    Rule(
        key="questionnaire_answers",
        kind=_("Réponses aux questionnaires (gardées en chiffres anonymes pour le rapport)"),
        starts=_("la fin du programme"),
        default_days=730,
        action=ANONYMIZE,
        due=questionnaire_answers,
        apply=erasure.detach_answers,
    ),
    Rule(
        key="expired_invitations",
        kind=_("Invitations à se joindre expirées sans réponse"),
        starts=_("l’expiration du lien"),
        default_days=30,
        action=ERASE,
        due=_expired_invitations,
        apply=_delete_all,
    ),
    Rule(
        key="people",
        kind=_("Renseignements des personnes dont tous les programmes sont terminés"),
        starts=_("la fin de leur dernier programme"),
        default_days=3 * 365,
        action=ANONYMIZE,
        due=people_of_closed_programs,
        apply=erasure.anonymize_people,
    ),
    Rule(
        key="audit_entries",
        kind=_("Entrées du journal d’audit"),
        starts=_("l’inscription de l’entrée"),
        default_days=3 * 365,
        action=ERASE,
        due=audit_entries,
        apply=lambda entries: entries.delete()[0],
    ),
]

RULE_KEYS = [rule.key for rule in RULES]


def rule_of(key: str) -> Rule | None:
    return next((rule for rule in RULES if rule.key == key), None)


def rule_label(key: str) -> str:
    rule = rule_of(key)
    if rule is not None:
        return str(rule.kind)
    return str(erasure.REQUEST_LABELS.get(key, key))
