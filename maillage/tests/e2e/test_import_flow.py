"""In French, on the demo: the coordinator imports a list of people from her program's pages
(issue 14). The upload returns at once; the import's page shows the worker's progress (htmx
polling), then the preview; she confirms (a double click writes once), follows the writing,
sees the result and the new people in the people list. axe-core passes; at 390 px nothing
scrolls sideways."""

from __future__ import annotations

from unittest import mock

from playwright.sync_api import expect

from maillage.core.models import Person
from maillage.demo.editions import DEMO_PASSWORD
from maillage.portability import tasks
from maillage.portability.models import ImportJob

from .conftest import PHONE, axe_violations, fits_the_screen, shoot, sign_in

FILE = (
    "Prénom;Nom;Courriel;Organisation;Région;Rôle\r\n"
    "Adèle;Fortin;adele.fortin@exemple.org;Cuisine collective Lévis;12;mentoré·e\r\n"
    "Bruno;Lachance;bruno.lachance@exemple.org;Frigo partagé;03;mentor\r\n"
    "Chantal;Ouellet;chantal.ouellet@exemple.org;Épicerie solidaire;Capitale-Nationale;mentor\r\n"
).encode("cp1252")


def test_a_coordinator_imports_people_through_the_worker(page, demo):
    reader, writer = tasks.read_import, tasks.write_import
    sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)
    page.get_by_role("link", name=demo.title).first.click()
    page.get_by_role("link", name="Personnes", exact=True).first.click()
    page.get_by_role("link", name="Importer (CSV ou Excel)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importer des personnes ou des candidatures"
    )

    with mock.patch.object(tasks, "read_import"):  # the worker has not picked it up yet
        page.set_input_files(
            "input[type=file]",
            files=[{"name": "nouveaux.csv", "mimeType": "text/csv", "buffer": FILE}],
        )
        page.get_by_role("button", name="Vérifier le fichier").click()
        page.wait_for_load_state("networkidle")
        progress = page.locator("#import-progress")
        expect(progress).to_contain_text("Étape 1 sur 2")
        expect(progress).to_contain_text("Vous pouvez la quitter et revenir")
        assert axe_violations(page) == []
        shoot(page, "import-progress-1280")

        # She leaves and comes back through the import page's list.
        page.get_by_role("link", name="Personnes", exact=True).first.click()
        page.get_by_role("link", name="Importer (CSV ou Excel)").click()
        expect(page.get_by_text("en attente de lecture")).to_be_visible()
        page.get_by_role("link", name="nouveaux.csv").click()
        expect(page.locator("#import-progress")).to_contain_text("Étape 1 sur 2")

    job = ImportJob.objects.get(program=demo, filename="nouveaux.csv")
    reader.call(job_id=job.pk)  # the worker reads it; the polling page reloads on the preview
    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l’importation")
    expect(page.get_by_text("Adèle Fortin")).to_be_visible()
    assert not Person.objects.filter(email="adele.fortin@exemple.org").exists()
    assert axe_violations(page) == []
    shoot(page, "import-preview-1280")

    with mock.patch.object(tasks, "write_import"):
        page.get_by_role("button", name="Confirmer l’importation").dblclick()
        page.wait_for_load_state("networkidle")
        expect(page.locator("#import-progress")).to_contain_text("Étape 2 sur 2")
        shoot(page, "import-writing-1280")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CONFIRMED

    writer.call(job_id=job.pk)  # the worker writes it; the page reloads on the result
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Résultat de l’importation", timeout=20_000
    )
    assert axe_violations(page) == []
    shoot(page, "import-result-1280")
    assert Person.objects.filter(email="adele.fortin@exemple.org").count() == 1
    assert demo.roles.filter(person__email__endswith="@exemple.org").count() == 3

    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    shoot(page, "import-result-390")
    page.get_by_role("link", name="Voir les personnes").click()
    expect(page.get_by_text("Adèle Fortin").first).to_be_visible()
    expect(page.get_by_text("Chantal Ouellet").first).to_be_visible()
    page.get_by_role("link", name="Importer (CSV ou Excel)").click()
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    shoot(page, "import-page-390")
