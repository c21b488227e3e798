"""Writes for programs: create with the pilot's defaults, update, tracks, roles."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.audit import acting_as, record
from maillage.core.copies import copy_row
from maillage.core.errors import DomainError
from maillage.core.locking import StaleEdit, locked
from maillage.core.models import AuditEntry, Organization, Person, Team, TeamMember
from maillage.core.outbox import send_after_commit
from maillage.core.services import (
    find_or_create_organization,
    find_or_create_person,
    find_or_create_team,
    merge_person,
    name_key,
    person_for_account,
    preferred_person,
    update_organization,
    update_profile,
)

from .errors import ProgramError
from .models import Consent, Program, ProgramInvitation, Role, Track
from .selectors import people_visible_to
from .signals import consent_withdrawn, program_created, program_duplicated

# The six points of the agreement, pre-filled from the pilot (seed 000, conclusion) so a
# coordinator edits rather than starts from a blank page.
DEFAULT_AGREEMENT = {
    "agreement_responsibilities": (
        "La personne mentore partage sa vision, ses savoirs, son expérience et ses contacts "
        "pertinents ; elle n’a pas à produire de livrables. Les personnes mentorées préparent "
        "les rencontres, tiennent la personne mentore informée de leurs besoins et appliquent "
        "les apprentissages. La coordination organise, observe et évalue."
    ),
    "agreement_objectives": (
        "Objectifs établis à la rencontre de démarrage à partir d’une liste de besoins "
        "priorisés qui relèvent de l’expertise de la personne mentore."
    ),
    "agreement_referents": (
        "Une personne désignée dans chaque organisation, présente du début à la fin, "
        "en position de décider et d’appliquer les changements."
    ),
    "agreement_period": "Environ 20 heures de mentorat sur quatre à six mois.",
    "agreement_meetings": "Rencontres en ligne d’environ deux heures toutes les deux à quatre semaines, collectives ou individuelles selon les besoins.",
    "agreement_communication": (
        "Un court message de mise à jour des personnes mentorées toutes les une à deux semaines ; "
        "la personne mentore valide le contenu prévu avant chaque rencontre."
    ),
}


@transaction.atomic
def create_program(*, by: Person | None, with_defaults: bool = True, **fields: Any) -> Program:
    """Create a program with the pilot's parameters, the default interest form and criteria."""
    program = Program(**fields)
    for name, text in DEFAULT_AGREEMENT.items():
        if not getattr(program, name):
            setattr(program, name, text)
    program.full_clean()
    program.save()
    if by is not None:
        Role.objects.create(program=program, person=by, kind=Role.Kind.COORDINATOR)
    program_created.send(sender=Program, program=program, by=by, with_defaults=with_defaults)
    return program


def person_of(user: Any) -> Person:
    """The person behind an account; the platform's first administrator may have none yet."""
    return person_for_account(user)


def _once(token: uuid.UUID, make: Any) -> Program:
    """The program this page's token already made, or `make()`'s: a double click or a resent
    form makes one program."""
    done = Program.objects.filter(creation_token=token).first()
    if done is not None:
        return done
    try:
        with transaction.atomic():
            return make()
    except IntegrityError:
        # The other click of a double click won the race for this token.
        done = Program.objects.filter(creation_token=token).first()
        if done is None:
            raise
        return done


def start_program(
    *,
    by: Any,
    token: uuid.UUID,
    title: str,
    theme: str,
    organization: Organization | None = None,
    organization_name: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
) -> Program:
    """A new program from the pilot's template, coordinated by the account `by`."""

    def make() -> Program:
        chosen = organization
        if chosen is None and organization_name.strip():
            chosen, _created = find_or_create_organization(
                name=organization_name, error=ProgramError
            )
        person = person_of(by)
        if chosen is not None and person.organization_id is None:
            # Her own organization, the one she coordinates for: her person had none yet (the
            # platform's first administrator, or someone invited without one).
            # Saved alone: the rest of her record is hers to complete, not this form's to check.
            with acting_as(by):
                person.organization = chosen
                person.save(update_fields=["organization"])
        program = create_program(
            by=person,
            title=title,
            theme=theme,
            coordinating_organization=chosen,
            start_date=start_date,
            end_date=end_date,
            creation_token=token,
        )
        record(action="program.created", instance=program, program_id=program.pk)
        return program

    return _once(token, make)


