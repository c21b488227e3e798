"""Writes for programs: create with the pilot's defaults, update, tracks, roles."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from maillage.core.models import Person

from .errors import ProgramError
from .models import Program, Role, Track
from .signals import program_created

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
