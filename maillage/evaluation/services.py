"""Writes of evaluation: questionnaires, rounds and their sending, answers, interviews, notes,
quotes. E-mails leave through tasks queued on commit; each task claims its row first so that
nothing is sent twice, however often the scheduler runs."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record, record_bulk
from maillage.core.locking import locked
from maillage.core.models import Person
from maillage.core.ordering import move_in_order
from maillage.core.outbox import send_after_commit
from maillage.mentoring.models import Group, GroupMember, Meeting, Objective
from maillage.programs.models import Program, Role
from maillage.programs.services import ensure_open, reach_stage

from . import defaults, tasks
from .errors import EvaluationError
from .models import (
    Answer,
    Audience,
    FinalInterview,
    Invitation,
    ObserverNote,
    Question,
    Questionnaire,
    Quote,
    Round,
)

QUESTION_FIELDS = (
    "kind",
    "label_fr",
    "label_en",
    "help_fr",
    "help_en",
    "required",
    "audience",
    "choices",
    "scale_low_fr",
    "scale_low_en",
    "scale_high_fr",
    "scale_high_en",
    "objectives_fallback",
    "indicator",
    "theme",
)
ROUND_FIELDS = (
    "questionnaire",
    "audience",
    "send_on",
    "closes_on",
    "reminder_after_days",
    "cancelled",
)
INTERVIEW_NOTES = FinalInterview.THEMES
PARTICIPANT_KINDS = (Role.Kind.MENTOR, Role.Kind.MENTEE)


# --- Questionnaires ----------------------------------------------------------------------------


@transaction.atomic
def create_questionnaire_from_template(*, program: Program, kind: str) -> Questionnaire:
    """The pilot's monthly or final questionnaire, ready to edit."""
    template = defaults.TEMPLATES.get(kind)
    if template is None:
        raise EvaluationError(_("Modèle inconnu."))
    questionnaire = Questionnaire.objects.create(
        program=program,
        **{k: v for k, v in template.items() if k != "questions"},
    )
    for order, spec in enumerate(template["questions"], start=1):
        question = Question(questionnaire=questionnaire, order=order * 10, **spec)
        EvaluationError.check(question)
        question.save()
    return questionnaire


@transaction.atomic
def create_questionnaire(
    *, program: Program, title_fr: str, title_en: str = "", intro_fr: str = "", intro_en: str = ""
) -> Questionnaire:
    questionnaire = Questionnaire(
        program=program, title_fr=title_fr, title_en=title_en, intro_fr=intro_fr, intro_en=intro_en
    )
    EvaluationError.check(questionnaire)
    questionnaire.save()
    return questionnaire


@transaction.atomic
def update_questionnaire(*, questionnaire: Questionnaire, **fields: Any) -> Questionnaire:
    for name in ("title_fr", "title_en", "intro_fr", "intro_en"):
        if name in fields:
            setattr(questionnaire, name, fields[name])
    EvaluationError.check(questionnaire)
    questionnaire.save()
    return questionnaire


@transaction.atomic
def save_question(
    *, questionnaire: Questionnaire, question: Question | None = None, **fields: Any
) -> Question:
    """Add a question at the end, or change one."""
    if question is None:
        last = questionnaire.questions.aggregate(m=Max("order"))["m"] or 0
        question = Question(questionnaire=questionnaire, order=last + 10)
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    if question.kind not in Question.CHOICE_KINDS:
        question.choices = []
    EvaluationError.check(question)
    question.save()
    return question


@transaction.atomic
def delete_question(*, question: Question) -> None:
    if question.answers.exists():
        raise EvaluationError(
            _("Des personnes ont déjà répondu à cette question : elle ne peut plus être retirée.")
        )
    question.delete()


def move_question(*, question: Question, direction: str, by: Any) -> Question:
    """One place up or down among the questionnaire’s questions (locked, renumbered, audited)."""
    return move_in_order(
        item=question, within="questionnaire", direction=direction, by=by, error=EvaluationError
    )


