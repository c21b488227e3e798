"""Two tabs on the matching rules and weights: the second save is refused with both versions
(issue 12, finding 5)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.conftest import login
from maillage.programs.models import Program

pytestmark = pytest.mark.django_db


def tab(browser: Client, program) -> dict:
    form = browser.get(reverse("matching:home", args=[program.pk])).context["settings_form"]
    data = {f.name: f.value() for f in form if f.value() is not None and f.value() is not False}
    assert "revision" in data
    return data


def test_the_second_tab_is_refused_with_both_versions(coordinator, program_a):
    one, two = login(Client(), coordinator), login(Client(), coordinator)
    tab_one, tab_two = tab(one, program_a), tab(two, program_a)
    save = reverse("matching:settings", args=[program_a.pk])
    assert one.post(save, {**tab_one, "mentees_per_group": "3"}).status_code == 302
    late = two.post(save, {**tab_two, "mentees_per_group": "4"})
    assert late.status_code == 200
    assert "Modifié par quelqu’un d’autre" in late.content.decode()
    rows = {row["name"]: row for row in late.context["conflict"]}
    assert (rows["mentees_per_group"]["theirs"], rows["mentees_per_group"]["yours"]) == ("3", "4")
    assert Program.objects.get(pk=program_a.pk).mentees_per_group == 3
