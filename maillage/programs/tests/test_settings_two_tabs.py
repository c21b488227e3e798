"""Two tabs on a program's settings: the second save is refused and shows both versions, field
by field; nothing is overwritten (issue 12, finding 5: optimistic locking)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.conftest import login
from maillage.core.locking import StaleEdit
from maillage.programs.models import Program
from maillage.programs.services import update_program

pytestmark = pytest.mark.django_db

STALE = "Modifié par quelqu’un d’autre pendant que vous écriviez"


def url(program) -> str:
    return reverse("programs:edit", args=[program.pk])


def rendered(browser: Client, program) -> dict:
    """What the settings form holds as rendered in one tab."""
    form = browser.get(url(program)).context["form"]
    data = {f.name: f.value() for f in form if f.value() is not None and f.value() is not False}
    assert "revision" in data, "the form carries the revision it was rendered with"
    return data


def test_the_second_tab_is_refused_and_nothing_is_lost(coordinator, program_a):
    one, two = login(Client(), coordinator), login(Client(), coordinator)
    tab_one, tab_two = rendered(one, program_a), rendered(two, program_a)
    saved = one.post(url(program_a), {**tab_one, "title": "Titre du premier onglet"})
    assert saved.status_code == 302
    late = two.post(url(program_a), {**tab_two, "hours_bank": "30", "theme": "Thème du second"})
    page = late.content.decode()
    assert late.status_code == 200
    assert STALE in page
    program = Program.objects.get(pk=program_a.pk)
    assert program.title == "Titre du premier onglet", "the first save is not overwritten"
    assert program.hours_bank == 20
    # Both versions, field by field: theirs (saved) and yours (kept in the form).
    conflict = {row["name"]: row for row in late.context["conflict"]}
    assert conflict["title"]["theirs"] == "Titre du premier onglet"
    assert conflict["title"]["yours"] == "Programme A"
    assert conflict["theme"]["yours"] == "Thème du second"
    assert conflict["hours_bank"]["theirs"] == "20" and conflict["hours_bank"]["yours"] == "30"
    assert 'value="Thème du second"' in page, "what was typed is kept in the form"


def test_after_merging_the_save_goes_through(coordinator, program_a):
    one, two = login(Client(), coordinator), login(Client(), coordinator)
    tab_one, tab_two = rendered(one, program_a), rendered(two, program_a)
    one.post(url(program_a), {**tab_one, "title": "Titre du premier onglet"})
    late = two.post(url(program_a), {**tab_two, "hours_bank": "30"})
    merged = {
        f.name: f.value()
        for f in late.context["form"]
        if f.value() is not None and f.value() is not False
    }
    merged["title"] = "Titre du premier onglet"
    again = two.post(url(program_a), merged)
    assert again.status_code == 302
    program = Program.objects.get(pk=program_a.pk)
    assert (program.title, program.hours_bank) == ("Titre du premier onglet", 30)


def test_each_save_counts_a_revision(program_a):
    assert program_a.revision == 0
    update_program(program=program_a, title="Un")
    update_program(program=Program.objects.get(pk=program_a.pk), revision=1, title="Deux")
    assert Program.objects.get(pk=program_a.pk).revision == 2
    with pytest.raises(StaleEdit) as refused:
        update_program(program=Program.objects.get(pk=program_a.pk), revision=1, title="Trois")
    assert refused.value.current.title == "Deux"
    assert Program.objects.get(pk=program_a.pk).title == "Deux"
