"""The ranked applications as CSV or XLSX: rank, scores, spread, opinion and decision, as on the
page, for the coordinator and the committee, with the page's filters."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.intake.models import Application
from maillage.selection.models import Decision
from maillage.selection.services import decide_application, record_opinion

from .conftest import make_application, score_all, when

pytestmark = pytest.mark.django_db

HEADER = [
    "Rang",
    "Organisation",
    "Personne contact",
    "Doublon possible de",
    "Région",
    "Reçue le",
    "Statut",
    "Évaluations",
    "Note (0–5)",
    "Écart : note la plus basse",
    "Écart : note la plus haute",
    "Avis du comité",
    "Rencontre du comité",
    "Décision",
    "Volet",
    "À aviser",
    "Avisée le",
]


def url(program, fmt: str) -> str:
    return reverse("selection:applications_export", args=[program.pk, fmt])


@pytest.fixture
def ranked(program_a, three_criteria, coordinator, second_reviewer):
    """Two reviewers far apart on « Frigo », one on a formula-like name, one not scored."""
    frigo = make_application(program_a, "Frigo partagé", received=when(3))
    trap = make_application(
        program_a,
        '=HYPERLINK("http://piege.example","Cliquez")',
        email="piege@x.example",
        contact="@Jean",
        received=when(2),
    )
    waiting = make_application(
        program_a, "Pas notée", email="attente@x.example", region="QC-03", received=when(1)
    )
    score_all(frigo, coordinator, [5, 5, 5])
    score_all(frigo, second_reviewer, [1, 2, 3])
    score_all(trap, coordinator, [2, 2, 2])
    record_opinion(
        application=frigo, opinion="favorable", by=coordinator.user, meeting_date=date(2026, 4, 8)
    )
    decide_application(
        application=trap, outcome="declined", reason="Hors du territoire.", by=coordinator.user
    )
    Decision.objects.filter(application=trap).update(
        decided_at=timezone.make_aware(datetime(2026, 4, 19, 16, 0)),
        notified_at=timezone.make_aware(datetime(2026, 4, 20, 9, 0)),
    )
    return {"frigo": frigo, "trap": trap, "waiting": waiting}


def test_csv_rows_are_the_ranked_page(as_coordinator, program_a, ranked):
    header, *rows = csv_rows(as_coordinator.get(url(program_a, "csv")))
    assert header == HEADER
    # Frigo: (5·6) / 6 = 5 and (3·1 + 2·2 + 1·3) / 6 = 1.67, average 3.33; spread 1.67 to 5.
    assert rows[0] == [
        "1",
        "Frigo partagé",
        "Rosalie Tremblay",
        "",
        "Bas-Saint-Laurent",
        "2026-04-03",
        "En évaluation",
        "2",
        "3.33",
        "1.67",
        "5",
        "Favorable",
        "2026-04-08",
        "",
        "",
        "",
        "",
    ]
    assert rows[1] == [
        "2",
        '\'=HYPERLINK("http://piege.example","Cliquez")',
        "'@Jean",
        "",
        "Bas-Saint-Laurent",
        "2026-04-02",
        "Non retenue",
        "1",
        "2",
        "",
        "",
        "",
        "",
        "Non retenue",
        "",
        "Non",
        "2026-04-20",
    ]
    assert rows[2][:9] == [
        "3",
        "Pas notée",
        "Rosalie Tremblay",
        "",
        "Capitale-Nationale",
        "2026-04-01",
        "Reçue",
        "0",
        "",
    ]
    assert len(rows) == 3


def test_xlsx_keeps_scores_as_numbers_and_formulas_as_text(as_coordinator, program_a, ranked):
    header, first, second, _third = xlsx_rows(as_coordinator.get(url(program_a, "xlsx")))
    assert header == HEADER
    assert first[0] == 1 and first[8] == pytest.approx(3.33)
    assert second[1] == '\'=HYPERLINK("http://piege.example","Cliquez")'


def test_the_download_follows_the_page_filters(as_coordinator, program_a, ranked):
    page = as_coordinator.get(
        reverse("selection:applications", args=[program_a.pk]), {"status": "declined"}
    )
    assert url(program_a, "csv") + "?status=declined" in page.content.decode()

    response = as_coordinator.get(url(program_a, "csv"), {"status": Application.Status.DECLINED})
    _header, *rows = csv_rows(response)
    assert [row[1] for row in rows] == ['\'=HYPERLINK("http://piege.example","Cliquez")']


def test_committee_member_downloads_what_the_page_shows_them(
    client, program_a, ranked, committee_member
):
    login(client, committee_member)
    _header, *rows = csv_rows(client.get(url(program_a, "csv")))
    assert [row[1] for row in rows] == [
        "Frigo partagé",
        '\'=HYPERLINK("http://piege.example","Cliquez")',
        "Pas notée",
    ]


def test_unknown_format_is_404(as_coordinator, program_a, ranked):
    assert as_coordinator.get(url(program_a, "json")).status_code == 404


def test_outsider_and_participants_get_404(client, program_a, ranked, outsider, mentor, mentee):
    for person in (outsider, mentor, mentee):
        login(client, person)
        assert client.get(url(program_a, "csv")).status_code == 404