# What a new edition does not take from the last one: its identity, its stage, its period.
NOT_COPIED = {
    "id",
    "title",
    "status",
    "start_date",
    "end_date",
    "creation_token",
    "agreement_version",
}


def duplicate_program(
    *,
    source: Program,
    by: Any,
    token: uuid.UUID,
    title: str,
    start_date: date | None = None,
    end_date: date | None = None,
) -> tuple[Program, list[str]]:
    """A new edition of `source` with its design (tracks, parameters, agreement, and through
    `program_duplicated` its forms, criteria, questionnaires and mentor pool), coordinated by
    the account `by`; with the lines that say what carried over."""
    carried: list[str] = []

    def make() -> Program:
        fields = {
            field.attname: getattr(source, field.attname)
            for field in Program._meta.concrete_fields
            if field.name not in NOT_COPIED
            and not getattr(field, "auto_now", False)
            and not getattr(field, "auto_now_add", False)
        }
        person = person_of(by)
        copy = create_program(
            by=person,
            with_defaults=False,
            title=title,
            start_date=start_date,
            end_date=end_date,
            creation_token=token,
            **fields,
        )
        tracks = {track.pk: copy_row(track, program=copy) for track in source.tracks.all()}
        carried.append(ngettext("%(n)s volet", "%(n)s volets", len(tracks)) % {"n": len(tracks)})
        for _receiver, lines in program_duplicated.send(
            sender=Program, source=source, copy=copy, tracks=tracks, by=person
        ):
            carried.extend(lines or [])
        record(
            action="program.duplicated",
            instance=copy,
            program_id=copy.pk,
            changes={"source": source.pk},
        )
        return copy

    return _once(token, make), carried


def reach_stage(*, program: Program, stage: str) -> Program:
    """Move the program forward to `stage` because something happened there (the first
    application, decision, matching run, group, final interview); never back, so a step
    taken again or late changes nothing."""
    if not program.is_before(stage):
        return program
    # Read the stored stage: the caller's copy of the program may be stale.
    stored = Program.objects.filter(pk=program.pk).values_list("status", flat=True).first()
    program.status = stored or program.status
    if not program.is_before(stage):
        return program
    before = program.status
    program.status = stage
    program.save(update_fields=["status", "updated_at"])
    record(
        action="program.stage",
        instance=program,
        program_id=program.pk,
        changes={"status": [before, stage]},
    )
    return program


# The people of the program's operational work; coordinators, observers and funders can still
# be added to a closed program, since evaluation and the report go on after the end.
PARTICIPANT_KINDS = (Role.Kind.MENTOR, Role.Kind.MENTEE, Role.Kind.COMMITTEE)


def ensure_open(program: Program, *, error: type[DomainError] = ProgramError) -> None:
    """Refuse a write to the operational data of a closed program (`error`: the caller's app
    error, so that its views show the message in place of the form).

    Once a coordinator closes a program (`close_program`), what it did is frozen; what is done
    after the end stays open. The line, app by app:

    - frozen (the write services call this helper):
      programs: settings and agreement text, tracks, mentors', mentees' and committee members'
      roles, mentees' needs and matching profiles, teams;
      intake: interest forms and their questions, applications (public form, by hand, import),
      potential mentors;
      selection: criteria, reviews, committee opinions, decisions and their notices;
      matching: settings, runs, pair constraints, exclusions, accepting proposals;
      mentoring: new groups, group settings, agreements and their acceptances, action plans
      (needs, objectives, steps), meetings, notes, time entries, updates;
      tools: adding, completing, publishing or removing a tool;
      evaluation: new questionnaire rounds (planned, or sent now or by the daily job);
    - open: evaluation of what was done (rounds already sent: their answers, reminders and
      closing date; final interviews, observers' notes, quotes and consents; questionnaires'
      wording), the impact report (writing,
      publishing, a new version), accreditation dossiers (preparing, submitting, assessing), coordinators', observers' and funders' roles (their work goes
      on after the end), a new edition duplicated from this one, networks' figures, exports and
      downloads, personal data requests, organizations' and people's contact details, and
      reading everything;
    - the daily job and alerts already skip closed programs.

    Reopening (`reopen_program`) lifts the freeze. The stored status is read, so that a stale
    copy of the program cannot write past a closing.
    """
    if program.pk is None:
        return
    status = Program.objects.filter(pk=program.pk).values_list("status", flat=True).first()
    if status == Program.Status.CLOSED:
        raise error(
            _(
                "Ce programme est terminé : ses données sont en lecture seule. "
                "Rouvrez-le pour faire cette modification."
            )
        )


