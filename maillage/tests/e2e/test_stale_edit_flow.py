"""Two tabs on a program's settings, in French: the first tab saves; the second, rendered
before, is refused with « Modifié par quelqu’un d’autre pendant que vous écriviez » and shows
both values field by field, keeping what was typed; saved again after merging, it goes through.
Nothing is ever overwritten silently (issue 12, finding 5). Checked with axe-core at 1280 px and
at 390 px."""

from __future__ import annotations

from playwright.sync_api import expect

from maillage.conftest import PASSWORD
from maillage.programs.models import Program

from .conftest import axe_violations, shoot, sign_in

STALE = "Modifié par quelqu’un d’autre pendant que vous écriviez"


def test_the_second_tab_shows_the_conflict_with_both_values(page, reference_data, program_a):
    sign_in(page, program_a.roles.get().person.email, PASSWORD)
    settings = f"{page.base}/programmes/{program_a.pk}/parametres/"
    other = page.context.new_page()
    other.set_default_timeout(15_000)
    page.goto(settings)
    other.goto(settings)

    page.locator("#id_title").fill("Titre du premier onglet")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Paramètres enregistrés.")).to_be_visible()

    other.locator("#id_title").fill("Titre du second onglet")
    other.locator("#id_hours_bank").fill("30")
    other.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(other.get_by_role("heading", name=STALE)).to_be_visible()
    conflict = other.locator("#conflit")
    expect(conflict.get_by_role("row", name="Titre")).to_contain_text("Titre du premier onglet")
    expect(conflict.get_by_role("row", name="Titre")).to_contain_text("Titre du second onglet")
    expect(conflict).to_contain_text("30")
    expect(other.locator("#id_title")).to_have_value("Titre du second onglet")
    expect(other.locator("#id_hours_bank")).to_have_value("30")
    assert Program.objects.get(pk=program_a.pk).title == "Titre du premier onglet"
    assert axe_violations(other) == []
    shoot(other, "fr-stale-edit-1280")
    other.set_viewport_size({"width": 390, "height": 844})
    expect(other.get_by_role("heading", name=STALE)).to_be_visible()
    assert axe_violations(other) == []
    assert other.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(other, "fr-stale-edit-390")

    # Merged: the first tab's title kept, the second tab's hours bank; saved deliberately.
    other.locator("#id_title").fill("Titre du premier onglet")
    other.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(other.get_by_text("Paramètres enregistrés.")).to_be_visible()
    program = Program.objects.get(pk=program_a.pk)
    assert (program.title, program.hours_bank) == ("Titre du premier onglet", 30)
