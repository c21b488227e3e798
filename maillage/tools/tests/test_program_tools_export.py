"""The coordinator's list of every group's tools downloads as CSV/XLSX with the page's rows;
a title typed as a formula comes out as text; only the coordination gets it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.tools.services import add_tool

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://exemple.org/vol","Ouvrir")'


@pytest.fixture
def tools(group, other_group, mentor, other_mentor):
    add_tool(
        group=group,
        shared_by=mentor,
        title="Calculateur de GES",
        type="calculator",
        theme="Transport",
        url="https://exemple.org/ges",
        reuse="public",
    )
    add_tool(
        group=other_group,
        shared_by=other_mentor,
        title=FORMULA,
        type="guide",
        planned=True,
    )


def export(client, program, fmt):
    return client.get(reverse("tools:program_export", args=[program.pk, fmt]))


def test_the_coordinator_downloads_the_rows_of_the_page(client, program_a, tools, coordinator):
    login(client, coordinator)
    page = client.get(reverse("tools:program", args=[program_a.pk])).content.decode()
    assert reverse("tools:program_export", args=[program_a.pk, "csv"]) in page
    rows = csv_rows(export(client, program_a, "csv"))
    assert rows == [
        ["Titre", "Groupe", "Volet", "Thème", "Type", "Sens", "Réutilisation"],
        [
            "Calculateur de GES",
            "Groupe logistique",
            "Logistique",
            "Transport",
            "Calculateur ou application",
            "Mentor·e → personnes mentorées",
            "Public demandé, à confirmer",
        ],
        [
            "'" + FORMULA + " (À venir)",
            "Groupe synergies",
            "Synergies",
            "",
            "Guide",
            "Mentor·e → personnes mentorées",
            "Réservé au groupe",
        ],
    ]
    for title in ("Calculateur de GES", "Groupe synergies", "Public demandé, à confirmer"):
        assert title in page


def test_the_spreadsheet_holds_the_formula_as_text(client, program_a, tools, coordinator):
    login(client, coordinator)
    rows = xlsx_rows(export(client, program_a, "xlsx"))
    assert rows[0][0] == "Titre"
    assert rows[2][0] == "'" + FORMULA + " (À venir)"


@pytest.mark.parametrize("who", ["mentor", "mentee", "committee_member", "outsider"])
def test_anyone_but_the_coordination_gets_404(client, program_a, tools, who, request):
    login(client, request.getfixturevalue(who))
    for fmt in ("csv", "xlsx"):
        assert export(client, program_a, fmt).status_code == 404


def test_an_unknown_format_is_404(client, program_a, tools, coordinator):
    login(client, coordinator)
    assert export(client, program_a, "ods").status_code == 404
