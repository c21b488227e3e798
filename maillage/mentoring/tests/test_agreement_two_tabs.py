"""Two tabs on a group's agreement: the second save is refused and shows both texts, point by
point; nothing is overwritten (issue 12, finding 5)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from maillage.conftest import login
from maillage.mentoring.models import Agreement
from maillage.mentoring.services import edit_agreement, generate_agreement


def tab(browser: Client, group) -> dict:
    form = browser.get(reverse("mentoring:agreement", args=[group.program_id, group.pk])).context[
        "form"
    ]
    data = {f.name: f.value() for f in form if f.value() is not None}
    assert "revision" in data
    return data


def test_the_second_tab_is_refused_with_both_texts(group, coordinator):
    generate_agreement(group=group, by=coordinator)
    url = reverse("mentoring:agreement", args=[group.program_id, group.pk])
    one, two = login(Client(), coordinator), login(Client(), coordinator)
    tab_one, tab_two = tab(one, group), tab(two, group)
    assert one.post(url, {**tab_one, "point_1": "Objectifs du premier onglet"}).status_code == 302
    late = two.post(url, {**tab_two, "point_1": "Objectifs du second onglet"})
    page = late.content.decode()
    assert late.status_code == 200
    assert "Modifié par quelqu’un d’autre pendant que vous écriviez" in page
    (row,) = late.context["conflict"]
    assert (row["theirs"], row["yours"]) == (
        "Objectifs du premier onglet",
        "Objectifs du second onglet",
    )
    assert "Objectifs du second onglet</textarea>" in page, "what was typed is kept"
    assert group.current_agreement().points[1][1] == "Objectifs du premier onglet"


def test_a_new_version_counts_on_from_the_last_revision(group, coordinator):
    first = generate_agreement(group=group, by=coordinator)
    texts = [text for _label, text in first.points]
    edited = edit_agreement(group=group, by=coordinator, texts=[*texts[:-1], "Autre"], revision=0)
    assert (edited.pk, edited.revision) == (first.pk, 1)
    assert Agreement.objects.get(pk=first.pk).revision == 1
