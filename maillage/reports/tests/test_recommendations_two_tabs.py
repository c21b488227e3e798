"""Two tabs on the report's recommendations: the second save is refused and shows both texts,
nothing is overwritten (issue 12, finding 5)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.conftest import login
from maillage.reports.models import Report

pytestmark = pytest.mark.django_db


def tab(browser: Client, program) -> dict:
    page = browser.get(reverse("reports:report", args=[program.pk]))
    form = page.context["form"]
    return {"report": page.context["report"].pk, "revision": form["revision"].value()}


def test_the_second_tab_is_refused_with_both_texts(coordinator, program_a):
    one, two = login(Client(), coordinator), login(Client(), coordinator)
    tab_one, tab_two = tab(one, program_a), tab(two, program_a)
    assert tab_one["revision"] is not None
    save = reverse("reports:recommendations", args=[program_a.pk])
    first = one.post(save, {**tab_one, "recommendations": "Recruter tôt"})
    assert first.status_code == 302
    late = two.post(save, {**tab_two, "recommendations": "Prévoir une rencontre de démarrage"})
    page = late.content.decode()
    assert late.status_code == 409
    assert "Modifié par quelqu’un d’autre pendant que vous écriviez" in page
    (row,) = late.context["conflict"]
    assert (row["theirs"], row["yours"]) == ("Recruter tôt", "Prévoir une rencontre de démarrage")
    assert "Prévoir une rencontre de démarrage</textarea>" in page, "what was typed is kept"
    assert Report.objects.get(pk=tab_one["report"]).recommendations == "Recruter tôt"
    # Saved again after reading: a deliberate change.
    merged = late.context["form"]["revision"].value()
    again = two.post(
        save, {**tab_two, "revision": merged, "recommendations": "Recruter tôt\nPrévoir"}
    )
    assert again.status_code == 302
    assert Report.objects.get(pk=tab_one["report"]).recommendation_list() == [
        "Recruter tôt",
        "Prévoir",
    ]
