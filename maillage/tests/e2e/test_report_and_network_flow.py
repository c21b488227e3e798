"""In French, with the demo's finished 2025 edition and the demo network: the coordinator starts a
new version of the published report, edits it and publishes it; the funder reads the new version
and the network's totals but no member's figures; the backbone staff asks for fresh figures; the
pages pass axe-core."""

from __future__ import annotations

from playwright.sync_api import expect

from maillage.demo.editions import DEMO_PASSWORD
from maillage.demo.network import build_demo_network
from maillage.demo.pilot import build_past_edition
from maillage.reports.models import Report

from .conftest import axe_violations, shoot, sign_in

NEW_ADVICE = "Prévoir la relève des personnes désignées dès le démarrage"


def test_new_report_version_funder_reads_it_network_staff_refreshes(page, demo):
    past = build_past_edition()
    network = build_demo_network(demo)
    report_url = f"{page.base}/programmes/{past.pk}/rapport/"

    # The coordinator starts version 2 of the published report, edits and publishes it.
    sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)
    page.goto(report_url)
    expect(page.get_by_text("Publié le")).to_be_visible()
    page.get_by_role("button", name="Commencer une nouvelle version").click()
    expect(page.get_by_text("Version 2 en préparation")).to_be_visible()
    expect(page.get_by_text("lisent la version 1")).to_be_visible()
    assert axe_violations(page) == []
    field = page.get_by_role("textbox", name="Recommandations")
    field.fill(field.input_value() + "\n" + NEW_ADVICE)
    page.get_by_role("button", name="Enregistrer les recommandations").click()
    expect(page.get_by_text("Recommandations enregistrées")).to_be_visible()
    page.get_by_role("button", name="Publier le rapport").click()
    expect(page.get_by_text("Rapport publié")).to_be_visible()
    expect(page.get_by_role("heading", name="Versions du rapport")).to_be_visible()
    shoot(page, "fr-report-version-2")
    latest = Report.objects.of(past, "fr").first()
    assert latest.version == 2 and latest.is_published
    assert NEW_ADVICE in latest.snapshot["recommendations"]
    # The indicators download is a real file, named after the program.
    page.goto(f"{page.base}/programmes/{past.pk}/indicateurs/")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").first.click()
    assert download.value.suggested_filename.endswith(".csv")
    page.context.clear_cookies()

    # The funder reads version 2 and the network's totals, never a member's figures.
    sign_in(page, "robert.morin@demo.maillage.org", DEMO_PASSWORD)
    page.goto(report_url)
    expect(page.get_by_text(NEW_ADVICE)).to_be_visible()
    expect(page.get_by_role("button", name="Publier le rapport")).to_have_count(0)
    page.goto(f"{page.base}/reseaux/{network.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(network.name)
    expect(page.get_by_text("Par organisation membre")).to_have_count(0)
    assert axe_violations(page) == []
    assert page.goto(f"{page.base}/reseaux/{network.pk}/membres/").status == 404
    page.context.clear_cookies()

    # The backbone staff sees figures by member and asks for fresh figures.
    sign_in(page, "julie.bergeron@demo.maillage.org", DEMO_PASSWORD)
    page.goto(f"{page.base}/reseaux/{network.pk}/")
    expect(page.get_by_text("Chiffres du")).to_be_visible()
    page.get_by_role("button", name="Mettre à jour les chiffres").click()
    expect(page.get_by_text("Mise à jour des chiffres")).to_be_visible()
    shoot(page, "fr-network-staff")
    page.get_by_role("link", name="Organisations membres").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations membres")
    assert axe_violations(page) == []
