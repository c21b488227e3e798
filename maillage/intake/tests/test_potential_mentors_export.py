"""The potential mentors list and one person's contact history as CSV or XLSX."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.intake.models import PotentialMentor
from maillage.intake.services import add_potential_mentor, log_mentor_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosalie(program_a) -> PotentialMentor:
    return add_potential_mentor(
        program=program_a,
        first_name="Rosalie",
        last_name="Leduc",
        email="rosalie@moisson.example",
        organization_name='=HYPERLINK("http://piege.example","Moisson")',
        expertise="Logistique du froid, transport mutualisé",
        themes=["logistique", "entreposage"],
        capacity=3,
    )


@pytest.fixture
def called(rosalie, coordinator) -> PotentialMentor:
    log_mentor_contact(
        potential_mentor=rosalie,
        at=timezone.make_aware(datetime(2022, 5, 10, 14, 30)),
        channel="phone",
        summary="Intéressée ; rappeler après le 20 mai.",
        by=coordinator.user,
    )
    log_mentor_contact(
        potential_mentor=rosalie,
        at=timezone.make_aware(datetime(2022, 5, 24, 9, 0)),
        channel="email",
        summary="-Accepte en principe",
    )
    rosalie.refresh_from_db()
    return rosalie


def list_url(program, fmt: str) -> str:
    return reverse("intake:potential_mentors_export", args=[program.pk, fmt])


def history_url(mentor, fmt: str) -> str:
    return reverse("intake:potential_mentor_export", args=[mentor.program_id, mentor.pk, fmt])


def test_list_csv_has_the_page_columns_and_neutralises_the_organization(
    as_coordinator, program_a, called
):
    header, *rows = csv_rows(as_coordinator.get(list_url(program_a, "csv")))
    assert header == [
        "Nom",
        "Organisation",
        "Expertise",
        "Thèmes",
        "Capacité",
        "Statut",
        "Dernier contact",
    ]
    assert rows == [
        [
            "Rosalie Leduc",
            '\'=HYPERLINK("http://piege.example","Moisson")',
            "Logistique du froid, transport mutualisé",
            "logistique, entreposage",
            "3",
            "Contacté·e",
            "2022-05-24",
        ]
    ]


def test_list_xlsx_keeps_the_capacity_a_number_and_the_formula_text(
    as_coordinator, program_a, called
):
    _header, row = xlsx_rows(as_coordinator.get(list_url(program_a, "xlsx")))
    assert row[0] == "Rosalie Leduc"
    assert row[1].startswith("'=HYPERLINK")
    assert row[4] == 3


def test_history_csv_is_latest_first_with_who_wrote_it(as_coordinator, called):
    header, *rows = csv_rows(as_coordinator.get(history_url(called, "csv")))
    assert header == ["Date", "Moyen", "Résumé", "Par"]
    assert rows == [
        ["2022-05-24 09:00", "Courriel", "'-Accepte en principe", ""],
        [
            "2022-05-10 14:30",
            "Téléphone",
            "Intéressée ; rappeler après le 20 mai.",
            "Camille Coordination",
        ],
    ]


def test_history_xlsx_reads_back(as_coordinator, called):
    rows = xlsx_rows(as_coordinator.get(history_url(called, "xlsx")))
    assert [row[1] for row in rows] == ["Moyen", "Courriel", "Téléphone"]


def test_outsider_and_committee_get_404(client, program_a, called, outsider, committee_member):
    for person in (outsider, committee_member):
        login(client, person)
        assert client.get(list_url(program_a, "csv")).status_code == 404
        assert client.get(history_url(called, "csv")).status_code == 404