@transaction.atomic
def close_program(*, program: Program) -> Program:
    """Close the program: it stays readable, and its operational data is frozen (see
    `ensure_open` for what stays open). Under a row lock: a second click finds it closed and
    records nothing more."""
    current = locked(program)
    # The caller's object follows the row: callers go on using it.
    program.status = current.status
    if program.is_closed():
        return program
    before = program.status
    program.status = Program.Status.CLOSED
    program.closed_at = timezone.now()
    program.save(update_fields=["status", "closed_at", "updated_at"])
    record(
        action="program.closed",
        instance=program,
        program_id=program.pk,
        changes={"status": [before, program.status]},
    )
    return program


@transaction.atomic
def reopen_program(*, program: Program) -> Program:
    """Reopen a closed program: its data can be changed again. It goes back to the stage it
    had when it was closed (read from the audit entry of the closing), or to evaluation."""
    current = locked(program)
    program.status = current.status
    if not program.is_closed():
        return program
    closing = (
        AuditEntry.objects.filter(program_id=program.pk, action="program.closed")
        .order_by("-at", "-pk")
        .values_list("changes", flat=True)
        .first()
    )
    stages = {value for value, _label in Program.Status.choices} - {Program.Status.CLOSED}
    earlier = (closing or {}).get("status", [None])[0]
    before = program.status
    program.status = earlier if earlier in stages else Program.Status.EVALUATING
    program.closed_at = None
    program.save(update_fields=["status", "closed_at", "updated_at"])
    record(
        action="program.reopened",
        instance=program,
        program_id=program.pk,
        changes={"status": [before, program.status]},
    )
    return program


@transaction.atomic
@transaction.atomic
def update_program(*, program: Program, revision: int | None = None, **fields: Any) -> Program:
    """Save the program's settings. `revision` is the one the edit form was rendered with: if
    someone saved since, `StaleEdit` (holding the saved program) refuses rather than overwrite;
    None (a script, the demo) saves without the check. Every save counts one more revision."""
    ensure_open(program)
    # Compare with what is stored: a ModelForm has already written the new values on `program`.
    stored = locked(program)
    if revision is not None and stored.revision != revision:
        raise StaleEdit(stored)
    points_before = [getattr(stored, name) for name in Program.AGREEMENT_POINTS]
    program.revision = stored.revision + 1
    for name, value in fields.items():
        setattr(program, name, value)
    if points_before != [getattr(program, name) for name in Program.AGREEMENT_POINTS]:
        # Each side accepts a precise version of the agreement: a new text is a new version.
        program.agreement_version += 1
    program.full_clean()
    program.save()
    return program


def add_track(*, program: Program, name: str, description: str = "") -> Track:
    ensure_open(program)
    name = name.strip()
    if not name:
        raise ProgramError(_("Donnez un nom au volet."))
    if program.tracks.filter(name__iexact=name).exists():
        raise ProgramError(_("Ce programme a déjà un volet nommé « %(name)s ».") % {"name": name})
    return Track.objects.create(
        program=program, name=name, description=description, order=program.tracks.count()
    )


def assign_role(
    *, program: Program, person: Person, kind: str, track: Track | None = None, **extra: Any
) -> Role:
    if kind in PARTICIPANT_KINDS:
        ensure_open(program)
    if track is not None and track.program_id != program.pk:
        raise ProgramError(_("Ce volet n’appartient pas à ce programme."))
    role, _created = Role.objects.update_or_create(
        program=program, person=person, kind=kind, defaults={"track": track, **extra}
    )
    return role


def remove_role(*, role: Role) -> None:
    if role.kind in PARTICIPANT_KINDS:
        ensure_open(role.program)
    program = role.program
    if (
        role.kind == Role.Kind.COORDINATOR
        and program.roles.filter(kind=Role.Kind.COORDINATOR).count() == 1
    ):
        raise ProgramError(_("Un programme garde au moins une personne à la coordination."))
    role.delete()


# --- Profiles and teams ------------------------------------------------------------------------


def update_role_needs(*, role: Role, needs: str, by: Any) -> Role:
    """A mentee's needs in this program: what matching compares with the mentors' expertise."""
    ensure_open(role.program)
    needs = (needs or "").strip()
    if role.needs != needs:
        with acting_as(by):
            role.needs = needs
            role.save(update_fields=["needs"])
    return role


