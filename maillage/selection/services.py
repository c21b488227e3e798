"""Writes for selection: criteria, reviews and scores, committee opinions, decisions, notices."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record_bulk
from maillage.core.locking import locked
from maillage.core.models import Organization, Person
from maillage.core.outbox import send_after_commit
from maillage.core.services import (
    find_or_create_organization,
    update_profile,
)
from maillage.intake.models import Application
from maillage.intake.selectors import profile_answers
from maillage.programs.models import Consent, Program, Role, Track
from maillage.programs.services import (
    assign_role,
    ensure_open,
    has_consent,
    person_by_email,
    reach_stage,
    record_consent,
)

from .defaults import PILOT_CRITERIA
from .errors import DecisionChanged, SelectionError
from .models import SCORE_MAX, SCORE_MIN, CommitteeOpinion, Criterion, Decision, Review, Score

CRITERION_FIELDS = ("label_fr", "label_en", "description_fr", "description_en", "weight", "order")


# --- Criteria -------------------------------------------------------------------------------


@transaction.atomic
def create_default_criteria(*, program: Program) -> list[Criterion]:
    """The seven criteria of the pilot (Tableau 2), weight 1 each; nothing if already there."""
    existing = list(program.criteria.all())
    if existing:
        return existing
    created = Criterion.objects.bulk_create(
        Criterion(program=program, order=order, label_fr=fr, label_en=en)
        for order, (fr, en) in enumerate(PILOT_CRITERIA)
    )
    record_bulk(
        action="bulk_create",
        model=Criterion,
        ids=[c.pk for c in created],
        by=None,
        program_id=program.pk,
    )
    return created


@transaction.atomic
def add_criterion(
    *,
    program: Program,
    label_fr: str,
    label_en: str = "",
    description_fr: str = "",
    description_en: str = "",
    weight: Decimal = Decimal("1"),
    order: int | None = None,
) -> Criterion:
    ensure_open(program, error=SelectionError)
    if order is None:
        order = (program.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
    criterion = Criterion(
        program=program,
        label_fr=label_fr.strip(),
        label_en=label_en.strip(),
        description_fr=description_fr,
        description_en=description_en,
        weight=weight,
        order=order,
    )
    SelectionError.check(criterion)
    criterion.save()
    return criterion


@transaction.atomic
def update_criterion(*, criterion: Criterion, **fields: Any) -> Criterion:
    ensure_open(criterion.program, error=SelectionError)
    for name, value in fields.items():
        if name not in CRITERION_FIELDS:
            raise TypeError(name)
        setattr(criterion, name, value.strip() if isinstance(value, str) else value)
    SelectionError.check(criterion)
    criterion.save()
    return criterion


@transaction.atomic
def remove_criterion(*, criterion: Criterion) -> bool:
    """Delete a criterion nobody scored yet; archive one that was scored. True if deleted.

    Deleting a scored criterion would silently rewrite every review it appears in; archiving
    keeps what reviewers wrote while taking the criterion out of the form and the ranking.
    """
    ensure_open(criterion.program, error=SelectionError)
    if criterion.scores.exists():
        criterion.archived_at = timezone.now()
        criterion.save(update_fields=["archived_at"])
        return False
    criterion.delete()
    return True


@transaction.atomic
def restore_criterion(*, criterion: Criterion) -> Criterion:
    ensure_open(criterion.program, error=SelectionError)
    criterion.archived_at = None
    criterion.save(update_fields=["archived_at"])
    return criterion


# --- Reviews --------------------------------------------------------------------------------


@transaction.atomic
def save_review(
    *, application: Application, reviewer: Person, scores: dict[int, int], comment: str = ""
) -> Review:
    """Create or update this reviewer's review; other reviewers' reviews are never touched."""
    ensure_open(application.program, error=SelectionError)
    criteria = {c.pk: c for c in application.program.criteria.active()}
    if not criteria:
        raise SelectionError(_("Ce programme n’a aucun critère de sélection actif."))
    unknown = set(scores) - set(criteria)
    if unknown:
        raise SelectionError(_("Une note porte sur un critère qui n’est pas celui du programme."))
    missing = [c.label for pk, c in criteria.items() if scores.get(pk) is None]
    if missing:
        raise SelectionError(
            _("Donnez une note à chaque critère. Sans note : %(list)s.")
            % {"list": " ; ".join(missing)}
        )
    for pk, value in scores.items():
        if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            raise SelectionError(
                _("« %(criterion)s » : la note doit être un nombre entier de %(min)s à %(max)s.")
                % {"criterion": criteria[pk].label, "min": SCORE_MIN, "max": SCORE_MAX}
            )
    with acting_as(reviewer.user):
        review, _created = Review.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"comment": comment}
        )
        if review.comment != comment:
            review.comment = comment
            review.save()
        for pk, value in scores.items():
            Score.objects.update_or_create(
                review=review, criterion_id=pk, defaults={"value": value}
            )
        if application.status == Application.Status.RECEIVED:
            # The first saved review is what opens an application for review.
            application.status = Application.Status.IN_REVIEW
            application.save(update_fields=["status", "updated_at"])
    return review


# --- Committee ------------------------------------------------------------------------------


@transaction.atomic
def record_opinion(
    *,
    application: Application,
    opinion: str,
    by: Any,
    comment: str = "",
    meeting_date: datetime.date | None = None,
) -> CommitteeOpinion:
    """Record the advisory committee's opinion; earlier opinions stay in the history."""
    ensure_open(application.program, error=SelectionError)
    record = CommitteeOpinion(
        application=application,
        opinion=opinion,
        comment=comment,
        meeting_date=meeting_date,
        recorded_by=by,
    )
    SelectionError.check(record, exclude=["recorded_by"])
    with acting_as(by):
        record.save()
    return record


