"""The indicators page: figures per program and per track, people counts masked under k."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.intake.models import Application
from maillage.programs.models import Track
from maillage.reports.selectors import track_table

pytestmark = pytest.mark.django_db


def test_page_shows_program_and_track(as_coordinator, program_a):
    track = Track.objects.create(program=program_a, name="Logistique")
    url = reverse("reports:indicators", args=[program_a.pk])
    response = as_coordinator.get(url)
    assert response.status_code == 200
    assert "Rencontres collectives tenues" in response.content.decode()
    assert as_coordinator.get(url, {"volet": track.pk}).status_code == 200


def test_track_of_another_program_is_404(as_coordinator, program_a, outsider):
    other = Track.objects.create(program=outsider.roles.get().program, name="B")
    url = reverse("reports:indicators", args=[program_a.pk])
    assert as_coordinator.get(url, {"volet": other.pk}).status_code == 404


def test_per_track_counts_use_complementary_suppression(program_a, settings):
    settings.MAILLAGE_SMALL_CELL_K = 5
    t1 = Track.objects.create(program=program_a, name="Un", order=1)
    t2 = Track.objects.create(program=program_a, name="Deux", order=2)
    for track, n in ((t1, 3), (t2, 12)):
        for _ in range(n):
            Application.objects.create(program=program_a, track=track)
    table = track_table(program_a)
    received = [row["cells"][0] for row in table["rows"]]
    assert received[0] == "x"
    # 3 = 15 − 12: the total or the other track must be masked as well.
    assert "x" in (received[1], table["totals"][0])