def complete_own_profile(
    *, roles: list[Role], by: Any, seen: Any = None, needs: str | None = None, **fields: Any
) -> Person:
    """A mentor or mentee completes her own matching profile (`roles`: hers in one program).

    Her organization's sector and region are set only while they are empty: once given, they
    are the coordination's, since the organization is shared with other people."""
    ensure_open(roles[0].program)
    person = roles[0].person
    org_fields = {
        name: fields.pop(name)
        for name in ("sector", "territory")
        if name in fields and fields[name] is not None
    }
    with transaction.atomic():
        person = update_profile(person=person, by=by, seen=seen, error=ProgramError, **fields)
        org = person.organization
        if org is not None:
            org_fields = {n: v for n, v in org_fields.items() if getattr(org, f"{n}_id") is None}
            if org_fields:
                update_organization(organization=org, by=by, **org_fields)
        mentee = next((r for r in roles if r.kind == Role.Kind.MENTEE), None)
        if mentee is not None and needs is not None:
            update_role_needs(role=mentee, needs=needs, by=by)
    return person


def _team_roles(
    *, program: Program, side: str, members: list[Person], referent: Person | None, team: Any
) -> list[Role]:
    if side not in (Role.Kind.MENTOR, Role.Kind.MENTEE):
        raise ProgramError(_("Choisissez le côté de l’équipe : mentor ou mentoré."), "side")
    if len(members) < 2:
        raise ProgramError(_("Une équipe compte au moins deux personnes."), "members")
    if referent is None or referent not in members:
        raise ProgramError(
            _("Choisissez la personne-référence parmi les membres de l’équipe."), "referent"
        )
    roles = list(
        program.roles.filter(kind=side, person__in=members).select_related("person", "team")
    )
    found = {role.person_id for role in roles}
    for person in members:
        if person.pk not in found:
            raise ProgramError(
                _("%(person)s n’a pas le rôle %(role)s dans ce programme.")
                % {"person": person.full_name, "role": Role.Kind(side).label},
                "members",
            )
    for role in roles:
        if role.team_id and (team is None or role.team_id != team.pk):
            raise ProgramError(
                _("%(person)s fait déjà partie de l’équipe « %(team)s » : retirez-l’en d’abord.")
                % {"person": role.person.full_name, "team": role.team.name},
                "members",
            )
    return roles


def _set_members(
    *, program: Program, team: Team, roles: list[Role], referent: Person, side: str
) -> None:
    keep = {role.person_id for role in roles}
    for role in program.roles.filter(team=team, kind=side).exclude(person_id__in=keep):
        role.team = None
        role.save(update_fields=["team"])
    team.memberships.exclude(person_id__in=keep).delete()
    for role in roles:
        if role.team_id != team.pk:
            role.team = team
            role.save(update_fields=["team"])
        person = role.person
        if (
            team.kind == Team.Kind.ORGANIZATION
            and team.organization_id
            and person.organization_id is None
        ):
            # A team of one organization: who belonged to none belongs to it.
            person.organization = team.organization
            person.save(update_fields=["organization", "updated_at"])
        membership, _created = TeamMember.objects.get_or_create(team=team, person=person)
        if membership.is_referent != (role.person_id == referent.pk):
            membership.is_referent = role.person_id == referent.pk
            membership.save(update_fields=["is_referent"])


def teams_of(program: Program) -> Any:
    """The teams of this program: those some of its roles belong to."""
    return Team.objects.filter(role__program=program).distinct()


def side_of(team: Team, program: Program) -> str:
    kinds = set(program.roles.filter(team=team).values_list("kind", flat=True))
    return Role.Kind.MENTEE if kinds == {Role.Kind.MENTEE} else Role.Kind.MENTOR


@transaction.atomic
def create_team(
    *,
    program: Program,
    name: str,
    kind: str,
    side: str,
    members: list[Person],
    referent: Person | None,
    organization: Organization | None = None,
    by: Any,
) -> Team:
    """A team on one side of the program (a mentor team of one organization, a city team of
    several) with its members and its referent. A team of this name already in the program is
    refused (the import's name rule), never taken from another program."""
    ensure_open(program)
    roles = _team_roles(program=program, side=side, members=members, referent=referent, team=None)
    with acting_as(by):
        team, created = find_or_create_team(
            name=name, among=(teams_of(program),), organization=organization, error=ProgramError
        )
        if not created:
            raise ProgramError(
                _("Ce programme a déjà une équipe nommée « %(team)s ».") % {"team": team.name},
                "name",
            )
        team.kind = kind
        ProgramError.check(team)
        team.save()
        _set_members(program=program, team=team, roles=roles, referent=referent, side=side)
    return team


