"""The pages people use: staff create a series from their network page, members register from
« Mes programmes », a facilitator takes attendance, people who came answer the questionnaire."""

from __future__ import annotations

import pytest
from django.core import mail

from maillage.practice.models import Feedback, Registration, Series

pytestmark = pytest.mark.django_db


def test_members_find_the_communities_from_their_home(client, series, member):
    client.force_login(member.user)
    home = client.get("/programmes/").content.decode()
    assert "/pratique/" in home and "Communautés de pratique" in home
    assert "Jasettes mentoriales" in client.get("/pratique/").content.decode()


def test_staff_find_them_on_the_network_page(client, network, staff):
    client.force_login(staff.user)
    page = client.get(f"/reseaux/{network.pk}/").content.decode()
    assert f"/pratique/reseaux/{network.pk}/" in page


def test_outsiders_see_no_link(client, series, outsider):
    client.force_login(outsider.user)
    assert "/pratique/" not in client.get("/programmes/").content.decode()


def test_bad_input_keeps_what_was_typed(client, network, staff):
    client.force_login(staff.user)
    response = client.post(
        f"/pratique/reseaux/{network.pk}/nouvelle-serie/",
        {
            "title": "Jasettes",
            "themes": "Un\nDeux",
            "first_day": "2026-01-14",
            "start_time": "12:00",
            "duration_minutes": "90",
            "every_months": "1",
            "capacity": "20",
            "survey": "each",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez le lien de la visioconférence, le lieu, ou les deux." in page
    assert "Jasettes" in page and "Deux" in page
    assert not Series.objects.exists()


def test_a_double_click_on_register_registers_once(client, series, member):
    client.force_login(member.user)
    for _ in range(2):
        assert client.post(f"/pratique/series/{series.pk}/inscription/").status_code == 302
    assert Registration.objects.filter(series=series, person=member).count() == 1


def test_the_register_page_refuses_get(client, series, member):
    client.force_login(member.user)
    assert client.get(f"/pratique/series/{series.pk}/inscription/").status_code == 405
    assert not Registration.objects.exists()


def test_attendance_then_feedback(
    client, series, member, facilitator, django_capture_on_commit_callbacks
):
    client.force_login(member.user)
    client.post(f"/pratique/series/{series.pk}/inscription/")
    meeting = series.meetings.get(number=1)
    client.force_login(facilitator.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/pratique/rencontres/{meeting.pk}/presences/",
            {"present": [str(member.pk)], "notes": "Bon échange."},
        )
    assert response.status_code == 302
    assert any("Votre avis" in m.subject for m in mail.outbox)
    client.force_login(member.user)
    url = f"/pratique/rencontres/{meeting.pk}/appreciation/"
    page = client.get(url).content.decode()
    assert "Très satisfait·e" in page
    response = client.post(url, {"q1": "5", "q2": "yes", "q3": "Plus d’exemples."})
    assert response.status_code == 302
    assert Feedback.objects.get().answers == {
        "satisfaction": 5,
        "would_recommend": "yes",
        "comment": "Plus d’exemples.",
    }
    # The notes are shared with the people registered.
    assert "Bon échange." in client.get(f"/pratique/rencontres/{meeting.pk}/").content.decode()


def test_someone_who_did_not_come_gets_no_questionnaire(
    client, series, member, member_b, facilitator
):
    from maillage.practice import services

    for person in (member, member_b):
        services.register(series=series, person=person, by=person.user)
    meeting = series.meetings.get(number=1)
    services.take_attendance(meeting=meeting, present=[member], by=facilitator.user)
    url = f"/pratique/rencontres/{meeting.pk}/appreciation/"
    client.force_login(member_b.user)
    assert client.get(url).status_code == 404
    client.force_login(member.user)
    assert client.get(url).status_code == 200
