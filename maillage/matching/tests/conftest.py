"""Matching tests run with the lexical text fit (maillage/conftest.py): no model to load, same
code path."""

from __future__ import annotations

import pytest

from maillage.conftest import make_person
from maillage.core.models import Organization, Sector, Team, TeamMember, Territory
from maillage.intake.models import Application
from maillage.programs.models import Program, Role
from maillage.programs.services import add_track, assign_role

LOGISTICS = (
    "Transport réfrigéré des denrées, tournées de collecte, entreposage au froid et tri, "
    "partage de camions entre organismes."
)
GOVERNANCE = (
    "Gouvernance d’un regroupement, mobilisation des partenaires, plan d’action par étapes, "
    "liens entre les volets d’un projet."
)


def org(name: str, region: str) -> Organization:
    return Organization.objects.create(
        name=name,
        sector=Sector.objects.get(code="communautaire"),
        territory=Territory.objects.get(code=f"QC-{region}"),
    )


def add_mentee(program: Program, person, *, region: str, needs: str, track=None) -> Role:
    person.organization = org(f"Organisme de {person.first_name}", region)
    person.availability = ["wed-pm"]
    person.working_style = "intuitive"
    person.save()
    Application.objects.create(
        program=program,
        form=program.forms.first(),
        organization_name=person.organization.name,
        contact_name=person.full_name,
        email=person.email,
        status=Application.Status.SELECTED,
        person=person,
        track=track,
        answers={"barriers": needs, "mentoring_help": "Un regard extérieur d’un pair."},
    )
    return assign_role(program=program, person=person, kind=Role.Kind.MENTEE, track=track)


@pytest.fixture
def cast(program_a, mentor, mentee):
    """Program A ready to match: Marc (persona) mentors logistics alone from Montérégie; a team
    of two (Rita and Paul, one side) mentors governance from Estrie; four mentees, one per
    region: Élise (persona) and Bruno need logistics, Chantal and Denis need governance."""
    logistics = add_track(program=program_a, name="Logistique")
    synergies = add_track(program=program_a, name="Synergies")
    mentor.organization = org("Réseau logistique", "16")
    mentor.expertise = LOGISTICS
    mentor.availability = ["wed-pm"]
    mentor.working_style = "structured"
    mentor.save()
    marc = assign_role(program=program_a, person=mentor, kind=Role.Kind.MENTOR, track=logistics)
    team_org = org("Alliance territoriale", "05")
    team = Team.objects.create(name="Équipe Alliance", organization=team_org)
    team_roles = []
    for first in ("Rita", "Paul"):
        person = make_person(
            first,
            "Alliance",
            org=team_org,
            expertise=GOVERNANCE,
            availability=["wed-pm"],
            working_style="structured",
        )
        TeamMember.objects.create(team=team, person=person, is_referent=first == "Rita")
        team_roles.append(
            assign_role(
                program=program_a,
                person=person,
                kind=Role.Kind.MENTOR,
                track=synergies,
                team=team,
                capacity=2,
            )
        )
    elise = add_mentee(
        program_a,
        mentee,
        region="02",
        track=logistics,
        needs="Camion réfrigéré vieillissant, tournées de collecte et entreposage.",
    )
    bruno = add_mentee(
        program_a,
        make_person("Bruno", "Beauce"),
        region="01",
        track=logistics,
        needs="Partager des camions et organiser le tri et l’entreposage au froid.",
    )
    chantal = add_mentee(
        program_a,
        make_person("Chantal", "Centre"),
        region="04",
        track=synergies,
        needs="Revoir la gouvernance et mobiliser des partenaires.",
    )
    denis = add_mentee(
        program_a,
        make_person("Denis", "Dehors"),
        region="07",
        track=synergies,
        needs="Un plan d’action par étapes et des liens entre les volets du projet.",
    )
    return {
        "program": program_a,
        "marc": marc,
        "team": team,
        "team_roles": team_roles,
        "elise": elise,
        "bruno": bruno,
        "chantal": chantal,
        "denis": denis,
        "logistics": logistics,
        "synergies": synergies,
    }
