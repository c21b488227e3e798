"""The coordinator downloads the inclusion indicators as CSV or Excel: the file shows exactly
what the page shows, so no count under the threshold, nor one a reader could work out (the
stage's remaining people, a difference between two stages)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maillage.conftest import login
from maillage.core.smallcell import MARK
from maillage.inclusion import selectors, services
from maillage.intake.models import Application

from .conftest import K, declare, mentees

pytestmark = pytest.mark.django_db


def _apply(program, people, *, selected: int):
    for i, person in enumerate(people):
        Application.objects.create(
            program=program,
            organization_name=f"Organisme {i}",
            email=person.email,
            person=person,
            status=Application.Status.SELECTED if i < selected else Application.Status.RECEIVED,
        )


@pytest.fixture
def mixed(program_a, coordinator, women, newcomers):
    """Women: 2K+2 applied, 2K selected (the 2 not selected must not be worked out), with an
    objective; newcomers: K−1 (hidden everywhere)."""
    services.update_group(
        group=women,
        by=coordinator.user,
        seen=women.revision,
        label_fr="Femmes",
        target_applicants=40,
    )
    people = mentees(program_a, 6 * K)
    _apply(program_a, people, selected=2 * K + 1)
    for person in people[: 2 * K] + people[2 * K + 1 : 2 * K + 3]:
        declare(person, program_a, members=[women])
    for person in people[3 * K : 4 * K - 1]:
        declare(person, program_a, members=[women, newcomers])
    return program_a


def _csv(client, program) -> list[dict[str, str]]:
    response = client.get(reverse("inclusion:download", args=[program.pk, "csv"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=_delimiter(text)))


def _delimiter(text: str) -> str:
    return ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","


def _small(value: str) -> bool:
    return value.isdigit() and 1 <= int(value) <= K - 1


def test_no_cell_of_the_file_is_under_the_threshold(client, mixed, coordinator):
    login(client, coordinator)
    rows = _csv(client, mixed)
    people = [r for r in rows if r["Étape"]]
    assert people, rows
    for row in people:
        count, total = row["Personnes du groupe"], row["Personnes à l’étape"]
        assert not _small(count), row
        assert not _small(total), row
        if count.isdigit() and total.isdigit():
            assert not _small(str(int(total) - int(count))), row  # the stage's others
    # Along the chain of nested stages of one group, no two published counts differ by 1..K−1.
    chain = {str(selectors.STAGES[key]) for key in selectors.CHAIN}
    for group in {r["Groupe"] for r in people}:
        shown = [
            int(r["Personnes du groupe"])
            for r in people
            if r["Groupe"] == group and r["Étape"] in chain and r["Personnes du groupe"].isdigit()
        ]
        assert not any(_small(str(abs(a - b))) for a in shown for b in shown), (group, shown)
    newcomers = [r for r in people if r["Groupe"].startswith("Personnes immigrantes")]
    assert {r["Personnes du groupe"] for r in newcomers} <= {MARK, "0"}
    assert MARK in {r["Personnes du groupe"] for r in newcomers}


def test_the_file_shows_what_the_page_shows(client, mixed, coordinator):
    login(client, coordinator)
    rows = {(r["Groupe"], r["Étape"]): r for r in _csv(client, mixed)}
    ind = selectors.indicators(mixed)
    for group, figures in ind.rows:
        for stage, figure in zip(ind.stages, figures, strict=True):
            row = rows[(group.label, stage.label)]
            expected = MARK if figure.hidden else str(figure.count)
            assert row["Personnes du groupe"] == expected
            assert row["Part (%)"] == (
                MARK if figure.hidden else ("" if figure.percent is None else str(figure.percent))
            )
    women = rows[("Femmes", "Candidatures")]
    assert women["Personnes du groupe"] == str(2 * K + 2 + K - 1)
    assert (women["Objectif (%)"], women["Objectif atteint"]) == ("40", "atteint")
    assert rows[("Femmes", "Sélectionnées")]["Personnes du groupe"] == MARK
    assert (
        rows[("Personnes immigrantes ou nouvellement arrivées", "Candidatures")][
            "Personnes du groupe"
        ]
        == MARK
    )
    assert "Satisfaites ou très satisfaites" in {stage for _g, stage in rows}


def test_the_excel_file_holds_the_same_cells(client, mixed, coordinator):
    login(client, coordinator)
    response = client.get(reverse("inclusion:download", args=[mixed.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    from_csv = _csv(client, mixed)
    assert cells[0][:3] == ["Groupe", "Étape", "Personnes à l’étape"]
    assert [row[3] for row in cells[1:] if any(row)] == [r["Personnes du groupe"] for r in from_csv]


def test_the_page_offers_the_download(client, mixed, coordinator):
    login(client, coordinator)
    html = client.get(reverse("inclusion:home", args=[mixed.pk])).content.decode()
    assert reverse("inclusion:download", args=[mixed.pk, "xlsx"]) in html


def test_a_participant_or_an_unknown_format_gets_404(client, mixed, mentee, coordinator):
    login(client, mentee)
    assert client.get(reverse("inclusion:download", args=[mixed.pk, "csv"])).status_code == 404
    login(client, coordinator)
    assert client.get(reverse("inclusion:download", args=[mixed.pk, "pdf"])).status_code == 404
