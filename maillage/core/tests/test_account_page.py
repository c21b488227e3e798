"""« Mon compte »: reached from the name in the header, a person corrects her own name, phone
and language; nobody else's."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import Person

pytestmark = pytest.mark.django_db

URL = reverse("core:account")


def test_the_header_leads_to_it(as_coordinator, program_a):
    page = as_coordinator.get(reverse("programs:dashboard")).content.decode()
    assert URL in page and "Mon compte" in page


def test_a_person_corrects_her_name_phone_and_language(as_coordinator, coordinator):
    response = as_coordinator.post(
        URL,
        {
            "first_name": "Camille",
            "last_name": "Tremblay",
            "phone": "418 555-0101",
            "language": "en",
        },
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert (coordinator.last_name, coordinator.phone, coordinator.language) == (
        "Tremblay",
        "418 555-0101",
        "en",
    )
    # Only her own: the e-mail and the organization are not hers to change here.
    assert coordinator.email and coordinator.organization is not None


def test_an_empty_name_is_refused_and_what_was_typed_is_kept(as_coordinator):
    response = as_coordinator.post(
        URL, {"first_name": "", "last_name": "Tremblay", "phone": "", "language": "fr"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and "Tremblay" in page


def test_the_first_administrator_without_a_person_gets_one_to_correct(client):
    admin = get_user_model().objects.create_superuser("admin@exemple.org", "admin@exemple.org", "x")
    client.force_login(admin)
    assert client.get(URL).status_code == 200
    person = Person.objects.get(user=admin)
    assert person.first_name != "admin"
    client.post(URL, {"first_name": "Julie", "last_name": "Gagnon", "phone": "", "language": "fr"})
    person.refresh_from_db()
    assert person.full_name == "Julie Gagnon"


def test_anonymous_goes_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_mentor_edits_only_herself(client, mentor, coordinator):
    login(client, mentor)
    client.post(URL, {"first_name": "Marc", "last_name": "Nouveau", "phone": "", "language": "fr"})
    coordinator.refresh_from_db()
    mentor.refresh_from_db()
    assert mentor.last_name == "Nouveau" and coordinator.last_name == "Coordination"
