"""A running group of program A (1 July – 15 December 2026): Marc mentors Élise and Léa.

Meetings and time are written straight to the models here, on any date, so that each test can
stand on the day it needs (`today=`); the pilot replay goes through the mentoring services.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from maillage.conftest import make_person
from maillage.core.models import Organization
from maillage.mentoring.models import Group, GroupMember, Meeting, TimeEntry, UpdateMessage
from maillage.mentoring.services import create_group
from maillage.programs.models import Role
from maillage.programs.services import assign_role

APPROVED = date(2026, 7, 2)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def second_mentee(db, program_a, region_qc, community):
    org = Organization.objects.create(
        name="Épicerie Solidaire (fictive)", sector=community, territory=region_qc
    )
    person = make_person("Léa", "Deuxième", org=org, language="en", can_decide=True)
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTEE)
    return person


@pytest.fixture
def group(db, program_a, coordinator, mentor, mentee, second_mentee) -> Group:
    mentor.expertise = (
        "Logistique de transport d’aliments : tournées de collecte, camions réfrigérés, "
        "entreposage au froid, tri des aliments récupérés."
    )
    mentor.save()
    roles = {r.person_id: r for r in program_a.roles.all()}
    return create_group(
        program=program_a,
        mentor_roles=[roles[mentor.pk]],
        mentee_roles=[roles[mentee.pk], roles[second_mentee.pk]],
        approved_by=coordinator.user,
        approved_at=at(APPROVED),
        name="Groupe test",
    )


def held(group: Group, day: date, *, minutes: int = 120, by=None) -> Meeting:
    meeting = Meeting.objects.create(
        group=group, starts_at=at(day), duration_minutes=minutes, status=Meeting.Status.HELD
    )
    mentor = by or next(m.role.person for m in group.members.all() if m.side == "mentor")
    TimeEntry.objects.create(
        group=group,
        person=mentor,
        date=day,
        minutes=minutes,
        kind=TimeEntry.Kind.MEETING,
        meeting=meeting,
    )
    return meeting


def planned(group: Group, day: date) -> Meeting:
    return Meeting.objects.create(group=group, starts_at=at(day), status=Meeting.Status.PLANNED)


def worked(group: Group, day: date, minutes: int) -> TimeEntry:
    mentor = next(m.role.person for m in group.members.all() if m.side == "mentor")
    return TimeEntry.objects.create(
        group=group, person=mentor, date=day, minutes=minutes, kind=TimeEntry.Kind.PREPARATION
    )


def update(group: Group, person, day: date, text: str = "Où en sont mes besoins.") -> UpdateMessage:
    message = UpdateMessage.objects.create(
        group=group, author=person, kind=UpdateMessage.Kind.MENTEE_UPDATE, text=text
    )
    UpdateMessage.objects.filter(pk=message.pk).update(created_at=at(day))
    message.refresh_from_db()
    return message


def member(group: Group, person) -> GroupMember:
    return group.members.get(role__person=person)


@pytest.fixture
def compute(django_capture_on_commit_callbacks):
    """compute_alerts with its e-mails sent as after a real commit."""
    from maillage.alerts.services import compute_alerts

    def run(program, today):
        with django_capture_on_commit_callbacks(execute=True):
            return compute_alerts(program=program, today=today)

    return run


@pytest.fixture
def daily(django_capture_on_commit_callbacks):
    from maillage.alerts.services import run_daily

    def run(today, force=False):
        with django_capture_on_commit_callbacks(execute=True):
            return run_daily(today=today, force=force)

    return run
