"""A running group of program A: Marc (mentor, cold-chain logistics) with Élise and Nadia;
a second group (Paul with Zoé) whose members must see nothing of the first; Odile observes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.conftest import make_person
from maillage.mentoring.models import Group
from maillage.mentoring.services import create_group
from maillage.mentoring.signals import group_changed
from maillage.programs.models import Role
from maillage.programs.services import assign_role


@pytest.fixture(autouse=True)
def without_alerts():
    """Mentoring's tests count their own e-mails: the alerts a change brings up to date (a floor
    above, maillage/alerts/tests/test_recompute_on_change.py) stay out of their outbox."""
    answered = group_changed.disconnect(sender=Group, dispatch_uid="alerts.recompute_group")
    yield
    if answered:
        from maillage.alerts.receivers import recompute_group

        group_changed.connect(recompute_group, sender=Group, dispatch_uid="alerts.recompute_group")


def role(program, person, kind):
    return program.roles.get(person=person, kind=kind)


@pytest.fixture
def second_mentee(program_a):
    person = make_person("Nadia", "Deuxième")
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTEE)
    return person


@pytest.fixture
def group(program_a, mentor, mentee, second_mentee, coordinator) -> Group:
    mentor.expertise = (
        "Logistique du froid, transport réfrigéré, entreposage des denrées, "
        "tournées de collecte chez les épiceries"
    )
    mentor.save()
    return create_group(
        program=program_a,
        mentor_roles=[role(program_a, mentor, Role.Kind.MENTOR)],
        mentee_roles=[
            role(program_a, mentee, Role.Kind.MENTEE),
            role(program_a, second_mentee, Role.Kind.MENTEE),
        ],
        approved_by=coordinator.user,
        name="Logistique",
    )


@pytest.fixture
def other_member(program_a, coordinator):
    """Zoé, a mentee of another group of the same program."""
    paul = make_person("Paul", "Autre")
    zoe = make_person("Zoé", "Ailleurs")
    create_group(
        program=program_a,
        mentor_roles=[assign_role(program=program_a, person=paul, kind=Role.Kind.MENTOR)],
        mentee_roles=[assign_role(program=program_a, person=zoe, kind=Role.Kind.MENTEE)],
        approved_by=coordinator.user,
        name="Synergies",
    )
    return zoe


@pytest.fixture
def observer(program_a):
    person = make_person("Odile", "Observe")
    assign_role(program=program_a, person=person, kind=Role.Kind.OBSERVER)
    return person


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def later(**kwargs):
    return timezone.now() + timedelta(**kwargs)
