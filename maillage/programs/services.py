"""Writes for programs: create with the pilot's defaults, update, tracks, roles."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.audit import record
from maillage.core.copies import copy_row
from maillage.core.models import Organization, Person
from maillage.core.services import find_or_create_organization

from .errors import ProgramError
from .models import Program, Role, Track
from .signals import program_created, program_duplicated

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
    person = Person.objects.filter(user=user).first()
    if person is None:
        email = user.email or user.get_username()
        person = Person.objects.create(
            user=user,
            first_name=user.first_name or email.split("@")[0],
            last_name=user.last_name,
            email=email,
        )
    return person


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
        program = create_program(
            by=person_of(by),
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


@transaction.atomic
def close_program(*, program: Program) -> Program:
    """Close the program: it stays readable, and its public forms take no more applications."""
    if program.is_closed():
        return program
    before = program.status
    program.status = Program.Status.CLOSED
    program.save(update_fields=["status", "updated_at"])
    record(
        action="program.closed",
        instance=program,
        program_id=program.pk,
        changes={"status": [before, program.status]},
    )
    return program


@transaction.atomic
def update_program(*, program: Program, **fields: Any) -> Program:
    # Compare with what is stored: a ModelForm has already written the new values on `program`.
    stored = Program.objects.filter(pk=program.pk).values(*Program.AGREEMENT_POINTS).first() or {}
    points_before = [stored.get(name) for name in Program.AGREEMENT_POINTS]
    for name, value in fields.items():
        setattr(program, name, value)
    if points_before != [getattr(program, name) for name in Program.AGREEMENT_POINTS]:
        # Each side accepts a precise version of the agreement: a new text is a new version.
        program.agreement_version += 1
    program.full_clean()
    program.save()
    return program


def add_track(*, program: Program, name: str, description: str = "") -> Track:
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
    if track is not None and track.program_id != program.pk:
        raise ProgramError(_("Ce volet n’appartient pas à ce programme."))
    role, _created = Role.objects.update_or_create(
        program=program, person=person, kind=kind, defaults={"track": track, **extra}
    )
    return role


def remove_role(*, role: Role) -> None:
    program = role.program
    if (
        role.kind == Role.Kind.COORDINATOR
        and program.roles.filter(kind=Role.Kind.COORDINATOR).count() == 1
    ):
        raise ProgramError(_("Un programme garde au moins une personne à la coordination."))
    role.delete()
