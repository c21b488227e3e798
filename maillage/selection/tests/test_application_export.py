"""One application's scores per criterion and reviewer as CSV or XLSX, as on its page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.tests.downloads import csv_rows, xlsx_rows

from .conftest import make_application, score_all

pytestmark = pytest.mark.django_db


def url(application, fmt: str) -> str:
    return reverse(
        "selection:application_export", args=[application.program_id, application.pk, fmt]
    )


@pytest.fixture
def reviewed(program_a, three_criteria, coordinator, second_reviewer):
    application = make_application(program_a, "Frigo partagé")
    score_all(application, coordinator, [4, 5, 1], comment="Solide, partenariat à bâtir.")
    score_all(application, second_reviewer, [2, 3, 3], comment="-1 pour le budget")
    return application


def test_csv_has_each_reviewer_in_a_column_and_the_weighted_scores(as_coordinator, reviewed):
    rows = csv_rows(as_coordinator.get(url(reviewed, "csv")))
    assert rows[0] == ["Critère", "Poids", "Camille Coordination", "Rémi Relecteur"]
    assert rows[1:4] == [
        ["Impact", "3", "4", "2"],
        ["Ouverture", "2", "5", "3"],
        ["Partenariat", "1", "1", "3"],
    ]
    # (3·4 + 2·5 + 1·1) / 6 = 3.83 and (3·2 + 2·3 + 1·3) / 6 = 2.5
    assert rows[4] == ["Note pondérée (0–5)", "", "3.83", "2.5"]
    assert rows[5] == ["Évaluation complète", "", "Oui", "Oui"]
    assert rows[6] == ["Commentaire", "", "Solide, partenariat à bâtir.", "'-1 pour le budget"]
    assert rows[7][0] == "Mise à jour le"


def test_xlsx_reads_back_with_numbers(as_coordinator, reviewed):
    rows = xlsx_rows(as_coordinator.get(url(reviewed, "xlsx")))
    assert rows[1] == ["Impact", 3.0, 4, 2]
    assert rows[4][2:] == [pytest.approx(3.83), 2.5]
    assert rows[6][3] == "'-1 pour le budget"


def test_committee_member_gets_the_same_table(client, reviewed, committee_member):
    login(client, committee_member)
    rows = csv_rows(client.get(url(reviewed, "csv")))
    assert rows[0][2:] == ["Camille Coordination", "Rémi Relecteur"]


def test_the_page_links_to_both_formats(as_coordinator, reviewed):
    html = as_coordinator.get(
        reverse("selection:application", args=[reviewed.program_id, reviewed.pk])
    ).content.decode()
    assert url(reviewed, "csv") in html and url(reviewed, "xlsx") in html


def test_outsider_and_participants_get_404(client, reviewed, outsider, mentor):
    for person in (outsider, mentor):
        login(client, person)
        assert client.get(url(reviewed, "csv")).status_code == 404


def test_an_application_of_another_program_is_404(client, reviewed, outsider):
    login(client, outsider)
    own = outsider.roles.get().program
    crossed = reverse("selection:application_export", args=[own.pk, reviewed.pk, "csv"])
    assert client.get(crossed).status_code == 404
