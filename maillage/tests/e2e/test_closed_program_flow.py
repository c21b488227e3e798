"""In French, with the demo program and an accepted group: the coordinator closes the program,
sees the banner on every page of it, finds no button to plan a meeting, run the matching or add
a time entry; still writes the report's recommendations and downloads the groups; reopens it and
can record a meeting again. Every changed page passes axe-core, at 1280 px and at 390 px."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from maillage.demo.editions import DEMO_PASSWORD
from maillage.mentoring.models import Meeting
from maillage.programs.models import Program
from maillage.reports.models import Report

from .conftest import axe_violations, shoot, sign_in
from .test_mentoring_flow import accepted_group

BANNER = "Ce programme est terminé"


def _check(page, name: str) -> None:
    assert axe_violations(page) == []
    shoot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == []
    shoot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_coordinator_closes_reads_writes_the_report_reopens_and_records_a_meeting(page, demo):
    group = accepted_group(demo)
    program_url = f"{page.base}/programmes/{demo.pk}/"
    group_url = f"{program_url}groupes/{group.pk}/"
    sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)

    # Closing, after a confirmation that says what stays open.
    page.goto(program_url)
    page.get_by_role("link", name="Clôturer le programme").click()
    expect(page.get_by_text("L’évaluation, le rapport d’impact")).to_be_visible()
    _check(page, "fr-program-close")
    page.get_by_role("button", name="Oui, clôturer le programme").click()
    expect(page.get_by_text("Programme clôturé")).to_be_visible()
    expect(page.get_by_role("heading", name=BANNER)).to_be_visible()
    assert Program.objects.get(pk=demo.pk).is_closed()
    _check(page, "fr-program-closed")

    # The group: readable, with no button to plan a meeting or add time.
    page.goto(group_url)
    expect(page.get_by_role("heading", name=BANNER)).to_be_visible()
    expect(page.get_by_role("heading", name="Rencontres")).to_be_visible()
    expect(page.get_by_role("link", name="Planifier ou consigner une rencontre")).to_have_count(0)
    expect(page.get_by_role("link", name="Planifier la rencontre de démarrage")).to_have_count(0)
    _check(page, "fr-closed-group")
    page.goto(group_url + "heures/")
    expect(page.get_by_role("button", name="Ajouter le temps")).to_have_count(0)
    page.goto(group_url + "reglages/")
    expect(page.get_by_role("button", name="Enregistrer")).to_have_count(0)
    _check(page, "fr-closed-group-settings")

    # No new group: the matching offers no run and no acceptance; no new decision either.
    page.goto(program_url + "jumelage/")
    expect(page.get_by_role("button", name="Lancer le jumelage")).to_have_count(0)
    expect(page.get_by_role("button", name="Accepter ce groupe")).to_have_count(0)
    _check(page, "fr-closed-matching")
    application = demo.applications.first()
    if application is not None:
        page.goto(f"{program_url}candidatures/{application.pk}/")
        expect(page.get_by_role("button", name="Enregistrer la décision")).to_have_count(0)
        _check(page, "fr-closed-application")

    # What comes after the end stays open: the report, and downloads.
    page.goto(program_url + "rapport/")
    page.get_by_role("textbox", name="Recommandations").fill(
        "Garder le comité consultatif d’une édition à l’autre."
    )
    page.get_by_role("button", name="Enregistrer les recommandations").click()
    expect(page.get_by_text("Recommandations enregistrées")).to_be_visible()
    assert "comité consultatif" in Report.objects.get(program=demo, language="fr").recommendations
    download = page.request.get(f"{program_url}groupes/export.csv")
    assert download.ok and "Logistique" in download.text()

    # Reopening, after a confirmation; then a meeting can be recorded again.
    page.goto(program_url)
    page.get_by_role("link", name="Rouvrir le programme").first.click()
    _check(page, "fr-program-reopen")
    page.get_by_role("button", name="Oui, rouvrir le programme").click()
    expect(page.get_by_text("Programme rouvert")).to_be_visible()
    expect(page.get_by_role("heading", name=BANNER)).to_have_count(0)
    page.goto(group_url)
    page.get_by_role("link", name="Planifier ou consigner une rencontre").click()
    when = timezone.localtime(timezone.now() - timedelta(days=1)).replace(hour=10, minute=0)
    page.get_by_label("Type de rencontre").select_option("collective")
    page.get_by_label("Format").select_option("online")
    page.get_by_label("Date et heure").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Durée (minutes)").fill("120")
    page.get_by_role("button", name="Planifier une rencontre").click()
    expect(page.get_by_text("Rencontre planifiée")).to_be_visible()
    assert Meeting.objects.filter(group=group).count() == 1
