"""The demo's accreditation, in the full demo as `load_demo` builds it: the 2025 edition's
*Design* dossier, half filled from its data (selection and tools evidenced; no inclusion
objective, no record of training), reviewed by the demo network's assessor and sent back for
the missing evidence. The current edition holds what the review asked for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.accreditation import selectors
from maillage.accreditation.models import Dossier, Submission
from maillage.conftest import fresh, shared_data
from maillage.core.models import Person
from maillage.demo.accreditation import build_demo_accreditation
from maillage.demo.editions import DEMO_TITLE, PAST_DEMO_TITLE
from maillage.demo.full import build_full_demo
from maillage.programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    with shared_data(django_db_blocker, tmp_path_factory.mktemp("uploads")):
        demo = build_full_demo()
        dossier = Dossier.objects.get(
            program__title=PAST_DEMO_TITLE, framework="mentorat-quebec", part="design"
        )
        yield dossier, demo.program


@pytest.fixture
def dossier(built, db) -> Dossier:
    return fresh(built[0])


def test_the_design_dossier_is_exactly_half_filled_from_the_data(dossier):
    rows = {r.criterion.code: r for r in selectors.live_rows(dossier)}
    assert {code: row.coverage for code, row in rows.items()} == {
        "design-selection": selectors.COVERED,
        "design-inclusion": selectors.MISSING,
        "design-tools": selectors.COVERED,
        "design-training": selectors.MISSING,
    }
    gauge = selectors.gauge(list(rows.values()))
    assert (gauge.covered, gauge.partial, gauge.total, gauge.percent) == (2, 0, 4, 50)
    # What is missing, in words: groups tracked without objectives; no training on record.
    inclusion = rows["design-inclusion"].missing_evidence[0]
    assert "3 groupes suivis" in " ".join(inclusion.lines)
    assert "0 groupe a des objectifs chiffrés." in inclusion.lines
    training = rows["design-training"].missing_evidence[0]
    assert training.lines == ["Aucune formation n’est assignée aux personnes du programme."]


def test_the_submitted_snapshot_reads_half_too(dossier):
    submission = dossier.submissions.get()
    assert submission.snapshot["completeness"] == 50


def test_an_assessor_reviewed_it_and_asked_for_the_missing_evidence(dossier):
    submission = dossier.submissions.get()
    assert submission.outcome == Submission.Outcome.CHANGES
    assert submission.ratings.count() == len(dossier.get_part().criteria)
    ratings = dict(submission.ratings.values_list("criterion", "value"))
    assert ratings["design-inclusion"] == ratings["design-training"] == "not_met"
    assert submission.assessor.person.user is not None
    assert "formations" in submission.assessor_comment
    assert "objectifs d’inclusion" in submission.assessor_comment
    assert dossier.status == Dossier.Status.CHANGES


def test_the_coordinator_reads_what_is_missing_on_the_dossier_page(dossier, client):
    camille = Person.objects.get(email="camille.gagnon@demo.maillage.org")
    client.force_login(camille.user)
    page = client.get(reverse("accreditation:dossier", args=[dossier.program_id, dossier.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ce qui manque" in html
    assert "<strong>50 %</strong>" in html
    assert "Aucune formation n’est assignée aux personnes du programme." in html


def test_the_current_edition_holds_what_the_review_asked_for(built, db):
    from maillage.accreditation.evidence import gather

    current = Program.objects.get(title=DEMO_TITLE)
    assert current.pk == built[1].pk
    assert gather("training_completion", current).is_present
    assert gather("inclusion_objectives", current).is_present


def test_building_it_twice_changes_nothing(dossier):
    from maillage.measurement.models import Network

    before = (Dossier.objects.count(), Submission.objects.count())
    assert (
        build_demo_accreditation(
            Network.objects.get(pk=dossier.submissions.get().assessor.network_id)
        )
        == dossier
    )
    assert (Dossier.objects.count(), Submission.objects.count()) == before
