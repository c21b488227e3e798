"""Writes for mentoring groups."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from jumelage import fit as textfit
from maillage.core.audit import acting_as, record
from maillage.core.errors import DomainError
from maillage.core.locking import StaleEdit, locked
from maillage.core.models import Person, Team
from maillage.core.outbox import send_after_commit
from maillage.core.textfit import encoder_kind, get_encoder, thresholds
from maillage.intake.models import PotentialMentor
from maillage.programs.access import STAFF, can
from maillage.programs.models import Program, Role, Track
from maillage.programs.services import ensure_consent, ensure_open, reach_stage

from .errors import MentoringError
from .models import (
    ActionPlan,
    Agreement,
    AgreementAcceptance,
    Attendance,
    CalendarFeed,
    Group,
    GroupMember,
    GroupMessage,
    Meeting,
    MeetingNote,
    MessageRead,
    Need,
    Objective,
    Step,
    TimeEntry,
    UpdateMessage,
    UpdateReply,
    new_calendar_token,
)
from .signals import group_changed


def _changed(group: Group) -> None:
    """Tell the floors above (the alerts) that what they watch in `group` changed."""
    group_changed.send(sender=Group, group=group)


@transaction.atomic
def create_group(
    *,
    program: Program,
    mentor_roles: list[Role],
    mentee_roles: list[Role],
    approved_by: Any,
    track: Track | None = None,
    mentor_team: Team | None = None,
    name: str = "",
    created_from: Any = None,
    approved_at: datetime | None = None,
) -> Group:
    """Form a group from roles of `program`: one mentor side (a person or a team's members)
    and its mentees, approved by a person who coordinates the program (never by nobody: a
    script, an import or the demo passes the coordinator it acts for). Nobody may be in two
    active groups of the program, and nobody without a valid consent for it (Law 25)."""
    ensure_open(program, error=MentoringError)
    if not can(approved_by, program, STAFF):
        raise MentoringError(
            _(
                "Un groupe devient actif seulement quand une personne de la coordination "
                "du programme l’approuve."
            )
        )
    roles = [*mentor_roles, *mentee_roles]
    if not mentor_roles or not mentee_roles:
        raise MentoringError(
            _("Un groupe réunit un côté mentor et au moins une personne mentorée.")
        )
    if any(r.program_id != program.pk for r in roles):
        raise MentoringError(_("Ces personnes ne font pas toutes partie de ce programme."))
    if any(r.kind != Role.Kind.MENTOR for r in mentor_roles) or any(
        r.kind != Role.Kind.MENTEE for r in mentee_roles
    ):
        raise MentoringError(_("Le côté mentor et les personnes mentorées ont le mauvais rôle."))
    # Law 25: a group processes its members' information (meetings, plans, evaluations), so
    # every way a group forms (a run's proposal, self-matching, speed dating, a coordinator's
    # hand) stops here for anyone without a valid consent, and says who.
    ensure_consent(list(dict.fromkeys(r.person for r in roles)), program, error=MentoringError)
    taken = GroupMember.objects.filter(
        group__program=program, group__status=Group.Status.ACTIVE, role__in=mentee_roles
    ).select_related("role__person")
    if taken:
        names = ", ".join(m.role.person.full_name for m in taken)
        raise MentoringError(
            _("Déjà dans un groupe actif de ce programme : %(names)s.") % {"names": names}
        )
    group = Group(
        program=program,
        track=track,
        name=name[:300],
        mentor_team=mentor_team,
        approved_by=approved_by,
        approved_by_name=approver_name(approved_by),
        approved_at=approved_at or timezone.now(),
        created_from=created_from,
    )
    group.full_clean()
    group.save()
    for role in mentor_roles:
        GroupMember.objects.create(group=group, role=role, side=GroupMember.Side.MENTOR)
    for role in mentee_roles:
        GroupMember.objects.create(group=group, role=role, side=GroupMember.Side.MENTEE)
    reach_stage(program=program, stage=Program.Status.RUNNING)
    _changed(group)
    return group


def approver_name(user: Any) -> str:
    """The name kept with an approval: the person's full name, else the account's address."""
    person = getattr(user, "person", None)
    return ((getattr(person, "full_name", "") or user.email or user.get_username()) or "")[:200]


# --- Who is who in a group -------------------------------------------------------------------


def member_of(group: Group, person: Person | None) -> GroupMember | None:
    if person is None:
        return None
    return group.members.select_related("role__person").filter(role__person=person).first()


def _require_member(group: Group, person: Person, *sides: str) -> GroupMember:
    member = member_of(group, person)
    if member is None or (sides and member.side not in sides):
        raise MentoringError(_("Seules les personnes du groupe peuvent faire cela."))
    return member


# --- Agreement -------------------------------------------------------------------------------


def _people(members: list[GroupMember]) -> str:
    return ", ".join(m.role.person.full_name for m in members) or "—"


def agreement_draft(group: Group) -> list[list[str]]:
    """The program's six points with the group's specifics written into them: the referent
    person of each side (the designated members), the period and the meeting cadence."""
    program = group.program
    members = list(group.members.select_related("role__person__organization"))
    mentors = [m for m in members if m.side == GroupMember.Side.MENTOR]
    mentees = [m for m in members if m.side == GroupMember.Side.MENTEE]
    points = [[label, text] for label, text in program.agreement_points()]
    specifics = {
        "agreement_referents": _("Côté mentor : %(mentors)s. Personnes mentorées : %(mentees)s.")
        % {
            "mentors": _people(mentors),
            "mentees": ", ".join(
                f"{m.role.person.full_name}"
                + (f" ({m.role.person.organization})" if m.role.person.organization_id else "")
                + ("" if m.is_designated else " — " + _("personne désignée à confirmer"))
                for m in mentees
            )
            or "—",
        },
        "agreement_period": (
            _("Du %(start)s au %(end)s.")
            % {
                "start": date_format(program.start_date, "j F Y"),
                "end": date_format(program.end_date, "j F Y"),
            }
            if program.start_date and program.end_date
            else ""
        ),
        "agreement_meetings": _(
            "Une rencontre toutes les %(min)s à %(max)s semaines, d’environ %(hours)s h "
            "(%(format)s). Banque d’heures du groupe : %(bank)s h."
        )
        % {
            "min": program.meeting_every_min_weeks,
            "max": program.meeting_every_max_weeks,
            "hours": number_format(program.meeting_duration_hours),
            "format": program.get_meeting_format_display().lower(),
            "bank": number_format(group.hours_bank),
        },
    }
    for index, name in enumerate(program.AGREEMENT_POINTS):
        extra = specifics.get(name)
        if extra:
            text = points[index][1].strip()
            points[index][1] = f"{text}\n\n{extra}" if text else extra
    return points


@transaction.atomic
def generate_agreement(*, group: Group, by: Person | None) -> Agreement:
    """The group's first agreement from the program's template (idempotent)."""
    ensure_open(group.program, error=MentoringError)
    current = group.current_agreement()
    if current is not None:
        return current
    return Agreement.objects.create(
        group=group,
        version=1,
        template_version=group.program.agreement_version,
        points=agreement_draft(group),
        created_by=by,
    )


@transaction.atomic
def edit_agreement(
    *, group: Group, by: Person | None, texts: list[str], revision: int | None = None
) -> Agreement:
    """Change the group's agreement. Before anyone accepted it, the draft changes in place;
    once accepted, a new version is made and everybody accepts again. `revision` is the one the
    form was rendered with: if the text was saved since, `StaleEdit` refuses to overwrite it."""
    group = locked(group)
    ensure_open(group.program, error=MentoringError)
    current = generate_agreement(group=group, by=by)
    if revision is not None and current.revision != revision:
        raise StaleEdit(current)
    if len(texts) != len(current.points):
        raise MentoringError(_("L’entente compte six points."))
    points = [
        [label, text.strip()] for (label, _old), text in zip(current.points, texts, strict=True)
    ]
    if points == current.points:
        return current
    if not current.acceptances.exists():
        current.points = points
        current.revision += 1
        current.save(update_fields=["points", "revision"])
        return current
    return Agreement.objects.create(
        group=group,
        version=current.version + 1,
        revision=current.revision + 1,
        template_version=group.program.agreement_version,
        points=points,
        created_by=by,
    )


def _agreement_read(group: Group, version: int) -> Agreement:
    """The current agreement, if it is the version the page showed: a stale page cannot accept
    a newer text."""
    current = group.current_agreement()
    if current is None:
        raise MentoringError(_("L’entente n’est pas encore rédigée."))
    if current.version != version:
        raise MentoringError(
            _("L’entente a changé depuis que vous l’avez ouverte : relisez la version %(v)s.")
            % {"v": current.version}
        )
    return current


@transaction.atomic
def accept_agreement(*, group: Group, person: Person, version: int) -> AgreementAcceptance:
    """`person` accepts the version they read; a stale page cannot accept a newer text. The
    group's row is locked: an acceptance never races an edit of the text it accepts."""
    group = locked(group)
    ensure_open(group.program, error=MentoringError)
    member = _require_member(group, person)
    current = _agreement_read(group, version)
    acceptance, _created = AgreementAcceptance.objects.get_or_create(
        agreement=current,
        person=person,
        defaults={"side": member.side, "version": current.version},
    )
    return acceptance


@transaction.atomic
def record_acceptance(
    *,
    group: Group,
    member: GroupMember,
    by: Person,
    version: int,
    on: date | None = None,
    how: str,
    how_detail: str = "",
) -> AgreementAcceptance:
    """The coordination records that `member` accepted the current agreement outside Maillage
    (at the kickoff meeting, on paper, by e-mail): who, the day, how, and who recorded it."""
    group = locked(group)  # two clicks record one acceptance; the second is told it exists
    ensure_open(group.program, error=MentoringError)
    if member.group_id != group.pk:
        raise MentoringError(_("Cette personne ne fait pas partie du groupe."))
    if not group.program.roles.filter(person=by, kind=Role.Kind.COORDINATOR).exists():
        raise MentoringError(
            _("Seule la coordination du programme peut consigner une acceptation.")
        )
    check_past(on)
    current = _agreement_read(group, version)
    how_detail = how_detail.strip()
    if how == AgreementAcceptance.How.OTHER and not how_detail:
        raise MentoringError(_("Précisez de quelle façon l’entente a été acceptée."))
    person = member.role.person
    existing = current.acceptances.filter(person=person).first()
    if existing is not None:
        raise MentoringError(
            _("%(person)s a déjà accepté cette version le %(day)s.")
            % {
                "person": person.full_name,
                "day": date_format(timezone.localtime(existing.accepted_at), "j F Y"),
            }
        )
    acceptance = AgreementAcceptance(
        agreement=current,
        person=person,
        side=member.side,
        version=current.version,
        accepted_at=moment_of(on or timezone.localdate()),
        how=how,
        how_detail=how_detail if how == AgreementAcceptance.How.OTHER else "",
        recorded_by=by,
    )
    try:
        acceptance.full_clean()
    except ValidationError as error:
        raise MentoringError.from_validation(error) from error
    acceptance.save()
    return acceptance


@transaction.atomic
def set_designation(*, member: GroupMember, is_designated: bool, note: str = "") -> GroupMember:
    ensure_open(member.group.program, error=MentoringError)
    member.is_designated = is_designated
    member.designation_note = note[:300]
    member.full_clean()
    member.save(update_fields=["is_designated", "designation_note"])
    _changed(member.group)
    return member


def moment_of(day: date, *, keep: datetime | None = None) -> datetime:
    """The moment stored for a day given after the fact: the hour already stored on that day
    when there is one, now for today, otherwise noon in Québec (a day never shifts across midnight)."""
    if keep is not None and timezone.localdate(keep) == day:
        return keep
    if day == timezone.localdate():
        return timezone.now()  # noon today may still be ahead
    return timezone.make_aware(datetime.combine(day, time(12)))


def check_past(day: date | None) -> None:
    if day is not None and day > timezone.localdate():
        raise MentoringError(_("Cette date est dans le futur : inscrivez le jour où c’est arrivé."))


@transaction.atomic
def update_group_settings(
    *,
    group: Group,
    hours_bank: Decimal,
    observer_allowed: bool,
    approved_on: date | None = None,
) -> Group:
    """`approved_on` dates the approval of a group entered after the fact (the audit trail
    records the change of `approved_at`)."""
    ensure_open(group.program, error=MentoringError)
    check_past(approved_on)
    group.hours_bank = hours_bank
    group.observer_allowed = observer_allowed
    fields = ["hours_bank", "observer_allowed"]
    if approved_on is not None:
        group.approved_at = moment_of(approved_on, keep=group.approved_at)
        fields.append("approved_at")
    group.full_clean()
    group.save(update_fields=fields)
    _changed(group)
    return group


# --- Action plans ----------------------------------------------------------------------------


def mentor_expertise(group: Group) -> str:
    """What the mentor side knows: the people's expertise and what they wrote as potential
    mentors, joined."""
    people = [
        m.role.person
        for m in group.members.select_related("role__person")
        if m.side == GroupMember.Side.MENTOR
    ]
    texts = [p.expertise for p in people]
    texts += list(
        PotentialMentor.objects.filter(program=group.program, person__in=people).values_list(
            "expertise", flat=True
        )
    )
    return "\n".join(t.strip() for t in texts if t and t.strip())


def fit_of(need: str, expertise: str) -> tuple[float | None, str]:
    """The calibrated needs-to-expertise fit in [0, 1] and the encoder's kind; (None, "") when
    it cannot be computed (no expertise written, encoder unavailable): a suggestion is never
    required."""
    if not need.strip() or not expertise.strip():
        return None, ""
    try:
        encoder = get_encoder()
        scores = textfit.calibrate(textfit.fit_matrix(encoder, [need], [expertise]), encoder)
    except (DomainError, RuntimeError, ValueError):
        return None, ""
    return round(float(scores[0, 0]), 3), encoder_kind(encoder)


def suggestion(fit: float | None, encoder: str = "semantic") -> str:
    """ "inside", "outside", "unsure" or "" (no score)."""
    if fit is None:
        return ""
    inside, outside = thresholds(encoder)
    if fit >= inside:
        return "inside"
    if fit < outside:
        return "outside"
    return "unsure"


@transaction.atomic
def plan_for(*, member: GroupMember) -> ActionPlan:
    if member.side != GroupMember.Side.MENTEE:
        raise MentoringError(_("Un plan d’action appartient à une personne mentorée."))
    plan, _created = ActionPlan.objects.get_or_create(
        mentee=member, defaults={"group": member.group}
    )
    return plan


def _check_editor(plan: ActionPlan, by: Person) -> GroupMember:
    """The mentor side and the mentee of this plan edit it; other mentees only read."""
    ensure_open(plan.group.program, error=MentoringError)
    member = _require_member(plan.group, by)
    if member.side == GroupMember.Side.MENTEE and member.pk != plan.mentee_id:
        raise MentoringError(_("Seuls le côté mentor et la personne mentorée modifient ce plan."))
    return member


@transaction.atomic
def add_need(*, plan: ActionPlan, by: Person, text: str, noted_on: date | None = None) -> Need:
    """`noted_on` dates a need noted earlier (at the kickoff of a program entered after the
    fact): never in the future, never before the group was approved."""
    _check_editor(plan, by)
    text = text.strip()
    if not text:
        raise MentoringError(_("Décrivez le besoin."))
    check_past(noted_on)
    approved = timezone.localdate(plan.group.approved_at)
    if noted_on is not None and noted_on < approved:
        raise MentoringError(
            _(
                "Le besoin ne peut pas dater d’avant l’approbation du groupe (%(day)s) ; "
                "au besoin, corrigez d’abord cette date dans les réglages du groupe."
            )
            % {"day": date_format(approved, "j F Y")}
        )
    last = plan.needs.aggregate(m=models.Max("priority"))["m"]
    fit, encoder = fit_of(text, mentor_expertise(plan.group))
    need = Need(
        plan=plan,
        text=text,
        fit=fit,
        fit_encoder=encoder,
        priority=0 if last is None else last + 1,
        created_at=moment_of(noted_on) if noted_on else timezone.now(),
    )
    need.full_clean()
    need.save()
    _changed(plan.group)
    return need


@transaction.atomic
def decide_need(*, need: Need, by: Person, inside: bool | None) -> Need:
    """A person decides (or un-decides) whether the need is inside the mentor's expertise."""
    _check_editor(need.plan, by)
    need.inside_expertise = inside
    need.decided_by = by if inside is not None else None
    need.save(update_fields=["inside_expertise", "decided_by", "updated_at"])
    _changed(need.plan.group)
    return need


@transaction.atomic
def set_need_status(*, need: Need, by: Person, status: str) -> Need:
    _check_editor(need.plan, by)
    if status not in Need.Status.values:
        raise MentoringError(_("Statut inconnu."))
    need.status = status
    need.save(update_fields=["status", "updated_at"])
    _changed(need.plan.group)
    return need


@transaction.atomic
def move_need(*, need: Need, by: Person, up: bool) -> Need:
    """Swap with the neighbour above or below; priorities are renumbered 0..n-1."""
    _check_editor(need.plan, by)
    needs = list(need.plan.needs.order_by("priority", "id"))
    i = next(k for k, n in enumerate(needs) if n.pk == need.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(needs):
        needs[i], needs[j] = needs[j], needs[i]
    for k, n in enumerate(needs):
        if n.priority != k:
            n.priority = k
            n.save(update_fields=["priority"])
    return next(n for n in needs if n.pk == need.pk)


@transaction.atomic
def add_objective(*, plan: ActionPlan, by: Person, text: str, due: date | None = None) -> Objective:
    _check_editor(plan, by)
    objective = Objective(plan=plan, text=text.strip(), due=due)
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def set_objective_status(*, objective: Objective, by: Person, status: str) -> Objective:
    _check_editor(objective.plan, by)
    if status not in Objective.Status.values:
        raise MentoringError(_("Statut inconnu."))
    objective.status = status
    objective.reached_at = timezone.now() if status == Objective.Status.REACHED else None
    objective.save(update_fields=["status", "reached_at"])
    return objective


@transaction.atomic
def add_step(*, objective: Objective, by: Person, text: str, due: date | None = None) -> Step:
    _check_editor(objective.plan, by)
    step = Step(objective=objective, text=text.strip(), due=due)
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def set_step_status(*, step: Step, by: Person, status: str) -> Step:
    _check_editor(step.objective.plan, by)
    if status not in Step.Status.values:
        raise MentoringError(_("Statut inconnu."))
    step.status = status
    step.save(update_fields=["status"])
    return step


# --- Meetings --------------------------------------------------------------------------------


def _minute(moment: datetime) -> datetime:
    # Calendars show minutes; seconds would only make two copies of one time differ.
    return moment.replace(second=0, microsecond=0)


def _invite(meeting: Meeting, method: str) -> None:
    from .tasks import send_meeting_invitations

    send_after_commit(send_meeting_invitations, meeting_id=meeting.pk, method=method)


@transaction.atomic
def schedule_meeting(
    *,
    group: Group,
    by: Person | None,
    starts_at: datetime,
    duration_minutes: int,
    kind: str = Meeting.Kind.COLLECTIVE,
    mode: str = Meeting.Mode.ONLINE,
    agenda: str = "",
    location: str = "",
    individual_with: GroupMember | None = None,
) -> Meeting:
    """Plan a meeting and send every invitee an iCalendar invitation once saved."""
    ensure_open(group.program, error=MentoringError)
    if group.status != Group.Status.ACTIVE:
        raise MentoringError(_("Ce groupe est terminé."))
    if kind == Meeting.Kind.INDIVIDUAL:
        if individual_with is None or individual_with.group_id != group.pk:
            raise MentoringError(_("Choisissez la personne mentorée de la rencontre individuelle."))
    else:
        individual_with = None
    meeting = Meeting(
        group=group,
        kind=kind,
        mode=mode,
        starts_at=_minute(starts_at),
        duration_minutes=duration_minutes,
        agenda=agenda.strip(),
        location=location.strip(),
        individual_with=individual_with,
        created_by=by,
    )
    meeting.full_clean()
    meeting.save()
    if kind == Meeting.Kind.KICKOFF:
        generate_agreement(group=group, by=by)
    if meeting.starts_at > timezone.now():
        # A meeting logged after the fact needs no invitation.
        _invite(meeting, "REQUEST")
    _changed(group)
    return meeting


def schedule_kickoff(*, group: Group, by: Person | None, **kwargs: Any) -> Meeting:
    """The coordinator's first step after acceptance: the kickoff meeting and the agreement
    draft for the group to read before it."""
    ensure_open(group.program, error=MentoringError)
    if (
        group.meetings.filter(kind=Meeting.Kind.KICKOFF)
        .exclude(status=Meeting.Status.CANCELLED)
        .exists()
    ):
        raise MentoringError(_("La rencontre de démarrage est déjà planifiée."))
    return schedule_meeting(group=group, by=by, kind=Meeting.Kind.KICKOFF, **kwargs)


@transaction.atomic
def reschedule_meeting(
    *,
    meeting: Meeting,
    by: Person | None,
    starts_at: datetime,
    duration_minutes: int | None = None,
    reason: str = "",
) -> Meeting:
    ensure_open(meeting.group.program, error=MentoringError)
    if meeting.status != Meeting.Status.PLANNED:
        raise MentoringError(_("Seule une rencontre prévue peut être déplacée."))
    if not reason.strip():
        raise MentoringError(_("Donnez la raison du report : le groupe la recevra."))
    meeting.starts_at = _minute(starts_at)
    if duration_minutes:
        meeting.duration_minutes = duration_minutes
    meeting.reschedule_reason = reason.strip()
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    _invite(meeting, "REQUEST")
    _changed(meeting.group)
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: Person | None, reason: str) -> Meeting:
    ensure_open(meeting.group.program, error=MentoringError)
    if meeting.status != Meeting.Status.PLANNED:
        raise MentoringError(_("Seule une rencontre prévue peut être annulée."))
    if not reason.strip():
        raise MentoringError(_("Donnez la raison de l’annulation : le groupe la recevra."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    meeting.save()
    _invite(meeting, "CANCEL")
    _changed(meeting.group)
    return meeting


@transaction.atomic
def record_meeting(
    *,
    meeting: Meeting,
    by: Person,
    present: list[Person],
    notes: str = "",
    log_time: bool = True,
    minutes: int | None = None,
) -> Meeting:
    """The meeting was held: attendance, optional notes, and (if asked) the meeting's time for
    each present person in the hours bank. Recording again replaces attendance and time."""
    ensure_open(meeting.group.program, error=MentoringError)
    if meeting.status == Meeting.Status.CANCELLED:
        raise MentoringError(_("Cette rencontre a été annulée."))
    if meeting.starts_at > timezone.now():
        raise MentoringError(_("Cette rencontre n’a pas encore eu lieu."))
    invited = {m.role.person_id: m.role.person for m in meeting.invitees()}
    if any(p.pk not in invited for p in present):
        raise MentoringError(_("Cochez seulement des personnes du groupe."))
    if not present:
        raise MentoringError(_("Cochez au moins une personne présente."))
    minutes = minutes or meeting.duration_minutes
    meeting.status = Meeting.Status.HELD
    meeting.duration_minutes = minutes
    meeting.save(update_fields=["status", "duration_minutes", "updated_at"])
    present_ids = {p.pk for p in present}
    for person in invited.values():
        Attendance.objects.update_or_create(
            meeting=meeting, person=person, defaults={"present": person.pk in present_ids}
        )
    meeting.time_entries.all().delete()
    if log_time:
        for person in present:
            TimeEntry.objects.create(
                group=meeting.group,
                person=person,
                date=timezone.localdate(meeting.starts_at),
                minutes=minutes,
                kind=TimeEntry.Kind.MEETING,
                meeting=meeting,
            )
    if notes.strip():
        add_note(meeting=meeting, author=by, text=notes)
    _changed(meeting.group)
    return meeting


@transaction.atomic
def add_note(*, meeting: Meeting, author: Person, text: str) -> MeetingNote:
    # Views decide who writes (the group and the coordinator); notes stay on the platform.
    ensure_open(meeting.group.program, error=MentoringError)
    if not text.strip():
        raise MentoringError(_("La note est vide."))
    return MeetingNote.objects.create(meeting=meeting, author=author, text=text.strip())


@transaction.atomic
def log_time(
    *,
    group: Group,
    person: Person,
    on: date,
    minutes: int,
    kind: str,
    note: str = "",
    meeting: Meeting | None = None,
) -> TimeEntry:
    """Time spent for the group, between meetings or in one."""
    ensure_open(group.program, error=MentoringError)
    _require_member(group, person)
    if minutes <= 0 or minutes > 24 * 60:
        raise MentoringError(_("Indiquez une durée entre 1 minute et 24 heures."))
    if kind not in TimeEntry.Kind.values:
        raise MentoringError(_("Type de temps inconnu."))
    entry = TimeEntry(
        group=group,
        person=person,
        date=on,
        minutes=minutes,
        kind=kind,
        note=note.strip(),
        meeting=meeting,
    )
    entry.full_clean()
    entry.save()
    _changed(group)
    return entry


# --- Updates ---------------------------------------------------------------------------------


@transaction.atomic
def post_update(
    *,
    group: Group,
    author: Person,
    text: str,
    kind: str | None = None,
    next_meeting: Meeting | None = None,
    addressed: list[Need] | None = None,
    changed: list[Need] | None = None,
) -> UpdateMessage:
    """A mentee says where their needs stand (optionally marking some addressed or changed);
    the mentor side posts the planned content of the next meeting for a quick check."""
    ensure_open(group.program, error=MentoringError)
    member = _require_member(group, author)
    if kind is None:
        kind = (
            UpdateMessage.Kind.MENTOR_NEXT_MEETING
            if member.side == GroupMember.Side.MENTOR
            else UpdateMessage.Kind.MENTEE_UPDATE
        )
    if not text.strip():
        raise MentoringError(_("Écrivez quelques mots."))
    if next_meeting is not None and next_meeting.group_id != group.pk:
        raise MentoringError(_("Cette rencontre n’est pas celle du groupe."))
    own = [n for n in [*(addressed or []), *(changed or [])]]
    if any(n.plan.group_id != group.pk or n.plan.mentee_id != member.pk for n in own):
        raise MentoringError(_("Vous pouvez marquer seulement vos propres besoins."))
    message = UpdateMessage.objects.create(
        group=group, author=author, kind=kind, text=text.strip(), next_meeting=next_meeting
    )
    for need in addressed or []:
        need.status = Need.Status.ADDRESSED
        need.save(update_fields=["status", "updated_at"])
        message.needs_addressed.add(need)
    if changed:
        message.needs_changed.add(*changed)
    from .tasks import send_update_notice

    send_after_commit(send_update_notice, message_id=message.pk)
    _changed(group)
    return message


@transaction.atomic
def reply_update(
    *, message: UpdateMessage, person: Person, answer: str, comment: str = ""
) -> UpdateReply:
    ensure_open(message.group.program, error=MentoringError)
    member = _require_member(message.group, person, GroupMember.Side.MENTEE)
    del member
    if message.kind != UpdateMessage.Kind.MENTOR_NEXT_MEETING:
        raise MentoringError(_("On répond seulement au contenu prévu d’une rencontre."))
    if answer not in UpdateReply.Answer.values:
        raise MentoringError(_("Réponse inconnue."))
    reply, _created = UpdateReply.objects.update_or_create(
        message=message, person=person, defaults={"answer": answer, "comment": comment[:500]}
    )
    return reply


# --- Calendar feed ---------------------------------------------------------------------------


def calendar_feed(*, person: Person) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(person=person)
    return feed


@transaction.atomic
def regenerate_calendar_token(*, person: Person) -> CalendarFeed:
    """A new address; the old one stops working at once (404)."""
    feed = calendar_feed(person=person)
    feed.token = new_calendar_token()
    feed.save(update_fields=["token"])
    return feed


# --- Messages --------------------------------------------------------------------------------
# A thread per group: its members (both sides, every member of a team) and the program's
# coordination write; a closed program or an ended group is read-only.


def ensure_thread_open(group: Group) -> None:
    ensure_open(group.program, error=MentoringError)
    if group.status == Group.Status.CLOSED:
        raise MentoringError(
            _("Ce groupe est terminé : ses messages se lisent, mais on n’y écrit plus.")
        )


def may_write_messages(group: Group, person: Person | None) -> bool:
    if person is None:
        return False
    return (
        member_of(group, person) is not None
        or Role.objects.filter(
            program_id=group.program_id, person=person, kind=Role.Kind.COORDINATOR
        ).exists()
    )


def _require_writer(group: Group, person: Person) -> None:
    if not may_write_messages(group, person):
        raise MentoringError(_("Seules les personnes du groupe et la coordination écrivent ici."))


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise MentoringError(_("Écrivez votre message avant de l’envoyer."))
    if len(text) > 5000:
        raise MentoringError(
            _("Votre message est trop long (%(n)s caractères, 5000 au plus).") % {"n": len(text)}
        )
    return text


def post_message(
    *, group: Group, author: Person, text: str, form_token: uuid.UUID | None = None, by: Any = None
) -> GroupMessage:
    """Add a message to the group's thread and tell the others by e-mail as each chose. The
    same form sent twice (`form_token`) returns the first message instead of a second one."""
    ensure_thread_open(group)
    _require_writer(group, author)
    text = _clean_text(text)
    with acting_as(by), transaction.atomic():
        if form_token is not None:
            done = GroupMessage.objects.filter(
                group=group, author=author, form_token=form_token
            ).first()
            if done is not None:
                return done
        message = GroupMessage(group=group, author=author, text=text, form_token=form_token)
        MentoringError.check(message)
        message.save()
        # Writing is reading: the author has seen the thread up to their own message.
        mark_read(group=group, person=author, up_to=message.pk)
        from .tasks import send_message_notices

        send_after_commit(send_message_notices, message_id=message.pk)
    return message


def edit_message(
    *, message: GroupMessage, person: Person, text: str, by: Any = None
) -> GroupMessage:
    """Its author corrects a message within `GroupMessage.EDIT_WINDOW` of sending it."""
    ensure_thread_open(message.group)
    if person.pk != message.author_id:
        raise MentoringError(_("Seule la personne qui l’a écrit peut modifier un message."))
    if message.is_removed:
        raise MentoringError(_("Ce message a été retiré."))
    if not message.can_edit(person):
        raise MentoringError(
            _(
                "Un message se modifie pendant %(n)s minutes après son envoi. Écrivez plutôt un nouveau message."
            )
            % {"n": int(GroupMessage.EDIT_WINDOW.total_seconds() // 60)}
        )
    text = _clean_text(text)
    with acting_as(by), transaction.atomic():
        if text != message.text:
            message.text = text
            message.edited_at = timezone.now()
            message.save(update_fields=["text", "edited_at"])
    return message


def delete_message(*, message: GroupMessage, person: Person, by: Any = None) -> GroupMessage:
    """Its author withdraws a message: the thread shows « message retiré » in its place."""
    ensure_thread_open(message.group)
    if person.pk != message.author_id:
        raise MentoringError(_("Seule la personne qui l’a écrit peut retirer un message."))
    with acting_as(by), transaction.atomic():
        if message.deleted_at is None:
            message.deleted_at = timezone.now()
            message.save(update_fields=["deleted_at"])
            record(action="message.withdrawn", instance=message)
    return message


def hide_message(
    *, message: GroupMessage, by_person: Person, reason: str, by: Any = None
) -> GroupMessage:
    """The coordination hides a message (moderation), with a reason the group reads."""
    group = message.group
    if not Role.objects.filter(
        program_id=group.program_id, person=by_person, kind=Role.Kind.COORDINATOR
    ).exists():
        raise MentoringError(_("Seule la coordination du programme peut masquer un message."))
    reason = reason.strip()
    if not reason:
        raise MentoringError(_("Dites au groupe pourquoi ce message est masqué."))
    with acting_as(by), transaction.atomic():
        if message.hidden_at is None:
            message.hidden_at = timezone.now()
            message.hidden_by = by_person
            message.hidden_reason = reason[:300]
            message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
            record(action="message.hidden", instance=message, changes={"reason": reason[:300]})
    return message


def mark_read(*, group: Group, person: Person, up_to: int | None = None) -> None:
    """Move the person's read marker to `up_to` (the thread's last message by default); it
    never moves back. Not in the audit trail: reading changes nothing anyone decides on."""
    if up_to is None:
        up_to = group.messages.aggregate(last=models.Max("pk"))["last"] or 0
    marker, _created = MessageRead.objects.get_or_create(group=group, person=person)
    if up_to > marker.last_read_id:
        MessageRead.objects.filter(pk=marker.pk, last_read_id__lt=up_to).update(
            last_read_id=up_to, read_at=timezone.now()
        )
