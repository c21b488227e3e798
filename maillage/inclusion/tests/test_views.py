"""The pages: who reaches them, what bad input keeps, and that the person's answers are seen by
nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.inclusion.models import Declaration, InclusionGroup, Purpose

from .conftest import declare

pytestmark = pytest.mark.django_db


def _urls(program, group):
    pk = program.pk
    return [
        ("get", reverse("inclusion:home", args=[pk])),
        ("post", reverse("inclusion:group_add", args=[pk])),
        ("get", reverse("inclusion:group", args=[pk, group.pk])),
        ("post", reverse("inclusion:group_remove", args=[pk, group.pk])),
        ("get", reverse("inclusion:mine", args=[pk])),
        ("post", reverse("inclusion:withdraw", args=[pk])),
        ("post", reverse("inclusion:decline", args=[pk])),
    ]


def test_outsider_gets_404_everywhere(client, program_a, outsider, women):
    login(client, outsider)
    for method, url in _urls(program_a, women):
        assert (
            getattr(client, method)(url, {"purpose": "objectives", "key": "youth"}).status_code
            == 404
        ), url
    assert InclusionGroup.objects.filter(program=program_a).count() == 1


def test_anonymous_is_sent_to_sign_in(client, program_a, women):
    for method, url in [*_urls(program_a, women), ("get", reverse("inclusion:my_account"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/comptes/" in response["Location"], url


def test_a_participant_never_reaches_the_coordination_pages(client, program_a, mentee, women):
    login(client, mentee)
    assert client.get(reverse("inclusion:home", args=[program_a.pk])).status_code == 404
    assert client.get(reverse("inclusion:group", args=[program_a.pk, women.pk])).status_code == 404


def test_the_coordinator_has_no_page_of_her_own_to_declare(client, program_a, coordinator, women):
    login(client, coordinator)
    assert client.get(reverse("inclusion:mine", args=[program_a.pk])).status_code == 404


def test_without_the_consent_box_nothing_is_kept_and_the_ticks_stay(
    client, program_a, mentee, women
):
    login(client, mentee)
    url = reverse("inclusion:mine", args=[program_a.pk])
    response = client.post(
        url, {"objectives-purpose": "objectives", "objectives-members": [women.pk]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cochez la case de consentement" in html
    assert f'value="{women.pk}"' in html and "checked" in html
    assert not Declaration.objects.exists()
    response = client.post(
        url,
        {
            "objectives-purpose": "objectives",
            "objectives-members": [women.pk],
            "objectives-consent": "on",
        },
    )
    assert response.status_code == 302
    assert Declaration.objects.filter(person=mentee, group=women).exists()


def test_the_person_sees_what_is_kept_and_nobody_else_does(
    client, program_a, mentee, mentor, coordinator, women
):
    declare(mentee, program_a, members=[women], wishes=[women], purpose=Purpose.MATCHING)
    login(client, mentee)
    html = client.get(reverse("inclusion:mine", args=[program_a.pk])).content.decode()
    assert "Ce que nous gardons" in html and "Je fais partie de : Femmes" in html
    login(client, mentor)
    html = client.get(reverse("inclusion:mine", args=[program_a.pk])).content.decode()
    assert "Ce que nous gardons" not in html
    login(client, coordinator)
    people = client.get(reverse("programs:person", args=[program_a.pk, mentee.pk]))
    assert "Ce que nous gardons" not in people.content.decode()


def test_my_account_lists_the_programs_that_track_groups(client, program_a, mentee, women):
    login(client, mentee)
    account = client.get(reverse("core:account")).content.decode()
    assert reverse("inclusion:my_account") in account
    html = client.get(reverse("inclusion:my_account")).content.decode()
    assert program_a.title in html and reverse("inclusion:mine", args=[program_a.pk]) in html


def test_an_own_group_with_no_french_name_keeps_what_was_typed(client, program_a, coordinator):
    login(client, coordinator)
    url = reverse("inclusion:group_add", args=[program_a.pk])
    response = client.post(url, {"label_fr": "", "label_en": "Caregivers"})
    assert response.status_code == 200
    assert 'value="Caregivers"' in response.content.decode()
    response = client.post(
        url, {"label_fr": "Personnes proches aidantes", "label_en": "Caregivers"}
    )
    assert response.status_code == 302
    assert InclusionGroup.objects.get(program=program_a, label_en="Caregivers").key.startswith(
        "own-"
    )


def test_a_stale_save_shows_both_versions(client, program_a, coordinator, women):
    login(client, coordinator)
    url = reverse("inclusion:group", args=[program_a.pk, women.pk])
    seen = women.revision
    client.post(url, {"label_fr": "Femmes", "target_selected": "40", "revision": seen})
    response = client.post(url, {"label_fr": "Femmes", "target_selected": "50", "revision": seen})
    assert response.status_code == 200
    assert "Modifié par quelqu’un d’autre" in response.content.decode()
    women.refresh_from_db()
    assert women.target_selected == 40


def test_an_objective_over_100_is_refused_in_words(client, program_a, coordinator, women):
    login(client, coordinator)
    url = reverse("inclusion:group", args=[program_a.pk, women.pk])
    response = client.post(url, {"label_fr": "Femmes", "target_matched": "140", "revision": 0})
    assert "Un objectif est un pourcentage de 0 à 100" in response.content.decode()
