"""« Mes consentements » (issue 12): from « Mon compte », a person sees each program that
processes their information, the state of their consent, and reaches the page that gives or
withdraws it; withdrawing there takes effect and shows on the list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.programs.models import Consent, Role
from maillage.programs.services import assign_role, has_consent, record_consent

pytestmark = pytest.mark.django_db


def test_account_links_to_my_consents(client, mentee):
    login(client, mentee)
    html = client.get(reverse("core:account")).content.decode()
    assert reverse("programs:my_consents") in html


def test_a_mentee_withdraws_from_her_account(client, program_a, mentee):
    login(client, mentee)
    assert has_consent(mentee, program_a)
    page = client.get(reverse("programs:my_consents")).content.decode()
    assert "Programme A" in page and "Consentement donné" in page
    link = re.search(r'href="(/programmes/consentement/[^"]+/)"', page).group(1)
    response = client.post(link, {"answer": "decline"}, follow=True)
    assert "Votre consentement est retiré." in response.content.decode()
    assert not has_consent(mentee, program_a)
    page = client.get(reverse("programs:my_consents")).content.decode()
    assert "Consentement retiré" in page and "Donner de nouveau mon consentement" in page


@pytest.mark.without_default_consent
def test_never_given_is_shown_with_the_way_to_give_it(client, program_a):
    person = make_person("Nora", "Sansconsentement")
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTEE)
    login(client, person)
    page = client.get(reverse("programs:my_consents")).content.decode()
    assert "Consentement jamais donné" in page
    link = re.search(r'href="(/programmes/consentement/[^"]+/)"', page).group(1)
    client.post(link, {"answer": "accept"})
    assert has_consent(person, program_a)


def test_only_ones_own_programs(client, program_a, mentee, outsider):
    record_consent(person=mentee, program=program_a, source=Consent.Source.FORM)
    login(client, outsider)
    page = client.get(reverse("programs:my_consents")).content.decode()
    assert "Programme A" not in page
    assert "Aucun programme ne traite vos renseignements" in page