@transaction.atomic
def update_team(
    *,
    program: Program,
    team: Team,
    name: str,
    kind: str,
    members: list[Person],
    referent: Person | None,
    organization: Organization | None = None,
    by: Any,
) -> Team:
    ensure_open(program)
    side = side_of(team, program)
    roles = _team_roles(program=program, side=side, members=members, referent=referent, team=team)
    other = next(
        (t for t in teams_of(program).exclude(pk=team.pk) if name_key(t.name) == name_key(name)),
        None,
    )
    if other is not None:
        raise ProgramError(
            _("Ce programme a déjà une équipe nommée « %(team)s ».") % {"team": other.name}, "name"
        )
    with acting_as(by):
        team.name, team.kind, team.organization = " ".join(name.split()), kind, organization
        ProgramError.check(team)
        team.save()
        _set_members(program=program, team=team, roles=roles, referent=referent, side=side)
    return team


@transaction.atomic
def dissolve_team(*, program: Program, team: Team, by: Any) -> None:
    """Its members stay in the program, each on their own; the team goes when no other program
    and no past group uses it."""
    ensure_open(program)
    with acting_as(by):
        for role in program.roles.filter(team=team):
            role.team = None
            role.save(update_fields=["team"])
        if not Role.objects.filter(team=team).exists() and not _kept_elsewhere(team):
            team.delete()


def _kept_elsewhere(team: Team) -> bool:
    """Whether a record of a higher floor points at the team (a mentoring group that had it as
    its mentor side): deleting it would erase that history, so the team row stays, unused."""
    own = {TeamMember, Role, Team.members.through}
    return any(
        relation.related_model._default_manager.filter(**{relation.field.name: team}).exists()
        for relation in Team._meta.related_objects
        if relation.related_model not in own and not relation.many_to_many
    )


# --- Someone typed by e-mail -------------------------------------------------------------------
# Typing an address must neither show nor reach a person the coordinator cannot see, nor tell
# whether the address is on the platform: both cases look the same from the program's side.


def person_by_email(
    *,
    program: Program,
    by: Any,
    email: str,
    error: type[DomainError] = ProgramError,
    **details: Any,
) -> tuple[Person, bool]:
    """The person `by` reaches with this e-mail for `program`, and True when the record is new.

    One `by` already sees (`people_visible_to`) is used as is. Otherwise a new record holds only
    what was given; if Maillage knows the address from elsewhere, that person is invited to
    join the program (`ProgramInvitation`, by e-mail and on their home page), and their own
    record joins only when they accept. The caller cannot tell the two apart."""
    person, created = find_or_create_person(
        email=email,
        among=people_visible_to(user=by, program=program),
        error=error,
        **details,
    )
    if created:
        # Whether the address is known elsewhere is looked up by the worker, after the
        # request: the request does the same work either way, and takes the same time.
        from .tasks import offer_to_join

        send_after_commit(
            offer_to_join,
            program_id=program.pk,
            stand_in_id=person.pk,
            by_id=getattr(by, "pk", None),
        )
    return person, created


def offer_to_join(*, program: Program, stand_in: Person, by: Any) -> ProgramInvitation | None:
    """Invite the person Maillage knows by the stand-in's address, if any, to join `program`
    (run by the worker, see `person_by_email`)."""
    person = preferred_person(
        Person.objects.filter(email__iexact=stand_in.email.strip()).exclude(pk=stand_in.pk)
    )
    if person is None:
        return None
    with acting_as(by), transaction.atomic():
        invitation, created = ProgramInvitation.objects.get_or_create(
            program=program,
            stand_in=stand_in,
            status=ProgramInvitation.Status.PENDING,
            defaults={"person": person, "created_by": by},
        )
        if not created:
            return invitation
        record(
            action="program.invitation_sent",
            instance=invitation,
            program_id=program.pk,
            # The stand-in only: the person's own record is not this program's yet.
            object_repr=str(stand_in),
            changes={"stand_in": stand_in.pk},
        )
        from .tasks import send_program_invitation

        send_after_commit(send_program_invitation, invitation_id=invitation.pk)
    return invitation


