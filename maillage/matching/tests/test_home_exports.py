"""Each table of the coordinator's matching page as CSV or XLSX: the rows the page shows."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login, make_person
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.matching.models import Exclusion, PairConstraint
from maillage.matching.selectors import HOME_TABLES
from maillage.matching.services import accept_run, run_matching

from .conftest import LOGISTICS, add_mentee

pytestmark = pytest.mark.django_db

TRAP = '=HYPERLINK("http://piege.example","Cliquez")'


def url(program, table: str, fmt: str = "csv") -> str:
    return reverse(f"matching:home_{table}_export", args=[program.pk, fmt])


@pytest.fixture
def matched(cast, coordinator):
    """Four places for five mentees: Fanny, whose organization has a formula-like name, waits."""
    program = cast["program"]
    fanny = add_mentee(
        program,
        make_person("Fanny", "Formule"),
        region="16",
        track=cast["logistics"],
        needs=LOGISTICS,
    )
    fanny.person.organization.name = TRAP
    fanny.person.organization.save()
    PairConstraint.objects.create(program=program, kind="forbid", mentor=cast["marc"], mentee=fanny)
    Exclusion.objects.create(
        program=program,
        mentor=cast["marc"],
        mentee=cast["chantal"],
        reason="competition",
        declared_by="coordinator",
        note="@Chantal travaille chez un concurrent",
    )
    run = run_matching(program=program, by=coordinator.user)
    return {**cast, "fanny": fanny, "run": run}


@pytest.fixture
def as_coordinator(client, coordinator):
    return login(client, coordinator)


def page_of(client, program) -> str:
    return html.unescape(client.get(reverse("matching:home", args=[program.pk])).content.decode())


def test_proposals_have_one_row_per_pair_as_on_the_page(as_coordinator, matched):
    program = matched["program"]
    header, *rows = csv_rows(as_coordinator.get(url(program, "proposals")))
    page = page_of(as_coordinator, program)

    assert header[:12] == [
        "Côté mentor",
        "Équipe",
        "Région du côté mentor",
        "Volet",
        "État",
        "Score du groupe",
        "Thèmes partagés",
        "Personne mentorée",
        "Organisation",
        "Région",
        "Paire imposée",
        "Score de la paire",
    ]
    assert "Besoins et expertise : valeur (%)" in header
    by_mentee = {row[7]: row for row in rows}
    assert set(by_mentee) == {"Élise Mentorée", "Bruno Beauce", "Chantal Centre", "Denis Dehors"}
    elise = by_mentee["Élise Mentorée"]
    assert elise[:5] == ["Marc Mentor", "", "Montérégie", "Logistique", "Proposé"]
    assert elise[8:11] == ["Organisme de Élise", "Saguenay–Lac-Saint-Jean", "Non"]
    chantal = by_mentee["Chantal Centre"]
    assert chantal[:4] == ["Équipe Alliance", "Rita Alliance, Paul Alliance", "Estrie", "Synergies"]
    for row in rows:
        shown = f"{float(row[11]):.2f}".replace(".", ",")
        assert f"score de la paire : {shown}" in page


def test_unmatched_people_with_the_engine_reasons(as_coordinator, matched):
    program = matched["program"]
    header, *rows = csv_rows(as_coordinator.get(url(program, "unmatched")))
    assert header == ["Personne ou côté", "Type", "Pourquoi"]
    assert [row[:2] for row in rows] == [["Fanny Formule", "personne mentorée"]]
    reasons = rows[0][2].split("\n")
    assert reasons[0] and all(reason in page_of(as_coordinator, program) for reason in reasons)


def test_participants_tables_neutralise_a_formula_like_organization(as_coordinator, matched):
    program = matched["program"]
    header, *rows = csv_rows(as_coordinator.get(url(program, "mentees")))
    assert header == [
        "Personne",
        "Équipe",
        "Organisation",
        "Volet",
        "Région",
        "Secteur",
        "À compléter",
    ]
    assert rows[0] == [
        "Élise Mentorée",
        "",
        "Organisme de Élise",
        "Logistique",
        "Saguenay–Lac-Saint-Jean",
        "Communautaire",
        "",
    ]
    assert [
        "Fanny Formule",
        "",
        "'" + TRAP,
        "Logistique",
        "Montérégie",
        "Communautaire",
        "",
    ] in rows

    _header, *rows = xlsx_rows(as_coordinator.get(url(program, "mentees", "xlsx")))
    assert [
        "Fanny Formule",
        None,
        "'" + TRAP,
        "Logistique",
        "Montérégie",
        "Communautaire",
        None,
    ] in rows

    header, *rows = csv_rows(as_coordinator.get(url(program, "mentors")))
    assert header == [
        "Côté mentor",
        "Équipe",
        "Volet",
        "Région",
        "Secteur",
        "Places",
        "À compléter",
    ]
    assert rows == [
        ["Marc Mentor", "", "Logistique", "Montérégie", "Communautaire", "2", ""],
        [
            "Équipe Alliance",
            "Rita Alliance, Paul Alliance",
            "Synergies",
            "Estrie",
            "Communautaire",
            "2",
            "",
        ],
    ]


def test_constraints_and_conflicts(as_coordinator, matched):
    program = matched["program"]
    header, *rows = csv_rows(as_coordinator.get(url(program, "constraints")))
    assert header == ["Contrainte", "Personne mentorée", "Côté mentor", "Origine"]
    assert rows == [
        ["Paire interdite", "Fanny Formule", "Marc Mentor", "Décision de la coordination"]
    ]
    header, *rows = csv_rows(as_coordinator.get(url(program, "exclusions")))
    assert header == ["Motif", "Précision", "Personne mentorée", "Côté mentor", "Déclaré par"]
    assert rows == [
        [
            "Situation de concurrence",
            "'@Chantal travaille chez un concurrent",
            "Chantal Centre",
            "Marc Mentor",
            "La coordination",
        ]
    ]


def test_accepted_groups_and_previous_runs(as_coordinator, matched, coordinator):
    program = matched["program"]
    accept_run(run=matched["run"], by=coordinator.user)
    today = timezone.localdate().isoformat()

    header, *rows = csv_rows(as_coordinator.get(url(program, "accepted")))
    assert header == ["Groupe", "Volet", "Membres", "Accepté le", "Accepté par"]
    members = {row[0]: row for row in rows}
    assert len(rows) == 2
    marc = next(row for row in rows if "Marc Mentor (mentor)" in row[2])
    assert marc[1] == "Logistique"
    assert "Élise Mentorée" in marc[2] and "Bruno Beauce" in marc[2]
    assert marc[3:] == [today, "Camille Coordination"]
    assert all(name in page_of(as_coordinator, program) for name in members)

    header, *rows = csv_rows(as_coordinator.get(url(program, "runs")))
    assert header == ["Date", "Par", "Statut", "Jumelé·es", "Score total"]
    assert [row[1:4] for row in rows] == [["Camille Coordination", "Terminé", "4"]]
    assert rows[0][0].startswith(today)


def test_every_table_reads_back_as_xlsx_and_is_linked_from_the_page(
    as_coordinator, matched, coordinator
):
    program = matched["program"]
    accept_run(run=matched["run"], by=coordinator.user)
    run_matching(program=program, by=coordinator.user)  # proposals and unmatched again
    page = page_of(as_coordinator, program)
    for table in HOME_TABLES:
        csv_header, *csv_body = csv_rows(as_coordinator.get(url(program, table)))
        xlsx_header, *xlsx_body = xlsx_rows(as_coordinator.get(url(program, table, "xlsx")))
        assert xlsx_header == csv_header, table
        assert len(xlsx_body) == len(csv_body), table
        assert url(program, table, "csv") in page, table
        assert url(program, table, "xlsx") in page, table


def test_unknown_format_is_404(as_coordinator, matched):
    assert as_coordinator.get(url(matched["program"], "runs", "ods")).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "mentor", "mentee", "committee_member"])
def test_anyone_but_the_coordination_gets_404(client, matched, who, request):
    login(client, request.getfixturevalue(who))
    for table in HOME_TABLES:
        assert client.get(url(matched["program"], table)).status_code == 404, table