# --- Rounds ------------------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    # The 31st of a 30-day month becomes its last day.
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def monthly_dates(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """One send date a month after the start, then every month, up to the end (inclusive).

    Counted from the start each time, so that a short month does not pull later dates earlier.
    """
    dates, n = [], 1
    while (day := _add_months(start, n)) <= end:
        dates.append(day)
        n += 1
    return dates


@transaction.atomic
def create_default_rounds(
    *, program: Program, open_days: int = 14, reminder_after_days: int = 7
) -> list[Round]:
    """Monthly rounds over the program's period, and the final evaluation at its end.

    Creates the pilot's questionnaires if the program has none yet; running it again adds only
    the rounds that are missing.
    """
    ensure_open(program, error=EvaluationError)
    if not (program.start_date and program.end_date):
        raise EvaluationError(
            _("Indiquez d’abord les dates de début et de fin du mentorat dans les paramètres."),
            field="start_date",
        )
    monthly = program.questionnaires.filter(kind=Questionnaire.Kind.MONTHLY).first()
    monthly = monthly or create_questionnaire_from_template(program=program, kind="monthly")
    final = program.questionnaires.filter(kind=Questionnaire.Kind.FINAL).first()
    final = final or create_questionnaire_from_template(program=program, kind="final")
    wanted = [(monthly, day) for day in monthly_dates(program.start_date, program.end_date)]
    wanted.append((final, program.end_date))
    created = []
    for questionnaire, day in wanted:
        if program.evaluation_rounds.filter(questionnaire=questionnaire, send_on=day).exists():
            continue
        days = 30 if questionnaire is final else open_days
        created.append(
            Round.objects.create(
                program=program,
                questionnaire=questionnaire,
                audience=Audience.BOTH,
                send_on=day,
                closes_on=day + datetime.timedelta(days=days),
                reminder_after_days=reminder_after_days,
            )
        )
    return created


@transaction.atomic
def save_round(*, program: Program, round: Round | None = None, **fields: Any) -> Round:
    """Plan a round or change one. A closed program plans no new round; a round already sent
    can still be changed (a later closing date gives people more time to answer)."""
    if round is None or round.first_sent_at is None:
        ensure_open(program, error=EvaluationError)
    round = round or Round(program=program)
    for name in ROUND_FIELDS:
        if name in fields:
            setattr(round, name, fields[name])
    EvaluationError.check(round)
    round.save()
    return round


def participants(program: Program, audience: str) -> list[Role]:
    """Mentors and/or mentees of the program, one role per person."""
    roles, seen = [], set()
    # Without an e-mail address there is no personal link to send.
    reachable = program.roles.filter(kind__in=PARTICIPANT_KINDS).exclude(person__email="")
    for role in reachable.select_related("person"):
        if Audience.includes(audience, role.kind) and role.person_id not in seen:
            seen.add(role.person_id)
            roles.append(role)
    return roles


def group_of(role: Role) -> Group | None:
    member = (
        GroupMember.objects.filter(role=role, group__status=Group.Status.ACTIVE)
        .select_related("group")
        .first()
    )
    return member.group if member else None


@transaction.atomic
def invite_round(*, round: Round) -> list[Invitation]:
    """Create the invitations of a round (new participants included) and queue those not sent."""
    for role in participants(round.program, round.audience):
        Invitation.objects.get_or_create(
            round=round,
            person=role.person,
            defaults={"role_kind": role.kind, "group": group_of(role)},
        )
    if round.first_sent_at is None:
        first = timezone.now()
        Round.objects.filter(pk=round.pk).update(first_sent_at=first)
        record_bulk(
            action="update",
            model=Round,
            ids=[round.pk],
            by=None,
            changes={"first_sent_at": first.isoformat()},
            program_id=round.program_id,
        )
    pending = list(round.invitations.filter(sent_at__isnull=True))
    for invitation in pending:
        send_after_commit(tasks.send_invitation, invitation_id=invitation.pk)
    return pending


def send_round_now(*, round: Round, by: Any) -> list[Invitation]:
    """The coordinator sends a planned round today rather than on its date: the same
    invitations as the daily job (`invite_round`). The round is locked and its first sending
    checked inside the lock, so that a double click sends once."""
    ensure_open(round.program, error=EvaluationError)
    today = timezone.localdate()
    with transaction.atomic(), acting_as(by):
        locked = Round.objects.select_for_update().select_related("program").get(pk=round.pk)
        if locked.cancelled:
            raise EvaluationError(_("Cet envoi est annulé."))
        if locked.first_sent_at is not None:
            raise EvaluationError(_("Ce questionnaire est déjà envoyé."))
        if locked.closes_on < today:
            raise EvaluationError(_("Cet envoi est fermé : changez sa date de fermeture."))
        if locked.send_on > today:
            # Sent today: the reminder counts from today, and the round shows its real date.
            locked.send_on = today
            locked.save(update_fields=["send_on"])
        record(action="round.sent_now", instance=locked)
        return invite_round(round=locked)


def send_due_rounds(*, today: datetime.date | None = None) -> int:
    """Send every round whose date has come and that is still open. Safe to run many times."""
    today = today or timezone.localdate()
    queued = 0
    # A closed program sends no new round; reminders of rounds already sent go on (below).
    due = Round.objects.due(today).exclude(program__status=Program.Status.CLOSED)
    for round in due.select_related("program"):
        queued += len(invite_round(round=round))
    return queued


@transaction.atomic
def send_due_reminders(*, today: datetime.date | None = None) -> int:
    """One reminder to each person who has not answered N days after the invitation."""
    today = today or timezone.localdate()
    queued = 0
    candidates = Invitation.objects.filter(
        round__in=Round.objects.open_on(today).filter(reminder_after_days__gt=0),
        sent_at__isnull=False,
        submitted_at__isnull=True,
        reminded_at__isnull=True,
    ).select_related("round")
    for invitation in candidates:
        due = timezone.localtime(invitation.sent_at).date() + datetime.timedelta(
            days=invitation.round.reminder_after_days
        )
        if due <= today:
            send_after_commit(tasks.send_reminder, invitation_id=invitation.pk)
            queued += 1
    return queued


# --- Answers -----------------------------------------------------------------------------------


def objectives_for(person: Person, group: Group | None, question: Question) -> list[str]:
    """The objectives a person reports progress on: their own as a mentee, their mentees' as a
    mentor (from the group's action plans, dropped ones left out). When the group has no action
    plan yet, the coordinator's list on the question.
    """
    if group is not None:
        objectives = Objective.objects.filter(plan__group=group).exclude(
            status=Objective.Status.DROPPED
        )
        if group.members.filter(role__person=person, side=GroupMember.Side.MENTEE).exists():
            objectives = objectives.filter(plan__mentee__role__person=person)
        texts = [" ".join(text.split()) for text in objectives.values_list("text", flat=True)]
        # The text is the key of the answer: keep each once.
        texts = list(dict.fromkeys(t[:300] for t in texts if t))
        if texts:
            return texts
    return question.fallback_objectives()


def _columns(question: Question, value: Any) -> tuple[float | None, str]:
    """The aggregation columns of an answer."""
    if value in (None, "", [], {}):
        return None, ""
    kind = question.kind
    if kind in (Question.Kind.SCALE, Question.Kind.NUMBER):
        return float(value), ""
    if kind == Question.Kind.OBJECTIVE_PROGRESS:
        numbers = [float(n) for n in value.values() if n not in (None, "")]
        return (sum(numbers) / len(numbers) if numbers else None), ""
    if kind == Question.Kind.MULTIPLE:
        return None, "\n".join(str(v) for v in value)
    return None, str(value)


def _ensure_open(invitation: Invitation) -> None:
    if invitation.round.is_closed() or invitation.round.cancelled:
        raise EvaluationError(
            _("Ce questionnaire est fermé : les réponses ne peuvent plus être modifiées.")
        )


@transaction.atomic
def save_answers(
    *, invitation: Invitation, values: dict[Question, Any], submit: bool = False
) -> Invitation:
    """Save answers as the person goes (autosave) or all at once (submit).

    An empty value removes the answer. Submitting again before the round closes corrects the
    answers; `submitted_at` keeps the first submission, `updated_at` the last change.
    """
    _ensure_open(invitation)
    # An autosave that read the invitation before a submission committed must not write the old
    # `submitted_at` back: lock the row and take its current value (issue 10).
    current = Invitation.objects.select_for_update().only("submitted_at").get(pk=invitation.pk)
    invitation.submitted_at = current.submitted_at
    allowed = set(invitation.questions().values_list("pk", flat=True))
    for question, value in values.items():
        if question.pk not in allowed:
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        if hasattr(value, "as_tuple"):  # Decimal from a number field
            value = float(value)
        number, text = _columns(question, value)
        if number is None and not text:
            Answer.objects.filter(invitation=invitation, question=question).delete()
            continue
        Answer.objects.update_or_create(
            invitation=invitation,
            question=question,
            defaults={"value": value, "value_number": number, "value_text": text},
        )
    now = timezone.now()
    invitation.updated_at = now
    if submit and invitation.submitted_at is None:
        invitation.submitted_at = now
    invitation.save(update_fields=["updated_at", "submitted_at"])
    return invitation


# --- Final interviews --------------------------------------------------------------------------


@transaction.atomic
def record_interview(
    *,
    program: Program,
    participant: Role,
    interviewer: Person,
    held_on: datetime.date,
    **notes: str,
) -> FinalInterview:
    interview = FinalInterview(
        program=program, participant=participant, interviewer=interviewer, held_on=held_on
    )
    for name in INTERVIEW_NOTES:
        setattr(interview, name, notes.get(name, ""))
    EvaluationError.check(interview)
    interview.save()
    reach_stage(program=program, stage=Program.Status.EVALUATING)
    return interview


@transaction.atomic
def update_interview(*, interview: FinalInterview, **fields: Any) -> FinalInterview:
    """Change the notes. What the participant validated is no longer what is written: the
    interview goes back to draft and must be validated again."""
    changed = False
    for name in (*INTERVIEW_NOTES, "held_on"):
        if name in fields and getattr(interview, name) != fields[name]:
            setattr(interview, name, fields[name])
            changed = True
    if changed:
        interview.version += 1
        interview.status = FinalInterview.Status.DRAFT
        interview.validated_at = None
    EvaluationError.check(interview)
    interview.save()
    return interview


@transaction.atomic
def send_interview_for_validation(*, interview: FinalInterview) -> FinalInterview:
    if interview.status == FinalInterview.Status.VALIDATED:
        raise EvaluationError(_("Cette entrevue est déjà validée."))
    if not any(getattr(interview, name).strip() for name in INTERVIEW_NOTES):
        raise EvaluationError(_("Écrivez au moins une note avant d’envoyer l’entrevue."))
    interview.status = FinalInterview.Status.SENT
    interview.sent_at = timezone.now()
    interview.save(update_fields=["status", "sent_at"])
    send_after_commit(tasks.send_interview_request, interview_id=interview.pk)
    return interview


def _ensure_awaiting(interview: FinalInterview) -> None:
    if interview.status != FinalInterview.Status.SENT:
        raise EvaluationError(_("Cette entrevue n’attend pas votre validation."))


@transaction.atomic
def validate_interview(*, interview: FinalInterview) -> FinalInterview:
    interview = locked(interview)  # two clicks, or a validation racing a correction request
    _ensure_awaiting(interview)
    interview.status = FinalInterview.Status.VALIDATED
    interview.validated_at = timezone.now()
    interview.save(update_fields=["status", "validated_at"])
    return interview


@transaction.atomic
def request_interview_corrections(*, interview: FinalInterview, comment: str) -> FinalInterview:
    interview = locked(interview)
    _ensure_awaiting(interview)
    if not comment.strip():
        raise EvaluationError(_("Dites ce qu’il faut corriger."), field="comment")
    interview.status = FinalInterview.Status.CORRECTIONS
    interview.participant_comment = comment.strip()
    interview.save(update_fields=["status", "participant_comment"])
    send_after_commit(tasks.send_interview_corrections, interview_id=interview.pk)
    return interview


# --- Observer notes ----------------------------------------------------------------------------


@transaction.atomic
def add_observer_note(
    *,
    program: Program,
    observer: Person,
    observed_on: datetime.date,
    notes: str,
    group: Group | None = None,
    meeting: Meeting | None = None,
    meeting_ref: str = "",
) -> ObserverNote:
    note = ObserverNote(
        program=program,
        observer=observer,
        observed_on=observed_on,
        notes=notes,
        group=group or (meeting.group if meeting else None),
        meeting=meeting,
        meeting_ref=meeting_ref,
    )
    EvaluationError.check(note)
    note.save()
    return note


# --- Quotes ------------------------------------------------------------------------------------


def _source_text(answer: Answer | None, interview: FinalInterview | None) -> str:
    if answer is not None:
        return answer.value_text
    if interview is not None:
        return "\n".join(getattr(interview, name) for name in INTERVIEW_NOTES)
    return ""


@transaction.atomic
def mark_quote(
    *,
    program: Program,
    by: Any,
    passage: str,
    topic_fr: str,
    topic_en: str = "",
    answer: Answer | None = None,
    interview: FinalInterview | None = None,
) -> Quote:
    """Mark a passage of an answer or an interview. Nothing is publishable yet."""
    passage = passage.strip()
    source = _source_text(answer, interview)
    if not passage or passage not in source:
        raise EvaluationError(
            _("Le passage doit être copié tel quel de la réponse ou des notes."), field="passage"
        )
    if answer is not None:
        speaker = answer.invitation.round.program.roles.filter(
            person=answer.invitation.person, kind=answer.invitation.role_kind
        ).first()
    else:
        speaker = interview.participant if interview else None
    if speaker is None or speaker.program_id != program.pk:
        raise EvaluationError(_("Cette source n’est pas de ce programme."))
    quote = Quote(
        program=program,
        speaker=speaker,
        answer=answer,
        interview=interview,
        passage=passage,
        topic_fr=topic_fr,
        topic_en=topic_en,
        marked_by=by if getattr(by, "is_authenticated", False) else None,
    )
    EvaluationError.check(quote)
    with acting_as(by):
        quote.save()
    return quote


@transaction.atomic
def request_quote_consent(*, quote: Quote) -> Quote:
    if quote.status == Quote.Status.CONSENTED and quote.is_publishable():
        raise EvaluationError(_("Cette personne a déjà consenti."))
    quote.status = Quote.Status.REQUESTED
    quote.requested_at = timezone.now()
    quote.save(update_fields=["status", "requested_at"])
    send_after_commit(tasks.send_quote_request, quote_id=quote.pk)
    return quote


def consent_text(quote: Quote) -> str:
    """What the person sees and agrees to, kept word for word with the consent."""
    return "\n".join([f"« {quote.passage} »", quote.attribution("fr"), quote.attribution("en")])


@transaction.atomic
def answer_quote_request(*, quote: Quote, consent: bool) -> Quote:
    quote = locked(quote)
    if quote.status not in (Quote.Status.REQUESTED, Quote.Status.WITHDRAWN, Quote.Status.REFUSED):
        raise EvaluationError(_("Aucune demande en attente pour ce passage."))
    now = timezone.now()
    quote.answered_at = now
    if consent:
        quote.status = Quote.Status.CONSENTED
        quote.consented_at = now
        quote.consent_text = consent_text(quote)
        quote.consent_version = quote.version
        quote.withdrawn_at = None
    else:
        quote.status = Quote.Status.REFUSED
    quote.save()
    return quote


@transaction.atomic
def withdraw_quote_consent(*, quote: Quote) -> Quote:
    quote = locked(quote)
    if quote.status != Quote.Status.CONSENTED:
        raise EvaluationError(_("Il n’y a pas de consentement à retirer."))
    quote.status = Quote.Status.WITHDRAWN
    quote.withdrawn_at = timezone.now()
    quote.save(update_fields=["status", "withdrawn_at"])
    return quote
