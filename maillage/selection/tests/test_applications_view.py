from __future__ import annotations

from django.urls import reverse

from maillage.conftest import login
from maillage.intake.models import Application
from maillage.programs.services import add_track
from maillage.selection.selectors import ranked_applications

from .conftest import make_application, score_all, when


def url(program):
    return reverse("selection:applications", args=[program.pk])


def test_ranked_by_score_then_by_received_date(program_a, three_criteria, coordinator):
    low = make_application(program_a, "Basse", email="a@x.example", received=when(1))
    late_tie = make_application(program_a, "Égalité tardive", email="b@x.example", received=when(9))
    early_tie = make_application(program_a, "Égalité hâtive", email="c@x.example", received=when(2))
    unscored = make_application(program_a, "Pas notée", email="d@x.example", received=when(1))
    high = make_application(program_a, "Haute", email="e@x.example", received=when(20))
    score_all(low, coordinator, [1, 1, 1])
    score_all(late_tie, coordinator, [3, 3, 3])
    score_all(early_tie, coordinator, [3, 3, 3])
    score_all(high, coordinator, [5, 4, 4])

    rows = ranked_applications(program=program_a)

    assert [r.application for r in rows] == [high, early_tie, late_tie, low, unscored]
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5]


def test_page_shows_rank_criteria_and_weights(
    as_coordinator, program_a, three_criteria, coordinator
):
    app = make_application(program_a, "Frigo partagé")
    score_all(app, coordinator, [4, 5, 1])
    response = as_coordinator.get(url(program_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Frigo partagé" in html
    assert "3,83" in html  # 23/6, French decimal comma
    assert "Classement selon 3 critères pondérés — poids de 1 à 3" in html
    assert "Impact" in html and "Partenariat" in html


def test_filter_by_status_and_track(as_coordinator, program_a):
    logistics = add_track(program=program_a, name="Logistique")
    in_track = make_application(program_a, "Dans le volet", email="a@x.example", track=logistics)
    make_application(program_a, "Refusée", email="b@x.example", status=Application.Status.DECLINED)

    html = as_coordinator.get(url(program_a), {"status": "declined"}).content.decode()
    assert "Refusée" in html and "Dans le volet" not in html

    html = as_coordinator.get(url(program_a), {"track": logistics.pk}).content.decode()
    assert in_track.organization_name in html and "Refusée" not in html


def test_filter_with_no_match_says_so(as_coordinator, program_a):
    make_application(program_a)
    html = as_coordinator.get(url(program_a), {"status": "selected"}).content.decode()
    assert "Aucune candidature ne correspond à ces filtres" in html


def test_empty_program_explains_where_applications_come_from(as_coordinator, program_a):
    html = as_coordinator.get(url(program_a)).content.decode()
    assert "Aucune candidature pour l’instant." in html
    assert "formulaire d’intérêt" in html


def test_duplicate_links_to_the_other_application(as_coordinator, program_a):
    first = make_application(program_a, "Même organisme", received=when(1))
    make_application(program_a, "Même organisme", duplicate_of=first, received=when(3))
    html = as_coordinator.get(url(program_a)).content.decode()
    assert "Doublon possible" in html
    assert reverse("selection:application", args=[program_a.pk, first.pk]) in html


def test_committee_member_sees_the_ranking(client, committee_member, program_a):
    make_application(program_a, "Frigo partagé")
    response = login(client, committee_member).get(url(program_a))
    assert response.status_code == 200
    assert "Frigo partagé" in response.content.decode()