@transaction.atomic
def answer_invitation(*, invitation: ProgramInvitation, accept: bool) -> ProgramInvitation:
    """The invited person's answer. Accepted, the roles given to the stand-in become theirs,
    with their own profile; declined, the program keeps its stand-in (only what it typed)."""
    invitation = ProgramInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != ProgramInvitation.Status.PENDING:
        raise ProgramError(_("Vous avez déjà répondu à cette invitation."))
    roles = invitation.offered_roles()
    if accept and not roles:
        raise ProgramError(_("Cette invitation n’est plus valable : la coordination l’a retirée."))
    person, stand_in = invitation.person, invitation.stand_in
    with acting_as(person.user):
        if accept:
            for role in roles:
                if program_role := invitation.program.roles.filter(
                    person=person, kind=role.kind
                ).first():
                    # Already holds it: the stand-in's copy goes, with its team and needs kept.
                    program_role.track = program_role.track or role.track
                    program_role.save(update_fields=["track"])
                    role.delete()
            merge_person(stand_in=stand_in, into=person)
            if not has_consent(person, invitation.program):
                record_consent(
                    person=person,
                    program=invitation.program,
                    source=Consent.Source.INVITATION,
                    by=person.user,
                    text=consent_text(invitation.program),
                    version=CONSENT_TEXT_VERSION,
                )
        invitation.status = (
            ProgramInvitation.Status.ACCEPTED if accept else ProgramInvitation.Status.DECLINED
        )
        invitation.answered_at = timezone.now()
        if accept and not Person.objects.filter(pk=invitation.stand_in_id).exists():
            invitation.stand_in = None  # merged into the person's own record
        invitation.save(update_fields=["status", "answered_at", "stand_in"])
        record(
            action="program.invitation_accepted" if accept else "program.invitation_declined",
            instance=invitation,
            program_id=invitation.program_id,
            changes={"person": person.pk, "roles": [role.kind for role in roles]},
        )
    return invitation


# --- Consent (Law 25) ------------------------------------------------------------------------

# The version of the consent text shown by the consent request page (`consent_text`): a change
# of its words is a new version, and the consents already given keep the one they agreed to.
CONSENT_TEXT_VERSION = 1
CONSENT_SALT = "maillage.programs.consent"
CONSENT_LIFETIME = 60 * 60 * 24 * 60  # seconds a consent link answers: two months


def consent_purpose(program: Program) -> str:
    return _(
        "Participer au programme « %(program)s » : sélection, jumelage, suivi des rencontres "
        "et évaluation du programme."
    ) % {"program": program.title}


def consent_text(program: Program) -> str:
    """What a person agrees to through a consent request, kept word for word with the consent."""
    return _(
        "J’accepte que la coordination du programme « %(program)s » recueille et utilise mes "
        "renseignements personnels (coordonnées, organisation, profil de jumelage, réponses aux "
        "questionnaires) pour la sélection, le jumelage, le suivi des rencontres et l’évaluation "
        "du programme. Je peux retirer ce consentement en tout temps depuis « Mon compte » ou en "
        "écrivant à la personne responsable de la protection des renseignements personnels."
    ) % {"program": program.title}


def has_consent(person: Person | None, program: Program) -> bool:
    if person is None:
        return False
    return Consent.objects.of(person, program).valid().exists()


def without_consent(people: list[Person], program: Program) -> list[Person]:
    """Those of `people` who have not consented (or withdrew) for `program`."""
    consenting = set(
        Consent.objects.filter(program=program, person__in=people)
        .valid()
        .values_list("person_id", flat=True)
    )
    return [person for person in people if person.pk not in consenting]


def ensure_consent(
    people: list[Person], program: Program, *, error: type[DomainError] = ProgramError
) -> None:
    """Refuse processing anyone who has not consented for `program`, naming them."""
    missing = without_consent(people, program)
    if missing:
        raise error(
            ngettext(
                "%(names)s n’a pas donné son consentement pour ce programme : envoyez-lui une "
                "demande de consentement depuis la page Personnes.",
                "%(names)s n’ont pas donné leur consentement pour ce programme : envoyez-leur une "
                "demande de consentement depuis la page Personnes.",
                len(missing),
            )
            % {"names": ", ".join(p.full_name for p in missing)}
        )


