"""The health check: each recommendation of Tableau 4, with an ok case and a problem case."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from maillage.alerts import health
from maillage.mentoring.models import ActionPlan, Need
from maillage.mentoring.services import accept_agreement, generate_agreement, set_designation
from maillage.programs.services import update_program

from .conftest import APPROVED, held, member

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 1)


def check(program, key, today=TODAY):
    return next(c for c in health.run_checks(program, today=today) if c.key == key)


def test_every_check_names_its_recommendation_and_step(program_a):
    for c in health.run_checks(program_a, today=TODAY):
        assert c.recommendation.startswith("«")
        assert c.source.startswith("Tableau 4")
        assert c.step in health.STEPS
        assert c.evidence


def test_hours_and_period_in_range(program_a):
    assert check(program_a, "hours_period").status == health.OK  # 20 h, 1 July – 15 December


def test_hours_and_period_out_of_range(program_a):
    update_program(program=program_a, hours_bank=Decimal("60"), end_date=date(2027, 6, 30))
    c = check(program_a, "hours_period")
    assert c.status == health.PROBLEM
    assert any("60" in line for line in c.evidence)
    assert c.action_url.endswith("/parametres/")


def test_group_size_ok_and_problem(program_a):
    assert check(program_a, "group_size").status == health.OK
    update_program(program=program_a, mentees_per_group=6)
    assert check(program_a, "group_size").status == health.PROBLEM


def test_group_with_one_mentee_is_flagged(program_a, coordinator, mentor, mentee):
    from maillage.mentoring.services import create_group

    roles = {r.person_id: r for r in program_a.roles.all()}
    create_group(
        program=program_a,
        mentor_roles=[roles[mentor.pk]],
        mentee_roles=[roles[mentee.pk]],
        approved_by=coordinator.user,
        name="Petit",
    )
    c = check(program_a, "group_size")
    assert c.status == health.WARNING
    assert any("Petit" in line for line in c.evidence)


def test_group_size_evidence_counts_in_singular_and_plural(program_a, coordinator, mentor, mentee):
    from maillage.mentoring.services import create_group

    roles = {r.person_id: r for r in program_a.roles.all()}
    create_group(
        program=program_a,
        mentor_roles=[roles[mentor.pk]],
        mentee_roles=[roles[mentee.pk]],
        approved_by=coordinator.user,
        name="Petit",
    )
    with translation.override("fr"):
        evidence = check(program_a, "group_size").evidence
    assert evidence[0] == "Paramètre : 2 personnes mentorées et 1 côté mentor par groupe."
    assert "Groupe « Petit » : 1 personne mentorée, 1 côté mentor." in evidence


def test_a_mentored_city_counts_as_one_mentee_side(program_a, coordinator, mentor, mentee):
    from maillage.conftest import make_person
    from maillage.core.models import Team
    from maillage.mentoring.services import create_group
    from maillage.programs.models import Role
    from maillage.programs.services import assign_role, create_team

    city = [make_person(first, "Rimouski") for first in ("Anne", "Luc", "Zoé")]
    for person in city:
        assign_role(program=program_a, person=person, kind=Role.Kind.MENTEE)
    create_team(
        program=program_a,
        name="Ville de Rimouski",
        kind=Team.Kind.CITY,
        side=Role.Kind.MENTEE,
        members=city,
        referent=city[0],
        by=coordinator.user,
    )
    roles = program_a.roles.filter(kind=Role.Kind.MENTEE)
    create_group(
        program=program_a,
        mentor_roles=[program_a.roles.get(person=mentor, kind=Role.Kind.MENTOR)],
        mentee_roles=list(roles),
        approved_by=coordinator.user,
        name="Ville et Élise",
    )
    # Élise and the city: two mentee sides, the group the design recommends.
    assert check(program_a, "group_size").status == health.OK


def test_meetings_ok_and_problem(program_a):
    assert check(program_a, "meetings").status == health.OK
    update_program(
        program=program_a,
        meeting_every_min_weeks=8,
        meeting_every_max_weeks=12,
        meeting_duration_hours=Decimal("4"),
    )
    assert check(program_a, "meetings").status == health.PROBLEM


def test_meetings_held_read_in_singular_then_plural(group):
    held(group, date(2026, 7, 10), minutes=90)
    with translation.override("fr"):
        assert "1 rencontre tenue, de 1,5 h." in check(group.program, "meetings").evidence
    held(group, date(2026, 8, 10), minutes=150)
    with translation.override("fr"):
        evidence = check(group.program, "meetings").evidence
    assert "2 rencontres tenues, 2,0 h en moyenne." in evidence


def test_designated_mentees_ok_and_problem(group, mentee, second_mentee):
    for person in (mentee,):
        person.can_decide = True
        person.save()
    assert check(group.program, "designated_mentees").status == health.OK
    set_designation(member=member(group, mentee), is_designated=False, note="poste vacant")
    c = check(group.program, "designated_mentees")
    assert c.status == health.PROBLEM
    assert any("poste vacant" in line for line in c.evidence)


def test_a_mentee_without_decision_power_is_a_warning(group, mentee):
    mentee.can_decide = False
    mentee.save()
    assert check(group.program, "designated_mentees").status == health.WARNING


def _plan(group, person, needs):
    plan, _ = ActionPlan.objects.get_or_create(group=group, mentee=member(group, person))
    for text, inside in needs:
        Need.objects.create(plan=plan, text=text, inside_expertise=inside)


def test_expertise_covers_prioritized_needs(group, mentee):
    assert check(group.program, "expertise_coverage").status == health.NOT_APPLICABLE
    _plan(group, mentee, [("Tournées de collecte", True), ("Entreposage au froid", True)])
    assert check(group.program, "expertise_coverage").status == health.OK


def test_expertise_does_not_cover_prioritized_needs(group, mentee):
    _plan(group, mentee, [("Logiciel de caisse", False), ("Site web", False), ("Tri", True)])
    c = check(group.program, "expertise_coverage")
    assert c.status == health.PROBLEM
    assert any("2 des 3" in line for line in c.evidence)


def test_start_delay_ok_and_problem(group):
    assert check(group.program, "start_delay", today=APPROVED + timedelta(days=5)).status == (
        health.NOT_APPLICABLE
    )
    held(group, APPROVED + timedelta(days=10))
    assert check(group.program, "start_delay").status == health.OK


def test_start_delay_problem_without_a_meeting(group):
    c = check(group.program, "start_delay", today=APPROVED + timedelta(days=30))
    assert c.status == health.PROBLEM
    assert any("30 jours" in line for line in c.evidence)


def test_communication_ok_and_warning(program_a):
    update_program(program=program_a, agreement_communication="Courriel aux deux semaines.")
    assert check(program_a, "communication").status == health.OK
    update_program(program=program_a, update_every_min_days=20, update_every_max_days=30)
    assert check(program_a, "communication").status == health.WARNING


def test_agreement_points_missing_is_a_problem(program_a):
    update_program(program=program_a, agreement_objectives="", agreement_period="")
    c = check(program_a, "agreement")
    assert c.status == health.PROBLEM
    assert any("2 sur 6" in line for line in c.evidence)


def test_agreement_complete_and_accepted_is_ok(group, mentor, mentee, second_mentee):
    for name in group.program.AGREEMENT_POINTS:
        setattr(group.program, name, getattr(group.program, name) or "Texte.")
    update_program(program=group.program)
    agreement = generate_agreement(group=group, by=None)
    for person in (mentor, mentee):
        accept_agreement(group=group, person=person, version=agreement.version)
    assert check(group.program, "agreement").status == health.WARNING  # Léa has not accepted
    accept_agreement(group=group, person=second_mentee, version=agreement.version)
    assert check(group.program, "agreement").status == health.OK


def test_compensation_at_the_pilots_level_is_a_warning(program_a):
    c = check(program_a, "compensation")
    assert health.compensation_rate(program_a) == Decimal("96.15")
    assert c.status == health.WARNING
    assert any("96,15" in line for line in c.evidence)


def test_compensation_above_the_pilot_is_ok_and_none_is_a_problem(program_a):
    update_program(program=program_a, compensation_per_mentor=Decimal("3900"))
    assert check(program_a, "compensation").status == health.OK  # 150 $/h
    update_program(program=program_a, compensation_per_mentor=Decimal("0"))
    assert check(program_a, "compensation").status == health.PROBLEM


def test_by_step_puts_problems_first(program_a):
    update_program(program=program_a, compensation_per_mentor=Decimal("0"))
    steps = dict(health.by_step(health.run_checks(program_a, today=TODAY)))
    planning = steps["Planification et proposition du programme"]
    order = [health.STATUS_ORDER[c.status] for c in planning]
    assert order == sorted(order)
    assert planning[0].status == health.PROBLEM


def test_a_first_meeting_before_the_approval_is_no_quick_start(group):
    # A program entered after the fact: the approval kept today's date, the meeting its own.
    held(group, APPROVED - timedelta(days=20))
    c = check(group.program, "start_delay")
    assert c.status == health.WARNING
    assert not any("-" in line.split("»")[-1] for line in c.evidence)
    assert any("avant l’approbation" in line for line in c.evidence)


def test_the_report_does_not_list_a_negative_delay_as_what_worked(group):
    held(group, APPROVED - timedelta(days=20))
    checks = health.run_checks(group.program, today=TODAY)
    worked = [c.key for c in checks if c.status == health.OK]
    assert "start_delay" not in worked