# --- Decisions ------------------------------------------------------------------------------


def _split_name(full_name: str) -> tuple[str, str]:
    parts = full_name.split()
    if not parts:
        return "", ""
    return parts[0], " ".join(parts[1:])


def _organization_for(application: Application) -> Organization | None:
    if application.organization_id:
        return application.organization
    if not application.organization_name.strip():
        return None
    organization, _created = find_or_create_organization(
        name=application.organization_name,
        territory=application.region,
        sector=application.sector,
        error=SelectionError,
    )
    return organization


def _person_for(application: Application, by: Any) -> Person:
    """The applicant's Person: the one already linked, else the one with this e-mail, else new."""
    if application.person_id:
        return application.person
    email = application.email.strip()
    if not email:
        raise SelectionError(
            _("Cette candidature n’a pas de courriel : ajoutez-le avant de la retenir.")
        )
    organization = _organization_for(application)
    first, last = _split_name(application.contact_name or application.organization_name)
    # Anyone typed this address in the public form: it reaches only someone `by` already sees;
    # another program's person is invited to join instead, and gets nothing of the application.
    person, _created = person_by_email(
        program=application.program,
        by=by,
        email=email,
        first_name=first or email.split("@")[0],
        last_name=last,
        phone=application.phone,
        organization=organization,
        language=application.language,
        # A one-word contact name must not stop a decision: the last name is added later.
        require_last_name=False,
        error=SelectionError,
    )
    if organization is not None and application.organization_id is None:
        application.organization = organization
    return person


def _fill_profile(*, person: Person, application: Application, by: Any) -> None:
    """The form's answers on languages, availability, working style and position, copied to
    the person's matching profile where it is still empty: what she or the coordination wrote
    there comes first."""
    empty = {
        name: value
        for name, value in profile_answers(application).items()
        if getattr(person, name) in ("", None, [])
    }
    if empty:
        update_profile(person=person, by=by, error=SelectionError, **empty)


