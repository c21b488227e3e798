"""A mentored city is one side: its three people are matched, constrained, counted and accepted
together, as a mentor team is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.models import Team
from maillage.matching.instance import build_instance
from maillage.matching.models import Exclusion
from maillage.matching.services import (
    accept_proposal,
    accept_run,
    forbid_pair,
    lock_pair,
    run_matching,
)
from maillage.mentoring.models import GroupMember
from maillage.programs.models import Role
from maillage.programs.services import assign_role, create_team

from .conftest import GOVERNANCE, LOGISTICS, add_mentee, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(program_a, mentor, mentee, coordinator):
    """Program A, groups of two: Marc (persona) and Nora mentor alone; the city of Rimouski is
    a mentee team of three (Luc its referent); Élise (persona) and Bruno are mentees alone."""
    program = program_a
    mentor.organization = org("Réseau logistique", "16")
    mentor.expertise = LOGISTICS
    mentor.availability = ["wed-pm"]
    mentor.working_style = "structured"
    mentor.save()
    marc = program.roles.get(person=mentor, kind=Role.Kind.MENTOR)
    nora = assign_role(
        program=program,
        person=make_person(
            "Nora",
            "Nord",
            org=org("Alliance territoriale", "05"),
            expertise=GOVERNANCE,
            availability=["wed-pm"],
            working_style="intuitive",
        ),
        kind=Role.Kind.MENTOR,
    )
    town = org("Ville de Rimouski", "01")
    members, roles = [], []
    for first, slot, style, spoken, needs in (
        ("Anne", "mon-am", "", ["fr"], "Mobiliser les partenaires du quartier."),
        ("Luc", "wed-pm", "structured", ["fr"], "Un plan d’action par étapes."),
        ("Zoé", "thu-pm", "", ["en", "fr"], ""),
    ):
        person = make_person(
            first, "Rimouski", availability=[slot], working_style=style, languages=spoken
        )
        members.append(person)
        role = assign_role(program=program, person=person, kind=Role.Kind.MENTEE)
        role.needs = needs
        role.save(update_fields=["needs"])
        roles.append(role)
    team = create_team(
        program=program,
        name="Ville de Rimouski",
        kind=Team.Kind.CITY,
        side=Role.Kind.MENTEE,
        members=members,
        referent=members[1],
        organization=town,
        by=coordinator.user,
    )
    elise = add_mentee(program, mentee, region="02", needs="Camion réfrigéré et tournées.")
    bruno = add_mentee(
        program, make_person("Bruno", "Beauce"), region="07", needs="Entreposage au froid."
    )
    return {
        "program": program,
        "marc": marc,
        "nora": nora,
        "team": team,
        "team_key": f"T{team.pk}",
        "members": [r for r in program.roles.filter(team=team).order_by("pk")],
        "elise": elise,
        "bruno": bruno,
    }


def test_a_mentee_team_is_one_side_with_its_members_merged(city):
    data, _people = build_instance(city["program"])
    mentees = {m["id"]: m for m in data["mentees"]}
    assert set(mentees) == {city["team_key"], f"R{city['elise'].pk}", f"R{city['bruno'].pk}"}
    side = mentees[city["team_key"]]
    assert side["label"] == "Ville de Rimouski"
    assert side["members"] == [f"R{r.pk}" for r in city["members"]]
    assert side["region"] == "QC-01" and side["sector"] == "communautaire"
    assert side["availability"] == ["mon-am", "wed-pm", "thu-pm"]
    assert side["languages"] == ["fr", "en"]
    assert side["style"] == "structured"  # the referent's
    # No id is in both lists: a mentor team and a mentee team never share one.
    assert not {m["id"] for m in data["mentors"]} & set(mentees)


def test_the_needs_of_every_member_are_joined(city):
    _data, people = build_instance(city["program"])
    side = people.mentee(city["team_key"])
    assert "Mobiliser les partenaires" in side.text and "plan d’action" in side.text
    assert side.people == ["Anne Rimouski", "Luc Rimouski", "Zoé Rimouski"]


def test_the_team_is_never_split_and_counts_once_toward_the_group_size(city, coordinator):
    run = run_matching(program=city["program"], by=coordinator.user)
    keys = [key for p in run.proposals.all() for key in p.mentee_keys]
    assert keys.count(city["team_key"]) == 1
    assert not {f"R{r.pk}" for r in city["members"]} & set(keys)
    assert all(len(p.mentee_keys) <= 2 for p in run.proposals.all())
    # Three sides for four places: nobody waits.
    assert [u for u in run.result["unmatched"] if u["side"] == "mentee"] == []


def test_accepting_the_group_makes_every_member_a_mentee_of_it(city, coordinator):
    run = run_matching(program=city["program"], by=coordinator.user)
    proposal = next(p for p in run.proposals.all() if city["team_key"] in p.mentee_keys)
    group = accept_proposal(proposal=proposal, by=coordinator.user)
    mentees = set(
        group.members.filter(side=GroupMember.Side.MENTEE).values_list("role_id", flat=True)
    )
    assert {r.pk for r in city["members"]} <= mentees
    # The approval keeps who the team was when it was accepted.
    kept = {m["id"]: m for m in proposal.approval.inputs["mentees"]}
    assert kept[city["team_key"]]["members"] == [f"R{r.pk}" for r in city["members"]]


def test_an_accepted_team_stays_together_in_later_runs(city, coordinator):
    run = run_matching(program=city["program"], by=coordinator.user)
    groups = accept_run(run=run, by=coordinator.user)
    assert len(groups) == len(run.proposals.all())
    later = run_matching(program=city["program"], by=coordinator.user)
    locked = [x for x in later.instance["locks"] if x["mentee"] == city["team_key"]]
    assert len(locked) == 1
    # Nothing left to accept: the team's group is already formed.
    assert accept_run(run=later, by=coordinator.user) == []


def test_a_forbid_on_one_member_binds_the_team(city, coordinator):
    program, marc = city["program"], f"R{city['marc'].pk}"
    zoe = f"R{city['members'][2].pk}"
    forbid_pair(program=program, mentor_key=marc, mentee_key=zoe, by=coordinator.user)
    data, _people = build_instance(program)
    assert data["forbidden"] == [{"mentor": marc, "mentee": city["team_key"]}]
    run = run_matching(program=program, by=coordinator.user)
    assert city["team_key"] not in run.proposals.get(mentor_key=marc).mentee_keys


def test_a_lock_through_any_member_is_one_lock_of_the_team(city, coordinator):
    program, nora = city["program"], f"R{city['nora'].pk}"
    marc = f"R{city['marc'].pk}"
    anne, luc = (f"R{r.pk}" for r in city["members"][:2])
    lock_pair(program=program, mentor_key=marc, mentee_key=anne, by=coordinator.user)
    # A later lock of another member elsewhere replaces it: a side is imposed on one mentor.
    lock_pair(program=program, mentor_key=nora, mentee_key=luc, by=coordinator.user)
    data, _people = build_instance(program)
    assert data["locks"] == [{"mentor": nora, "mentee": city["team_key"]}]
    run = run_matching(program=program, by=coordinator.user)
    assert city["team_key"] in run.proposals.get(mentor_key=nora).mentee_keys


def test_an_exclusion_declared_on_one_member_binds_the_team(city):
    program = city["program"]
    Exclusion.objects.create(
        program=program,
        mentor=city["nora"],
        mentee=city["members"][0],
        reason="competition",
        declared_by="mentee",
    )
    data, _people = build_instance(program)
    assert [(x["mentor"], x["mentee"]) for x in data["exclusions"]] == [
        (f"R{city['nora'].pk}", city["team_key"])
    ]


def test_a_team_with_roles_on_both_sides_stays_the_mentor_side(city):
    """Only the admin or an import can do this: the mentees are then matched one by one, so
    that "T3" names one side only."""
    program = city["program"]
    Role.objects.filter(pk=city["nora"].pk).update(team=city["team"])
    data, _people = build_instance(program)
    assert city["team_key"] in {m["id"] for m in data["mentors"]}
    mentees = {m["id"] for m in data["mentees"]}
    assert city["team_key"] not in mentees
    assert {f"R{r.pk}" for r in city["members"]} <= mentees


def test_the_matching_page_shows_the_team_with_its_members(client, city, coordinator):
    program = city["program"]
    run_matching(program=program, by=coordinator.user)
    login(client, coordinator)
    page = client.get(reverse("matching:home", args=[program.pk])).content.decode()
    team_url = reverse("programs:team", args=[program.pk, city["team"].pk])
    assert f'<a href="{team_url}">Ville de Rimouski</a>' in page
    assert "Équipe : Anne Rimouski, Luc Rimouski, Zoé Rimouski" in page
    assert "5 personnes mentorées" in page
    assert "Une équipe mentorée compte pour un seul côté" in page


def test_the_explanation_page_names_the_team_and_its_members(client, city, coordinator):
    program = city["program"]
    run = run_matching(program=program, by=coordinator.user)
    accept_run(run=run, by=coordinator.user)
    login(client, city["members"][0].person)
    page = client.get(reverse("mentoring:my_group", args=[program.pk])).content.decode()
    assert "Jumelage de Ville de Rimouski (Anne Rimouski, Luc Rimouski, Zoé Rimouski)" in page
    # A member of the team sees the team's pair only, not the other mentee's of the group.
    assert "Élise Mentorée" not in page.split("Pourquoi ce groupe")[1]
    assert "Bruno Beauce" not in page.split("Pourquoi ce groupe")[1]
