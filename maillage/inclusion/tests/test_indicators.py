"""The coordination sees totals only, never one under the small-cell threshold, nor one it could
work out from the others on the page (the stage's remaining people, a difference between two
stages)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.inclusion import selectors, services
from maillage.inclusion.models import Purpose
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


def _row(ind, group):
    return {s.key: f for s, f in zip(ind.stages, dict(ind.rows)[group], strict=True)}


def test_a_count_under_k_is_hidden_and_one_at_k_is_shown(program_a, women):
    people = mentees(program_a, 3 * K)
    _apply(program_a, people, selected=3 * K)
    for person in people[: K - 1]:
        declare(person, program_a, members=[women])
    row = _row(selectors.indicators(program_a), women)
    assert row["applicants"].hidden and row["applicants"].count is None
    declare(people[K - 1], program_a, members=[women])
    row = _row(selectors.indicators(program_a), women)
    assert not row["applicants"].hidden and row["applicants"].count == K
    assert row["applicants"].percent == round(100 * K / (3 * K))


def test_the_stage_remainder_under_k_hides_the_count(program_a, women):
    people = mentees(program_a, K + 2)
    _apply(program_a, people, selected=K + 2)
    for person in people[: K + 1]:  # all but one: the one left would be known
        declare(person, program_a, members=[women])
    assert _row(selectors.indicators(program_a), women)["applicants"].hidden


def test_a_small_difference_between_two_stages_is_hidden(program_a, women):
    people = mentees(program_a, 4 * K)
    _apply(program_a, people, selected=2 * K + 1)
    for person in people[: 2 * K] + people[2 * K + 1 : 2 * K + 3]:
        declare(person, program_a, members=[women])
    row = _row(selectors.indicators(program_a), women)
    # 2K + 2 women applied, 2K were selected: publishing both would count the 2 not selected.
    assert row["applicants"].count == 2 * K + 2
    assert row["selected"].hidden


def test_only_declarations_for_the_objectives_are_counted(program_a, women):
    people = mentees(program_a, 2 * K)
    _apply(program_a, people, selected=0)
    for person in people[:K]:
        declare(person, program_a, members=[women], purpose=Purpose.MATCHING)
    assert _row(selectors.indicators(program_a), women)["applicants"].count == 0


def test_objectives_are_compared_with_the_shown_share(program_a, coordinator, women):
    services.update_group(
        group=women,
        by=coordinator.user,
        seen=women.revision,
        label_fr="Femmes",
        target_applicants=40,
    )
    women.refresh_from_db()
    people = mentees(program_a, 2 * K)
    _apply(program_a, people, selected=0)
    for person in people[:K]:
        declare(person, program_a, members=[women])
    figure = _row(selectors.indicators(program_a), women)["applicants"]
    assert figure.percent == 50 and figure.target == 40 and figure.reached is True


def test_no_page_shows_a_count_under_the_threshold(client, program_a, coordinator, women):
    """The coordinator's page, with 1 to K−1 declarations: no figure from 1 to K−1 beside the
    group, whatever the stage; the count appears once it reaches K."""
    people = mentees(program_a, 3 * K)
    _apply(program_a, people, selected=2 * K)
    login(client, coordinator)
    url = reverse("inclusion:home", args=[program_a.pk])
    for n in range(1, K):
        declare(people[n - 1], program_a, members=[women])
        html = client.get(url).content.decode()
        row = re.search(r'<tr><th scope="row">Femmes</th>(.*?)</tr>', html, re.S).group(1)
        # No figure at all beside the group: neither a count, nor a share to work it out from.
        text = re.sub(r"<[^>]+>", " ", row)
        assert not re.search(r"\d", text), (n, text)
        assert "masqué" in row
    declare(people[K - 1], program_a, members=[women])
    html = client.get(url).content.decode()
    row = re.search(r'<tr><th scope="row">Femmes</th>(.*?)</tr>', html, re.S).group(1)
    assert f"({K} sur" in row


def test_the_impact_report_shows_only_figures_of_at_least_k_people(program_a, women):
    from maillage.reports.content import build_report, export_rows

    people = mentees(program_a, 2 * K)
    _apply(program_a, people, selected=0)
    for person in people[: K - 1]:
        declare(person, program_a, members=[women])
    data = build_report(program_a, language="fr", k=K)
    assert data["inclusion"] == []
    assert not any(row[0] == "Inclusion" for row in export_rows(data))
    declare(people[K - 1], program_a, members=[women])
    data = build_report(program_a, language="fr", k=K)
    assert data["inclusion"] == [
        {
            "group": "Femmes",
            "stage": "Candidatures",
            "count": str(K),
            "total": str(2 * K),
            "percent": "50\u00a0%",
            "target": "",
        }
    ]
    assert ["Inclusion", "Femmes — Candidatures", str(K), str(2 * K), "50\u00a0%"] in export_rows(
        data
    )