@transaction.atomic
def decide_application(
    *,
    application: Application,
    outcome: str,
    reason: str,
    by: Any,
    track: Track | None = None,
    share_reason: bool = False,
    decided_on: datetime.date | None = None,
    seen_revision: int | None = None,
) -> Decision:
    """Record the decision and its reasons; a selected applicant becomes a mentee of the program.

    `decided_on` dates a decision taken earlier (a program entered after the fact); empty, a
    changed decision is dated now and an unchanged one keeps its date. `seen_revision` is the
    application's revision the form was shown with: a decision taken since (by someone else, or
    by a second click) refuses this one rather than overwrite it. The application's row is
    locked for the whole decision, so two at once run one after the other."""
    ensure_open(application.program, error=SelectionError)
    if decided_on is not None and decided_on > timezone.localdate():
        raise SelectionError(
            _("Cette date est dans le futur : inscrivez le jour où la décision a été prise.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise SelectionError(_("Donnez les motifs de la décision : ils restent au dossier."))
    if outcome not in Decision.Outcome.values:
        raise SelectionError(_("Choisissez une décision : retenue, en attente ou non retenue."))
    if track is not None and track.program_id != application.program_id:
        raise SelectionError(_("Ce volet n’appartient pas à ce programme."))
    if outcome != Decision.Outcome.SELECTED:
        track = None
    elif not application.consent_given:
        # Law 25: a person is processed only with their consent; an imported application whose
        # file says « non » (or says nothing) waits for the person's own answer.
        raise SelectionError(
            _(
                "Cette candidature n’a pas de consentement : elle ne peut être retenue. "
                "Demandez d’abord le consentement de la personne."
            )
        )
    with acting_as(by):
        application = locked(application)
        if seen_revision is not None and application.revision != seen_revision:
            raise DecisionChanged(
                _(
                    "Cette candidature a déjà été décidée pendant que vous écriviez : "
                    "relisez la décision enregistrée avant de la changer."
                )
            )
        application.revision += 1
        decision = Decision.objects.filter(application=application).first()
        before = None
        if decision is not None:
            before = (decision.outcome, decision.reason, decision.track_id, decision.share_reason)
        else:
            decision = Decision(application=application)
        decision.outcome, decision.reason = outcome, reason
        decision.track, decision.share_reason = track, share_reason
        changed = before != (outcome, reason, decision.track_id, share_reason)
        if changed:
            # Only a real change calls for a new notice to the applicant.
            decision.decided_by = by
        decision.decided_at = _decided_at(decision, decided_on, changed=changed)
        SelectionError.check(decision, exclude=["decided_by"])
        decision.save()

        program = application.program
        if outcome == Decision.Outcome.SELECTED:
            person = _person_for(application, by)
            _fill_profile(person=person, application=application, by=by)
            assign_role(program=program, person=person, kind=Role.Kind.MENTEE, track=track)
            if not has_consent(person, program):
                # The consent given with the application becomes the person's for the program.
                record_consent(
                    person=person,
                    program=program,
                    source=application.consent_source or Consent.Source.IMPORT,
                    by=by,
                    version=application.consent_version,
                    language=application.consent_language,
                    given_at=application.consent_at or application.submitted_at,
                )
            application.person = person
            application.track = track
        elif before and before[0] == Decision.Outcome.SELECTED and application.person_id:
            # No longer selected: no longer a mentee of this program.
            Role.objects.filter(
                program=program, person=application.person, kind=Role.Kind.MENTEE
            ).delete()
        application.status = outcome
        application.save()
        reach_stage(program=program, stage=Program.Status.SELECTING)
    return decision


# --- Notices --------------------------------------------------------------------------------


def _decided_at(
    decision: Decision, day: datetime.date | None, *, changed: bool
) -> datetime.datetime:
    """The moment a decision is dated, kept on the right side of the last notice: a changed
    decision after it (the person must hear of it), an unchanged one before it."""
    stored = decision.decided_at if decision.pk else None
    if day is None:
        return timezone.now() if changed or stored is None else stored
    if stored is not None and timezone.localdate(stored) == day and not changed:
        moment = stored
    elif day == timezone.localdate():
        moment = timezone.now()
    elif stored is not None and timezone.localdate(stored) == day:
        moment = stored
    else:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    notified = decision.notified_at
    if notified is None:
        return moment
    notified_day = timezone.localdate(notified)
    if changed and moment <= notified:
        if day < notified_day:
            raise SelectionError(
                _(
                    "La personne a été avisée de la décision précédente le %(day)s : "
                    "la nouvelle décision ne peut pas être datée d’avant."
                )
                % {"day": date_format(notified_day, "j F Y")}
            )
        moment = notified + datetime.timedelta(seconds=1)
    elif not changed and moment > notified:
        if day > notified_day:
            raise SelectionError(
                _(
                    "La personne a été avisée de cette décision le %(day)s : "
                    "elle ne peut pas être datée d’après."
                )
                % {"day": date_format(notified_day, "j F Y")}
            )
        moment = notified
    return moment


def _queue_notice(decision: Decision) -> None:
    from .tasks import send_decision_notice

    send_after_commit(send_decision_notice, decision.pk)


@transaction.atomic
def notify_decision(*, decision: Decision) -> None:
    """Queue the e-mail telling the applicant of the decision, in the application's language."""
    ensure_open(decision.application.program, error=SelectionError)
    if not decision.application.email:
        raise SelectionError(_("Cette candidature n’a pas de courriel : impossible d’aviser."))
    if not decision.needs_notice():
        raise SelectionError(
            _("La personne a déjà été avisée de cette décision ; elle n’a pas changé depuis.")
        )
    _queue_notice(decision)


@transaction.atomic
def notify_pending(*, program: Program) -> int:
    """Queue a notice for every decision of the program the applicant has not heard of yet."""
    ensure_open(program, error=SelectionError)
    count = 0
    decisions = Decision.objects.filter(application__program=program).select_related("application")
    for decision in decisions:
        if decision.needs_notice() and decision.application.email:
            _queue_notice(decision)
            count += 1
    return count
