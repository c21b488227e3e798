"""« Mon groupe » as CSV or XLSX: the factors of the decisions about the participant only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.matching.services import accept_run, run_matching

pytestmark = pytest.mark.django_db

HEADER = [
    "Groupe",
    "Côté mentor",
    "Personne mentorée",
    "Critère",
    "Valeur (%)",
    "Contribution",
    "Poids",
]


def url(program, fmt: str = "csv") -> str:
    return reverse("mentoring:my_group_export", args=[program.pk, fmt])


@pytest.fixture
def grouped(cast, coordinator):
    accept_run(run=run_matching(program=cast["program"], by=coordinator.user), by=coordinator.user)
    return cast


def test_a_mentee_gets_only_their_own_pair(client, grouped, mentee):
    login(client, mentee)
    header, *rows = csv_rows(client.get(url(grouped["program"])))
    assert header == HEADER
    assert {row[2] for row in rows} == {"Élise Mentorée"}
    assert {row[1] for row in rows} == {"Marc Mentor"}
    page = client.get(reverse("mentoring:my_group", args=[grouped["program"].pk])).content.decode()
    assert len({row[0] for row in rows}) == 1 and rows[0][0] in page
    criteria = [row[3] for row in rows]
    assert "Besoins et expertise" in criteria
    assert all(criterion in page for criterion in criteria)


def test_a_mentor_gets_each_pair_of_their_group(client, grouped, mentor):
    login(client, mentor)
    _header, *rows = csv_rows(client.get(url(grouped["program"])))
    assert {row[2] for row in rows} == {"Élise Mentorée", "Bruno Beauce"}
    assert not any(row[2] in ("Chantal Centre", "Denis Dehors") for row in rows)


def test_xlsx_keeps_percentages_as_numbers(client, grouped, mentee):
    login(client, mentee)
    header, *rows = xlsx_rows(client.get(url(grouped["program"], "xlsx")))
    assert header == HEADER
    assert rows and all(isinstance(row[4], int) for row in rows)


@pytest.mark.parametrize("who", ["outsider", "coordinator", "committee_member"])
def test_anyone_not_matched_in_the_program_gets_404(client, grouped, who, request):
    login(client, request.getfixturevalue(who))
    assert client.get(url(grouped["program"])).status_code == 404
