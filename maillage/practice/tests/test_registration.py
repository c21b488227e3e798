"""Registrations: a seat while there are seats, then the waiting list in order; a cancelled
seat goes to the first in line; a double click registers once; e-mails carry the .ics."""

from __future__ import annotations

import pytest
from django.core import mail

from maillage.conftest import make_person
from maillage.core.models import AuditEntry
from maillage.practice import services
from maillage.practice.errors import PracticeError
from maillage.practice.models import Registration

pytestmark = pytest.mark.django_db
Status = Registration.Status


def test_seats_then_waiting_list(
    series, member, member_b, org_a, django_capture_on_commit_callbacks
):
    third = make_person("Gaël", "Trois", org=org_a)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register(series=series, person=member, by=member.user)
        second = services.register(series=series, person=member_b, by=member_b.user)
        waiting = services.register(series=series, person=third, by=third.user)
    assert (first.status, second.status, waiting.status) == (
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,
    )
    assert waiting.waiting_rank() == 1
    assert series.seats_left() == 0
    confirmed_mail = mail.outbox[0]
    assert "Inscription confirmée" in confirmed_mail.subject
    ics = [a for a in confirmed_mail.message().walk() if a.get_content_type() == "text/calendar"]
    assert ics and ics[0].get_payload(decode=True).decode().count("BEGIN:VEVENT") == 7
    assert "Liste d’attente" in mail.outbox[2].subject
    assert not [
        a for a in mail.outbox[2].message().walk() if a.get_content_type() == "text/calendar"
    ]


def test_a_double_click_registers_once(series, member):
    one = services.register(series=series, person=member, by=member.user)
    two = services.register(series=series, person=member, by=member.user)
    assert one.pk == two.pk
    assert Registration.objects.filter(series=series, person=member).count() == 1
    assert AuditEntry.objects.filter(action="practice.registered").count() == 1


def test_a_freed_seat_goes_to_the_first_in_line(
    series, member, member_b, org_a, django_capture_on_commit_callbacks
):
    third = make_person("Gaël", "Trois", org=org_a)
    fourth = make_person("Hélène", "Quatre", org=org_a)
    services.register(series=series, person=member, by=member.user)
    services.register(series=series, person=member_b, by=member_b.user)
    services.register(series=series, person=third, by=third.user)
    services.register(series=series, person=fourth, by=fourth.user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_registration(
            registration=Registration.objects.get(person=member), by=member.user
        )
    assert promoted.person == third
    assert Registration.objects.get(person=third).status == Status.CONFIRMED
    assert Registration.objects.get(person=fourth).waiting_rank() == 1
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("Inscription annulée" in s for s in subjects)
    assert any("Inscription confirmée" in s for s in subjects)
    assert AuditEntry.objects.filter(action="practice.promoted").count() == 1


def test_leaving_the_waiting_list_promotes_no_one(series, member, member_b, org_a):
    third = make_person("Gaël", "Trois", org=org_a)
    for person in (member, member_b, third):
        services.register(series=series, person=person, by=person.user)
    assert (
        services.cancel_registration(
            registration=Registration.objects.get(person=third), by=third.user
        )
        is None
    )
    assert series.confirmed().count() == 2


def test_more_seats_take_people_from_the_waiting_list(series, member, member_b, org_a, staff):
    third = make_person("Gaël", "Trois", org=org_a)
    for person in (member, member_b, third):
        services.register(series=series, person=person, by=person.user)
    promoted = services.set_capacity(series=series, capacity=5, by=staff.user)
    assert [r.person for r in promoted] == [third]
    assert series.waiting().count() == 0


def test_registering_again_after_cancelling_reuses_the_row(series, member):
    registration = services.register(series=series, person=member, by=member.user)
    services.cancel_registration(registration=registration, by=member.user)
    again = services.register(series=series, person=member, by=member.user)
    assert again.pk == registration.pk and again.status == Status.CONFIRMED


def test_people_outside_the_network_cannot_register(series, outsider, funder):
    for person in (outsider, funder):
        with pytest.raises(PracticeError):
            services.register(series=series, person=person, by=person.user)
    assert not Registration.objects.exists()


def test_closed_registrations_refuse(series, member, staff):
    services.set_registration_open(series=series, open=False, by=staff.user)
    with pytest.raises(PracticeError):
        services.register(series=series, person=member, by=member.user)
