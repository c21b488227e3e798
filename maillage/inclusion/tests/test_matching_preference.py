"""A declared matching preference changes the proposed group and the explanation says so in
words, without naming the group to the coordination; a withdrawal takes it out of the matching
inputs, those stored with the runs too (Done when, issue 16)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.inclusion import services
from maillage.inclusion.models import Purpose
from maillage.matching.instance import build_instance
from maillage.matching.models import MatchRun
from maillage.matching.services import run_matching
from maillage.matching.tests.conftest import add_mentee, org
from maillage.programs.models import Role
from maillage.programs.services import assign_role

from .conftest import declare

pytestmark = pytest.mark.django_db

NEEDS = "Tournées de collecte, camion réfrigéré et entreposage au froid des denrées."


@pytest.fixture
def two_mentors(program_a, mentor):
    """Marc fits Élise's needs a little better than Sophie; both can take her."""
    mentor.organization = org("Réseau logistique", "16")
    mentor.expertise = "Tournées de collecte, camion réfrigéré, entreposage au froid, tri."
    mentor.availability = ["wed-pm"]
    mentor.save()
    sophie = make_person(
        "Sophie",
        "Mentore",
        org=org("Coop du froid", "05"),
        expertise="Tournées de collecte et partage de camions entre organismes.",
        availability=["wed-pm"],
    )
    assign_role(program=program_a, person=sophie, kind=Role.Kind.MENTOR)
    return mentor, sophie


def _mentor_of(run: MatchRun, mentee_role: Role) -> str:
    key = f"R{mentee_role.pk}"
    return next(p.mentor_key for p in run.proposals.all() if key in p.mentee_keys)


def _key(program, person) -> str:
    return f"R{program.roles.get(person=person, kind=Role.Kind.MENTOR).pk}"


def test_a_declared_preference_changes_the_proposed_group_and_is_explained_in_words(
    client, program_a, coordinator, mentee, two_mentors, women
):
    marc, sophie = two_mentors
    elise = add_mentee(program_a, mentee, region="02", needs=NEEDS)
    before = run_matching(program=program_a, by=coordinator.user)
    assert _mentor_of(before, elise) == _key(program_a, marc)

    declare(sophie, program_a, members=[women], purpose=Purpose.MATCHING)
    declare(mentee, program_a, members=[women], wishes=[women], purpose=Purpose.MATCHING)
    after = run_matching(program=program_a, by=coordinator.user)
    assert _mentor_of(after, elise) == _key(program_a, sophie)

    login(client, coordinator)
    html = client.get(reverse("matching:home", args=[program_a.pk])).content.decode()
    assert "Préférence déclarée respectée, comme demandé par la personne mentorée." in html
    # The coordination reads that a preference was honoured, never which group.
    page = html.split('id="groupe-')[1:]
    assert not any("Femmes" in part for part in page)
    # Nor in the run's inputs it downloads.
    data = client.get(reverse("matching:run_inputs", args=[program_a.pk])).content.decode()
    assert "inclusion-" not in data and json.loads(data)["mentees"]


def test_declarations_for_the_objectives_never_reach_the_engine(
    program_a, mentee, two_mentors, women
):
    marc, sophie = two_mentors
    add_mentee(program_a, mentee, region="02", needs=NEEDS)
    declare(sophie, program_a, members=[women])
    declare(mentee, program_a, members=[women])
    data, _people = build_instance(program_a)
    assert not any("attributes" in p or "preferences" in p for p in data["mentors"])
    assert not any("attributes" in p or "preferences" in p for p in data["mentees"])


def test_a_withdrawal_leaves_the_matching_inputs_and_the_stored_runs(
    program_a, coordinator, mentee, two_mentors, women
):
    marc, sophie = two_mentors
    elise = add_mentee(program_a, mentee, region="02", needs=NEEDS)
    declare(sophie, program_a, members=[women], purpose=Purpose.MATCHING)
    declare(mentee, program_a, wishes=[women], purpose=Purpose.MATCHING)
    run = run_matching(program=program_a, by=coordinator.user)
    stored = {p["id"]: p for p in run.instance["mentees"]}
    assert stored[f"R{elise.pk}"]["preferences"] == {f"inclusion-{women.pk}": "oui"}

    services.withdraw(person=mentee, program=program_a, purpose=Purpose.MATCHING, by=mentee.user)

    data, _people = build_instance(program_a)
    assert not any("preferences" in p for p in data["mentees"])
    run.refresh_from_db()
    assert "preferences" not in {p["id"]: p for p in run.instance["mentees"]}[f"R{elise.pk}"]
    # Sophie's own declaration is hers: it stays until she withdraws it.
    assert any("attributes" in p for p in data["mentors"])
    again = run_matching(program=program_a, by=coordinator.user)
    assert _mentor_of(again, elise) == _key(program_a, marc)


def test_the_person_who_asked_reads_her_wish_named_on_her_own_page(
    client, program_a, coordinator, mentee, two_mentors, women
):
    from maillage.matching.services import accept_run

    marc, sophie = two_mentors
    add_mentee(program_a, mentee, region="02", needs=NEEDS)
    declare(sophie, program_a, members=[women], purpose=Purpose.MATCHING)
    declare(mentee, program_a, wishes=[women], purpose=Purpose.MATCHING)
    accept_run(run=run_matching(program=program_a, by=coordinator.user), by=coordinator.user)

    login(client, mentee)
    html = client.get(reverse("mentoring:my_group", args=[program_a.pk])).content.decode()
    assert "Votre préférence déclarée est respectée : côté mentor du groupe « Femmes »" in html
    login(client, sophie)
    html = client.get(reverse("mentoring:my_group", args=[program_a.pk])).content.decode()
    assert "Pourquoi ce groupe" in html and "Femmes" not in html
