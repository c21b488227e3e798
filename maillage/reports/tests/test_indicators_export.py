"""The indicators page downloads as CSV/XLSX with the page's cells: a count of people under k
is an « x » in the file exactly as on the page (and its complement on the by-track table),
figures are numbers, the track filter carries over; coordination and observation only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.intake.models import Application
from maillage.programs.models import Track

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracks(program_a, settings):
    """3 applications in « Un », 12 in « Deux », with k = 5."""
    settings.MAILLAGE_SMALL_CELL_K = 5
    one = Track.objects.create(program=program_a, name="Un", order=1)
    two = Track.objects.create(program=program_a, name="Deux", order=2)
    for track, n in ((one, 3), (two, 12)):
        for _ in range(n):
            Application.objects.create(program=program_a, track=track)
    return one, two


def page_value(html: str, key: str) -> str:
    match = re.search(rf'data-key="{key}"><th scope="row">[^<]*</th><td class="num">([^<]*)<', html)
    return match.group(1)


def export(client, program, fmt, **query):
    return client.get(reverse("reports:indicators_export", args=[program.pk, fmt]), query)


def test_the_file_carries_the_pages_figures(client, program_a, tracks, coordinator):
    login(client, coordinator)
    html = client.get(reverse("reports:indicators", args=[program_a.pk])).content.decode()
    rows = csv_rows(export(client, program_a, "csv"))
    assert rows[0] == ["Section", "Indicateur", "Valeur", "Sur", "%"]
    by_label = {row[1]: row for row in rows[1:]}
    assert page_value(html, "applications_received") == "15"
    assert by_label["Candidatures reçues"] == ["Chiffres clés", "Candidatures reçues", "15", "", ""]
    assert page_value(html, "groups") == "0"
    assert by_label["Groupes de mentorat"][2] == "0"
    assert by_label["Satisfait·es ou très satisfait·es"][0] == "Évaluation"


def test_a_count_under_k_is_masked_in_the_file_as_on_the_page(
    client, program_a, tracks, coordinator
):
    one, _two = tracks
    login(client, coordinator)
    url = reverse("reports:indicators", args=[program_a.pk])
    html = client.get(url, {"volet": one.pk}).content.decode()
    assert page_value(html, "applications_received") == "x"
    # The page's links carry the track.
    assert f"export.csv?volet={one.pk}" in html
    rows = csv_rows(export(client, program_a, "csv", volet=one.pk))
    received = next(r for r in rows if r[1] == "Candidatures reçues")
    assert received == ["Chiffres clés", "Candidatures reçues", "x", "", ""]
    assert "3" not in received
    sheet = xlsx_rows(export(client, program_a, "xlsx", volet=one.pk))
    assert next(r for r in sheet if r[1] == "Candidatures reçues")[2] == "x"


def test_a_count_at_k_or_more_is_a_number_in_the_spreadsheet(client, program_a, tracks, observer):
    _one, two = tracks
    login(client, observer)
    sheet = xlsx_rows(export(client, program_a, "xlsx", volet=two.pk))
    assert next(r for r in sheet if r[1] == "Candidatures reçues")[2] == 12


def test_the_by_track_table_keeps_its_complementary_suppression(
    client, program_a, tracks, coordinator
):
    login(client, coordinator)
    html = client.get(reverse("reports:indicators", args=[program_a.pk])).content.decode()
    assert reverse("reports:indicators_tracks_export", args=[program_a.pk, "csv"]) in html
    rows = csv_rows(
        client.get(reverse("reports:indicators_tracks_export", args=[program_a.pk, "csv"]))
    )
    assert rows[0] == [
        "Volet",
        "Candidatures reçues",
        "Retenues",
        "Mentor·es",
        "Personnes mentorées",
    ]
    assert [r[0] for r in rows[1:]] == ["Un", "Deux", "Total"]
    received = [r[1] for r in rows[1:]]
    assert received[0] == "x"
    # 3 = 15 − 12: the other track or the total is masked too, as on the page.
    assert "x" in received[1:]
    assert "3" not in received
    for value in received:
        assert f'<td class="num">{value}</td>' in html


@pytest.mark.parametrize("who", ["mentor", "committee_member", "funder", "outsider"])
def test_anyone_but_coordination_and_observation_gets_404(client, program_a, tracks, who, request):
    login(client, request.getfixturevalue(who))
    for name in ("reports:indicators_export", "reports:indicators_tracks_export"):
        for fmt in ("csv", "xlsx"):
            assert client.get(reverse(name, args=[program_a.pk, fmt])).status_code == 404


def test_a_track_of_another_program_is_404(client, program_a, outsider, coordinator):
    other = Track.objects.create(program=outsider.roles.get().program, name="B")
    login(client, coordinator)
    assert export(client, program_a, "csv", volet=other.pk).status_code == 404


def test_an_unknown_format_is_404(client, program_a, coordinator):
    login(client, coordinator)
    assert export(client, program_a, "json").status_code == 404


@pytest.mark.parametrize(
    ("language", "shown", "value"),
    [
        ("fr", "1\xa0234,5", 1234.5),
        ("fr", "50 %", 50),
        ("en", "1,234.5", 1234.5),
        ("en", "7", 7),
        ("fr", "x", "x"),
        ("fr", "—", ""),
        ("fr", "", ""),
    ],
)
def test_a_shown_figure_becomes_a_number_and_a_mark_stays_a_mark(language, shown, value):
    from django.utils import translation

    from maillage.reports.selectors import plain

    with translation.override(language):
        assert plain(shown) == value
