"""The create forms of the communities of practice count once, whatever the clicks: the form
sent twice with its token makes one series, one resource, one question."""

from __future__ import annotations

import pytest

from maillage.practice.models import Question, Resource, Series
from maillage.tests.test_create_forms_once import form_fields

pytestmark = pytest.mark.django_db


def _twice(client, page: str, action: str | None, typed: dict[str, str]) -> None:
    fields = form_fields(client.get(page).content.decode(), action)
    assert "form_token" in fields
    data = {**fields, **typed}
    first = client.post(action or page, data)
    second = client.post(action or page, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_a_series_is_created_once(client, network, staff):
    client.force_login(staff.user)
    page = f"/pratique/reseaux/{network.pk}/nouvelle-serie/"
    _twice(
        client,
        page,
        None,
        {
            "title": "Jasettes",
            "themes": "Un\nDeux",
            "first_day": "2026-01-14",
            "start_time": "12:00",
            "duration_minutes": "60",
            "place": "Salle 2",
        },
    )
    assert Series.objects.count() == 1


def test_a_resource_and_a_question_are_added_once(client, series, staff):
    client.force_login(staff.user)
    meeting = series.meetings.first()
    page = f"/pratique/rencontres/{meeting.pk}/"
    _twice(
        client,
        f"{page}ressources/",
        None,
        {"title": "Guide", "url": "https://exemple.org/guide"},
    )
    _twice(client, page, f"{page}questions/", {"text": "Pourquoi ?"})
    assert Resource.objects.count() == 1
    assert Question.objects.count() == 1