def record_consent(
    *,
    person: Person,
    program: Program,
    source: str,
    by: Any = None,
    text: str = "",
    version: int | None = None,
    language: str = "",
    given_at: Any = None,
) -> Consent:
    """Record that `person` consented for `program`, and how (`Consent.Source`)."""
    with acting_as(by), transaction.atomic():
        consent = Consent(
            person=person,
            program=program,
            purpose=consent_purpose(program)[:300],
            text=text,
            version=version,
            language=language or person.language or "fr",
            source=source,
            given_at=given_at or timezone.now(),
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        ProgramError.check(consent)
        consent.save()
        record(
            action="consent.given",
            instance=consent,
            changes={"source": source, "version": version, "person": person.pk},
        )
    return consent


def withdraw_consent(*, person: Person, program: Program, by: Any) -> int:
    """The person withdraws their consent: dated, never deleted (the record proves what was
    agreed to and until when); processing stops from now.

    What follows, as a privacy officer and a coordinator expect it:
    - the person leaves every matching pool at once: no run, self-matching board or speed-dating
      event of the program takes them (`Role.objects.consented()`), their profile card is shown
      to nobody (kept, so that a change of mind finds it, and erased with the program's data);
    - their live self-matching requests are cancelled, the other side told without the reason
      (a withdrawal is the person's own business);
    - an active group they are in is NOT dissolved or edited by the platform: the coordination
      gets an alert (and its e-mail) for each such group, talks with the person and decides
      (remove them, close the group, or record a consent again). What the group already holds
      (meetings, hours) stays as the record of what happened while the consent was valid;
    - the coordinator's matching page lists them among the people left out, with the date.
    The consent_withdrawn signal lets the apps above do their part in this transaction."""
    with acting_as(by), transaction.atomic():
        count = Consent.objects.of(person, program).valid().update(withdrawn_at=timezone.now())
        if not count:
            raise ProgramError(_("Il n’y a pas de consentement à retirer."))
        record(
            action="consent.withdrawn",
            model="programs.Consent",
            object_id=str(person.pk),
            object_repr=str(person),
            program_id=program.pk,
            changes={"person": person.pk, "count": count},
        )
        consent_withdrawn.send(sender=Program, program=program, person=person, by=by)
    return count


def consent_token(person: Person, program: Program) -> str:
    return signing.dumps({"p": person.pk, "g": program.pk}, salt=CONSENT_SALT)


def from_consent_token(token: str) -> tuple[Person, Program] | None:
    try:
        data = signing.loads(token, salt=CONSENT_SALT, max_age=CONSENT_LIFETIME)
    except signing.BadSignature:
        return None
    person = Person.objects.filter(pk=data.get("p")).first()
    program = Program.objects.filter(pk=data.get("g")).first()
    if person is None or program is None or not program.roles.filter(person=person).exists():
        return None
    return person, program


def request_consent(*, person: Person, program: Program, by: Any) -> None:
    """E-mail `person` a link to give (or refuse) their consent for `program`: for people added
    by hand or by import, who have not consented yet."""
    if not person.email:
        raise ProgramError(_("Cette personne n’a pas de courriel : ajoutez-le d’abord."))
    if has_consent(person, program):
        raise ProgramError(_("Cette personne a déjà donné son consentement."))
    with acting_as(by):
        record(
            action="consent.requested",
            model="programs.Consent",
            object_id=str(person.pk),
            object_repr=str(person),
            program_id=program.pk,
            changes={"person": person.pk},
        )
    from .tasks import send_consent_request

    send_after_commit(send_consent_request, person_id=person.pk, program_id=program.pk)


def consent_on_adding(*, person: Person, program: Program, given: bool, by: Any) -> None:
    """A person added by hand: the coordinator records the consent the person gave them, or
    the person is asked for it by e-mail (once, while they have none)."""
    if not program.roles.filter(person=person, kind__in=PARTICIPANT_KINDS).exists():
        return  # coordination, observers and funders work for the program: no consent asked
    if has_consent(person, program):
        return
    if given:
        record_consent(
            person=person,
            program=program,
            source=Consent.Source.VERBAL,
            by=by,
            text=consent_text(program),
            version=CONSENT_TEXT_VERSION,
        )
    elif person.email:
        request_consent(person=person, program=program, by=by)
